"""The scenario file format as pydantic models: the one source of keys and defaults.

The levers a scenario may hold and the bargaining models it may name are registered above
this layer (``sim.levers``, ``sim.bargaining``), so ``Scenario``, ``Trigger`` and
``Bargaining`` are finished by ``complete()`` from the registries of ``sim.core.registry``
once those are registered; importing ``sim`` does it.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from sim.core.registry import BARGAINING_NAMES, LEVER_SPECS
from sim.scenario.limits import (
    MAX_ACTORS,
    MAX_HORIZON,
    MAX_ISSUES,
    MAX_RECORDED,
    MAX_REPLICATIONS,
    MAX_SIDES,
)
from sim.scenario.params import AnyNumber, Fraction, NonNegative, Positive, bounded

Count = Annotated[int, Strict(), Field(ge=1)]
Real = Annotated[float, Strict()]
Step = Annotated[int, Strict(), Field(ge=0)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$")]
Discount = bounded(0.0, 1.0, strict_lo=True)
AtLeastOne = bounded(1.0)


class LeverSpec(BaseModel):
    """Fields common to all levers: ``type``, the window ``start``..``end``, and labels."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)
    type: str
    name: str | None = None
    start: Step = 0
    end: Step | None = None
    source: str | None = None
    note: str | None = None

    #: fields naming actors, sides, or either (checked against the scenario).
    actor_fields: ClassVar[tuple[str, ...]] = ()
    side_fields: ClassVar[tuple[str, ...]] = ()
    actor_or_side_fields: ClassVar[tuple[str, ...]] = ()

    def references(self) -> list[tuple[str, str, list[str]]]:
        """The names this lever refers to, as (field, kind, names)."""
        out = []
        for kind, fields in (
            ("actor", self.actor_fields),
            ("side", self.side_fields),
            ("actor or side", self.actor_or_side_fields),
        ):
            for name in fields:
                value = getattr(self, name)
                if value is not None:
                    out.append((name, kind, value if isinstance(value, list) else [value]))
        return out


def type_of(spec: type[LeverSpec]) -> str:
    """The YAML ``type`` literal of a spec class."""
    (literal,) = spec.model_fields["type"].annotation.__args__
    return literal


def spec_classes() -> list[type[LeverSpec]]:
    """Every registered lever's spec class, in registration order."""
    return [LEVER_SPECS[name] for name in LEVER_SPECS.names()]  # type: ignore[misc]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, populate_by_name=True, validate_default=True
    )


class Issue(_Strict):
    """An issue negotiated at the talks, with its own scale."""

    scale: tuple[Real, Real] = (0.0, 1.0)
    low: str = ""
    high: str = ""
    #: the outcome on the issue's scale if each side of the principal dyad wins (two
    #: sides); an issue without it has no war stake (docs/model.md, "How wars end")
    war_outcome: Annotated[dict[Id, Real], Field(min_length=2, max_length=2)] | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Issue:
        if not self.scale[0] < self.scale[1]:
            raise ValueError(f"expected scale [lo, hi] with lo < hi, found {list(self.scale)}")
        return self


class Reaction(_Strict):
    """How an intervener's force reacts to the war: its desired force is
    ``f* = f0 · clip(a + b θ + e χ − k h (1 − τ̂), 0, m)`` and its force moves toward it over
    ``ramp`` steps (docs/model.md, "Interveners that react"; Regan 2002; Balch-Lindsay,
    Enterline & Joyce 2008; Gelpi, Feaver & Reifler 2009).
    """

    #: intent: the force it means to keep, relative to its initial force (deployments set it)
    a: NonNegative = 1.0
    #: response to the fall θ of its side's expected share since step 1 (typically 0-20)
    b: NonNegative = 0.0
    #: response to the escalation χ of the rival side's force and aid (typically 0-1)
    e: NonNegative = 0.0
    #: restraint by its annualised cost h relative to its pain tolerance (typically 0-2)
    k: NonNegative = 0.0
    #: the most it would send, relative to its initial force (typically 1-3)
    m: NonNegative = 2.0
    #: steps over which its force closes the gap to the desired force (>= 1; typically 2-12)
    ramp: AtLeastOne = 4.0
    source: str | None = None
    note: str | None = None


class Actor(_Strict):
    """A state or armed group: capabilities, positions, resolve, leverage and ties."""

    name: str | None = None
    side: Id | None = None
    force: NonNegative = 0.0
    economy: Positive
    unit_cost: NonNegative = 0.0
    position: dict[Id, AnyNumber]
    salience: dict[Id, Fraction]
    capability: NonNegative | None = None
    resolve: Fraction = 0.5
    pain_tolerance: Positive = 0.05
    veto: Annotated[bool, Strict()] = False
    leverage: dict[Id, Fraction] = {}
    ties: dict[Id, Fraction] = {}
    #: bias of its prior belief about the war toward its own side (Blainey 1973)
    optimism: Fraction = 0.0
    #: it must give up its coercive means under a deal (Walter 1997)
    disarms: Annotated[bool, Strict()] = False
    #: its fear that the other side reneges on a deal once it has disarmed, 0-1
    reneging_risk: Fraction = 0.0
    #: how credibly it can threaten to abandon its clients, 0-1 (Snyder 1984)
    abandonment_credibility: Fraction = 0.0
    #: force it could add to its side if a partner left (substitution)
    surge: NonNegative = 0.0
    #: epsilon: the force it sustains and the aid it gives scale with (economy ratio)^epsilon
    #: as sanctions erode its economy (typically 0.5-1.5; 0, the default: no erosion)
    economy_elasticity: NonNegative = 0.0
    #: how its force reacts to the war (none: its force moves only by deployments)
    reaction: Reaction | None = None
    source: str | None = None
    note: str | None = None


class Condition(_Strict):
    """When a trigger's condition holds: ``metric op value`` for ``for`` steps in a row."""

    metric: str
    op: Literal["<", "<=", ">", ">="]
    value: Real
    for_: Count = Field(default=1, alias="for")


class Trigger(_Strict):
    """A lever started when a condition on the model's state holds."""

    name: Id
    when: Condition
    then: LeverUnion
    probability: Fraction = 1.0
    repeat: Annotated[bool, Strict()] = False
    source: str | None = None
    note: str | None = None


class Battlefield(_Strict):
    """The contest for territory."""

    decisiveness: Positive = 1.0
    rate: Fraction = 0.05
    noise: NonNegative = 0.005
    collapse: Fraction = 0.02
    loss_cost: NonNegative = 0.5
    harm: NonNegative = 1.0


class Front(_Strict):
    """A front between two sides (docs/model.md, "Fronts, population and ceasefires")."""

    name: Id | None = None
    #: the two sides fighting on this front
    sides: tuple[Id, Id]
    #: the share of each side's strength committed here (over its fronts: at most 1)
    allocation: dict[Id, Fraction]
    #: kappa of this front (default: ``battlefield.rate``)
    rate: Fraction | None = None
    #: population per unit of area on the ground along it, relative to the losing side's
    #: average (1: the same)
    density: NonNegative = 1.0
    source: str | None = None
    note: str | None = None


class CapabilityWeights(_Strict):
    """Weights of force and economy in derived bargaining capability."""

    force: Annotated[Real, Field(ge=0)] = 0.5
    economy: Annotated[Real, Field(ge=0)] = 0.5


class Bargaining(_Strict):
    """The bargaining model and the settlement rule."""

    model: BargainingName = "influence"
    tolerance: Fraction = 0.05
    hold: Count = 4
    capability_weights: CapabilityWeights = Field(default_factory=CapabilityWeights)
    #: engagements per week read as Bernoulli trials of the contest (typically 1-5)
    signal_trials: Annotated[int, Strict(), Field(ge=1, le=50)] = 3
    #: weight of the prior belief, in engagements (typically 10-50)
    prior_strength: Positive = 20.0
    #: discount of past evidence per week, phi (1 = Bayesian; typically 0.97-1)
    discount: Discount = 1.0
    #: the planning horizon H in weeks (typically 26-104)
    planning_horizon: Positive = 52.0
    #: weekly hazard that a settled deal breaks down without a guarantee (0: not drawn)
    breakdown_hazard: Fraction = 0.0


class Scenario(_Strict):
    """A whole scenario: actors, levers, triggers and run settings."""

    name: Id
    description: str = ""
    extends: str | None = None
    issues: Annotated[dict[Id, Issue], Field(min_length=1, max_length=MAX_ISSUES)]
    sides: Annotated[dict[Id, Annotated[Real, Field(ge=0, le=1)]], Field(max_length=MAX_SIDES)] = {}
    actors: Annotated[dict[Id, Actor], Field(min_length=1, max_length=MAX_ACTORS)]
    levers: list[LeverUnion] = []
    triggers: list[Trigger] = []
    battlefield: Battlefield = Field(default_factory=Battlefield)
    #: the pairwise contests replacing the one contest over all territory (none: one)
    fronts: list[Front] | None = None
    #: initial population shares per side, summing to 1 (default: the territory shares)
    population: dict[Id, Fraction] | None = None
    bargaining: Bargaining = Field(default_factory=Bargaining)
    horizon: Annotated[Count, Field(le=MAX_HORIZON)] = 52
    replications: Annotated[Count, Field(le=MAX_REPLICATIONS)] = 100
    seed: Annotated[int, Strict(), Field(ge=0)] = 0

    def to_data(self) -> dict[str, Any]:
        """The scenario as plain YAML-ready data (defaults included, empty labels left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def complete() -> None:
    """Finish the models that depend on the registered levers and bargaining models.

    Builds ``LeverUnion`` (the registered spec classes, told apart by ``type``) and
    ``BargainingName`` (the registered models' names) and rebuilds ``Trigger``,
    ``Bargaining`` and ``Scenario`` with them. Until then, using these models raises
    pydantic's "not fully defined" error. Called once, on importing ``sim``, after the
    built-in levers and models are registered.
    """
    global LeverUnion, BargainingName
    LeverUnion = Annotated[Union[tuple(spec_classes())], Field(discriminator="type")]  # noqa: UP007
    BargainingName = Literal[tuple(BARGAINING_NAMES.names())]
    for model in (Trigger, Bargaining, Scenario):
        model.model_rebuild()


MERGED_BY_KEY = ("Actor", "Issue", "Battlefield", "Bargaining", "CapabilityWeights")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format.

    A file with ``extends`` holds only what it changes: in it, the mappings merged key by
    key into the parent's (the top level, actors, issues, battlefield, bargaining) require
    nothing, while numbers, levers and triggers (which replace or are appended whole) are
    checked in full. ``sim validate`` checks the merged scenario in full.
    """
    full = Scenario.model_json_schema(by_alias=True)
    defs = full.pop("$defs", {})
    partial_defs = {f"Partial{k}": _partial(defs[k]) for k in MERGED_BY_KEY if k in defs}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **_partial(full),
        "title": "Leverage scenario",
        "$defs": {**defs, **partial_defs},
        "if": {"type": "object", "required": ["extends"]},
        "else": {"required": full.get("required", []), "properties": full["properties"]},
    }


def _partial(fragment: dict[str, Any]) -> dict[str, Any]:
    """A schema fragment without its own ``required``, pointing at the partial mappings."""
    return {k: _partial_refs(v) for k, v in fragment.items() if k != "required"}


def _partial_refs(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.removeprefix("#/$defs/")
        if name in MERGED_BY_KEY:
            return {**node, "$ref": f"#/$defs/Partial{name}"}
        return {k: _partial_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_partial_refs(v) for v in node]
    return node


__all__ = [
    "MAX_ACTORS",
    "MAX_HORIZON",
    "MAX_ISSUES",
    "MAX_RECORDED",
    "MAX_REPLICATIONS",
    "MAX_SIDES",
    "Actor",
    "Bargaining",
    "Battlefield",
    "Condition",
    "Front",
    "Id",
    "Issue",
    "LeverSpec",
    "Reaction",
    "Scenario",
    "Step",
    "Trigger",
    "complete",
    "json_schema",
    "spec_classes",
    "type_of",
]
