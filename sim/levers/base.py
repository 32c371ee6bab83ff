"""What every lever shares: its YAML fields, its window, and the registry by YAML ``type``.

A lever is one small module holding two things: a ``LeverSpec`` subclass (the
YAML fields, validated by pydantic) and a ``Lever`` subclass (what it does to one
step of the model), registered with ``@register``. Adding a lever touches nothing
else: the scenario schema, the validator and the docs read the registry.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, Strict

from sim.registry import Registry

if TYPE_CHECKING:
    from sim.model.context import StepContext
    from sim.model.inputs import Index

Step = Annotated[int, Strict(), Field(ge=0)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$")]


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
        for kind, fields in (("actor", self.actor_fields), ("side", self.side_fields),
                             ("actor or side", self.actor_or_side_fields)):
            for name in fields:
                value = getattr(self, name)
                if value is not None:
                    out.append((name, kind, value if isinstance(value, list) else [value]))
        return out


class Lever:
    """One lever acting in one replication.

    Subclasses set ``spec`` (their ``LeverSpec``) and ``reference``, and implement
    ``act``. ``values`` holds every number of the spec as drawn for the replication.
    A lever whose effects stay the same from step to step also overrides ``key``, so
    that the model can reuse them, and says what ``act`` touches with ``reads_forces``
    and ``moves_forces_only`` (the defaults are always safe).
    """

    spec: ClassVar[type[LeverSpec]]
    reference: ClassVar[str] = ""
    #: ``act`` reads the forces (``ctx.state.force``), so it acts again whenever a lever
    #: has moved them. False for a lever whose effects do not depend on forces.
    reads_forces: ClassVar[bool] = True
    #: ``act`` only sets forces on the state and writes nothing into the context: when
    #: only such levers' keys change, only they act again (and the context stands).
    moves_forces_only: ClassVar[bool] = False
    #: The effects never change while the lever is active (``key`` is always None), so the
    #: model need not ask for the key at every step.
    constant_key: ClassVar[bool] = False

    def __init__(self, spec: LeverSpec, values: dict[str, float], index: Index,
                 start: int, end: int | None) -> None:
        self.config = spec
        self.values = values
        self.index = index
        self.start = start
        self.end = end
        self.setup()

    def setup(self) -> None:
        """Prepare index arrays once per replication (optional)."""

    def active(self, step: int) -> bool:
        """True while ``step`` is inside the lever's window."""
        return step >= self.start and (self.end is None or step <= self.end)

    def key(self, ctx: StepContext) -> Hashable:
        """What this step's effects depend on besides the lever's values and the forces
        (``ctx.state.force``, which only levers change).

        Called at every step the lever is active, before ``act``. While the set of active
        levers and all their keys stay the same, the model reuses the effects of the last
        step instead of clearing them and calling ``act`` again (unless forces moved when
        the levers last acted and an active lever ``reads_forces``). The default, the step
        number, makes the lever act at every step: always right, only slower; a lever with
        ``constant_key`` has None.
        """
        return None if self.constant_key else ctx.step

    def act(self, ctx: StepContext) -> None:
        """Write this lever's effects for the current step into ``ctx``."""
        raise NotImplementedError


LEVERS: Registry[type[Lever]] = Registry("lever")


def register(cls: type[Lever]) -> type[Lever]:
    """Class decorator: register a lever under its spec's YAML ``type``."""
    LEVERS.add(type_of(cls.spec), cls)
    return cls


def type_of(spec: type[LeverSpec]) -> str:
    """The YAML ``type`` literal of a spec class."""
    (literal,) = spec.model_fields["type"].annotation.__args__
    return literal


def spec_classes() -> list[type[LeverSpec]]:
    """Every registered lever's spec class, in registration order."""
    import sim.levers  # noqa: F401 - registers the built-in levers

    return [LEVERS[name].spec for name in LEVERS.names()]


def number_fields(spec: LeverSpec) -> dict[str, Any]:
    """The spec's numeric parameters (``Param`` values) by field name."""
    from sim.scenario.params import Param

    return {k: v for k, v in spec if isinstance(v, Param)}
