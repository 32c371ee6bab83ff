"""The outcomes of a run, each declared once (docs/outputs.md is generated from them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.levers.ceasefire import Ceasefire
from sim.outcomes.registry import Columns, outcome

if TYPE_CHECKING:
    from sim.engine.engine import Engine


def _per(names: tuple[str, ...], prefix: str, values: np.ndarray) -> Columns:
    """One column per name from (R, n) values."""
    return {f"{prefix}.{name}": values[:, i] for i, name in enumerate(names)}


@outcome("settled", kind="flag", headline=True)
def settled(e: Engine) -> Columns:
    """A settlement was reached at the talks within the horizon."""
    return {"settled": e.state.settled.copy()}


@outcome("settlement_step", kind="step", headline=True)
def settlement_step(e: Engine) -> Columns:
    """The step it was reached (NaN if none)."""
    s = e.state
    return {"settlement_step": np.where(s.settled, s.settlement_step, np.nan)}


@outcome("settlement_position.<issue>", kind="position", headline=True)
def settlement_position(e: Engine) -> Columns:
    """The settled outcome, on the issue's scale (NaN if none)."""
    s = e.state
    scaled = np.where(s.settled[:, None], e.blueprint.to_scale(s.settlement_position), np.nan)
    return _per(e.index.issues, "settlement_position", scaled)


def _at_war(e: Engine, name: str, values: np.ndarray) -> Columns:
    """One column, in scenarios with a war issue only."""
    return {name: values.copy()} if len(e.params.war_issue) else {}


@outcome("signed", kind="flag", headline=True)
def signed(e: Engine) -> Columns:
    """With war issues: the range ignoring commitment problems stayed open `hold` steps at talks."""
    return _at_war(e, "signed", e.state.signed)


@outcome("implemented", kind="flag", headline=True)
def implemented(e: Engine) -> Columns:
    """With war issues: the range counting commitment problems did (a settlement, as `settled`)."""
    return _at_war(e, "implemented", e.state.settled)


@outcome("broke_down", kind="flag", headline=True)
def broke_down(e: Engine) -> Columns:
    """With war issues: the settlement broke down before the horizon (hazard `h × (1 − G)`)."""
    return _at_war(e, "broke_down", e.state.broke_down)


def _war(e: Engine, prefix: str, values: np.ndarray) -> Columns:
    """One column per war issue from (R, W) values on the normalised scale."""
    p = e.params
    full = np.full((p.replications, len(e.index.issues)), np.nan)
    full[:, p.war_issue] = values
    scaled = e.blueprint.to_scale(full)
    return {f"{prefix}.{e.index.issues[k]}": scaled[:, k] for k in p.war_issue}


@outcome("range_low.<issue>", kind="position")
def range_low(e: Engine) -> Columns:
    """Lower end of the bargaining range at the end, on a war issue's scale."""
    return _war(e, "range_low", e.state.range_low)


@outcome("range_high.<issue>", kind="position")
def range_high(e: Engine) -> Columns:
    """Upper end of the bargaining range at the end, on a war issue's scale."""
    return _war(e, "range_high", e.state.range_high)


@outcome("ripeness.<issue>", kind="number", headline=True)
def ripeness(e: Engine) -> Columns:
    """Width of the bargaining range at the end on a war issue's scale (negative: closed)."""
    low, high = _war(e, "ripeness", e.state.range_low), _war(e, "ripeness", e.state.range_high)
    return {name: high[name] - low[name] for name in low}


@outcome("binding_veto.<issue>", kind="category")
def binding_veto(e: Engine) -> Columns:
    """The decider with the least slack around the forecast at the end, on a war issue."""
    names = np.array([*e.index.actors, "none"], dtype=object)
    return {
        f"binding_veto.{e.index.issues[k]}": names[e.state.binding[:, w]]
        for w, k in enumerate(e.params.war_issue)
    }


@outcome("forecast.<issue>", kind="position", headline=True)
def forecast(e: Engine) -> Columns:
    """The talks' forecast at the end, on the issue's scale."""
    return _per(e.index.issues, "forecast", e.blueprint.to_scale(e.state.forecast))


@outcome("territory.<side>", kind="share", headline=True)
def territory(e: Engine) -> Columns:
    """Territory share at the end."""
    return _per(e.index.sides, "territory", e.state.territory)


@outcome("population.<side>", kind="share", headline=True)
def population(e: Engine) -> Columns:
    """With fronts or population: population share at the end (moves with territory)."""
    if e.state.population is None:
        return {}
    return _per(e.index.sides, "population", e.state.population)


def _ceasefires(e: Engine) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Weeks held and broke down per ceasefire name, over the levers of that name (a
    repeated trigger's ceasefires add their weeks; any breakdown counts).
    """
    r = e.params.replications
    out = {name: (np.zeros(r), np.zeros(r, dtype=bool)) for name in e.index.ceasefires}
    for lever in e.levers:
        if isinstance(lever, Ceasefire):
            held, broken = out[lever.config.name]
            out[lever.config.name] = (held + lever.held, broken | lever.broken)
    return out


@outcome("ceasefire.<ceasefire>.held_weeks", kind="number", headline=True)
def ceasefire_held(e: Engine) -> Columns:
    """Weeks the ceasefire was in force (0 if it never started)."""
    return {f"ceasefire.{n}.held_weeks": v[0] for n, v in _ceasefires(e).items()}


@outcome("ceasefire.<ceasefire>.broke_down", kind="flag", headline=True)
def ceasefire_broke_down(e: Engine) -> Columns:
    """The ceasefire broke down (weekly hazard `h0 (1 − monitoring)(1 + spoiler_share)`)."""
    return {f"ceasefire.{n}.broke_down": v[1] for n, v in _ceasefires(e).items()}


@outcome("victory", kind="category", headline=True)
def victory(e: Engine) -> Columns:
    """The side that held at least `1 − collapse` of the territory, or `none`."""
    names = np.array([*e.index.sides, "none"], dtype=object)
    return {"victory": names[e.state.victory]}  # (-1 reads "none")


@outcome("triggered.<trigger>", kind="flag", headline=True)
def triggered(e: Engine) -> Columns:
    """The trigger fired."""
    return {f"triggered.{t.name}": e.triggers.fired[n] > 0 for n, t in enumerate(e.triggers.specs)}


@outcome("triggered_step.<trigger>", kind="step")
def triggered_step(e: Engine) -> Columns:
    """The step it first fired (NaN if never)."""
    first = e.triggers.first
    return {
        f"triggered_step.{t.name}": np.where(first[n] >= 0, first[n], np.nan)
        for n, t in enumerate(e.triggers.specs)
    }


def _reacting(e: Engine, prefix: str, values: np.ndarray) -> Columns:
    """One column per actor with a reaction from (R, A') values."""
    names = [e.index.actors[i] for i in e.reaction.actors]
    return {f"{prefix}.{name}": values[:, n] for n, name in enumerate(names)}


@outcome("redeployed.<actor>", kind="flag", headline=True)
def redeployed(e: Engine) -> Columns:
    """With a reaction: its force rose again after a drawdown (fell 5% of f0, rose 5% of f0)."""
    if e.reaction is None:
        return {}
    return _reacting(e, "redeployed", e.reaction.step >= 0)


@outcome("redeployed_step.<actor>", kind="step")
def redeployed_step(e: Engine) -> Columns:
    """With a reaction: the step its force first rose again after a drawdown (NaN if never)."""
    if e.reaction is None:
        return {}
    step = e.reaction.step
    return _reacting(e, "redeployed_step", np.where(step >= 0, step, np.nan))


@outcome("incident", kind="flag", headline=True)
def incident(e: Engine) -> Columns:
    """A direct incident happened around a safe zone."""
    return {"incident": e.state.incident.copy()}


@outcome("civilian_harm", kind="amount", headline=True)
def civilian_harm(e: Engine) -> Columns:
    """Cumulative civilian harm (units of `battlefield.harm`)."""
    return {"civilian_harm": e.state.harm.copy()}


@outcome("coalition_cohesion", kind="share", headline=True)
def coalition_cohesion(e: Engine) -> Columns:
    """Share of sanctions senders still adopting at the end (NaN without sanctions).

    Levers contribute through a ``cohesion()`` method giving (adopting, senders) per
    replication (the sanctions lever does, and a sanctions threat where it was imposed).
    """
    r = e.params.replications
    adopting, senders = np.zeros(r), np.zeros(r)
    for lever in e.levers:
        if hasattr(lever, "cohesion"):
            a, n = lever.cohesion()
            adopting, senders = adopting + a, senders + n
    return {
        "coalition_cohesion": np.divide(
            adopting, senders, out=np.full(r, np.nan), where=senders > 0
        )
    }


THREAT_ENDS = np.array(["none", "pending", "conceded", "imposed", "folded"], dtype=object)


def _threats(e: Engine) -> dict[str, tuple[np.ndarray, ...]]:
    """Each sanctions threat of the scenario (scheduled or triggered) by name: per
    replication its end (a code into ``THREAT_ENDS``), the step it was decided (-1: not),
    the credibility at the last evaluation and the share of targets that conceded. A threat
    made by several lever objects (a trigger firing) reads, in each row, the last one issued
    there; a threat never issued in a row ends ``none``.
    """
    s, r = e.blueprint.scenario, e.params.replications
    specs = [*s.levers, *(t.then for t in s.triggers)]
    names = [spec.name for spec in specs if spec.type == "sanctions_threat"]
    out = {
        name: (np.zeros(r, dtype=int), np.full(r, -1), np.full(r, np.nan), np.full(r, np.nan))
        for name in names
    }
    for lever in e.levers:
        if lever.config.type != "sanctions_threat":
            continue
        issued = lever.outcome()[0] > 0
        for old, new in zip(out[lever.config.name], lever.outcome(), strict=True):
            old[issued] = new[issued]
    return out


@outcome("threat.<threat>", kind="category", headline=True)
def threat(e: Engine) -> Columns:
    """A threat's end: `conceded`, `imposed`, `folded`, `pending` (deadline not reached), `none`."""
    return {f"threat.{name}": THREAT_ENDS[v[0]] for name, v in _threats(e).items()}


@outcome("threat_step.<threat>", kind="step")
def threat_step(e: Engine) -> Columns:
    """The step a threat ended: the last target's concession, or the deadline (NaN if none)."""
    return {
        f"threat_step.{name}": np.where(v[1] >= 0, v[1], np.nan) for name, v in _threats(e).items()
    }


@outcome("threat_credibility.<threat>", kind="share")
def threat_credibility(e: Engine) -> Columns:
    """Share of a threat's senders whose projected blowback stress stays below 1, at its end."""
    return {f"threat_credibility.{name}": v[2].copy() for name, v in _threats(e).items()}


@outcome("threat_conceded.<threat>", kind="share")
def threat_conceded(e: Engine) -> Columns:
    """Share of a threat's targets that conceded (NaN where it was never issued)."""
    return {f"threat_conceded.{name}": v[3].copy() for name, v in _threats(e).items()}


@outcome("cost.<actor>", kind="cost", headline=True)
def cost(e: Engine) -> Columns:
    """Cumulative cost, as a fraction of the actor's economy."""
    return _per(e.index.actors, "cost", e.state.pain)


@outcome("stress.<actor>", kind="number")
def stress(e: Engine) -> Columns:
    """Cost relative to pain tolerance (resolve halves at 1)."""
    return _per(e.index.actors, "stress", e.state.stress(e.params))


@outcome("position.<actor>.<issue>", kind="position")
def position(e: Engine) -> Columns:
    """Position at the end, on the issue's scale."""
    ix = e.index
    scaled = e.blueprint.to_scale(e.state.x)  # (R, A, K)
    return {
        f"position.{a}.{k}": scaled[:, i, j]
        for i, a in enumerate(ix.actors)
        for j, k in enumerate(ix.issues)
    }


@outcome("param.<path>", kind="number")
def param(e: Engine) -> Columns:
    """Every parameter drawn from a distribution, e.g. `param.actors.russia.resolve`."""
    return {f"param.{path}": e.values[:, i] for i, path in enumerate(e.blueprint.paths)}
