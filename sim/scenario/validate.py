"""Checks that need the whole scenario: references, sums, scales, trigger metrics."""

from __future__ import annotations

from collections.abc import Iterator
from difflib import get_close_matches

from sim.scenario.limits import MAX_RECORDED
from sim.scenario.metrics import UnknownName, parse_metric
from sim.scenario.params import Param
from sim.scenario.schema import Scenario
from sim.scenario.yamlio import printable

Issue = tuple[tuple[str | int, ...], str]


def semantic_problems(scenario: Scenario) -> list[Issue]:
    """Every cross-reference and consistency problem, as (path, message) pairs.

    ``scenario`` may be partial (``Scenario.model_construct``): an issue, side value, actor,
    lever or trigger that failed validation is ``None``. Its name still counts as declared,
    and the checks that would need its contents are skipped.
    """
    return [
        *_sides(scenario),
        *_fronts(scenario),
        *_population(scenario),
        *_ceasefire_names(scenario),
        *_war_outcomes(scenario),
        *_actors(scenario),
        *_levers(scenario),
        *_triggers(scenario),
        *_threat_names(scenario),
        *_size(scenario),
    ]


def _size(s: Scenario) -> Iterator[Issue]:
    """One replication's time series must fit in memory (each bound alone is not enough)."""
    horizon = getattr(s, "horizon", None)
    if not isinstance(horizon, int) or not s.actors or not s.issues:
        return
    recorded = (horizon + 1) * len(s.actors) * (len(s.issues) + 3)
    if recorded > MAX_RECORDED:
        yield (
            ("horizon",),
            f"expected (horizon + 1) x actors x (issues + 3) of at most {MAX_RECORDED:,} "
            f"numbers recorded per replication, found ({horizon} + 1) x {len(s.actors)} x "
            f"({len(s.issues)} + 3) = {recorded:,}",
        )


def _sides(s: Scenario) -> Iterator[Issue]:
    if s.sides and None not in s.sides.values() and abs(sum(s.sides.values()) - 1.0) > 1e-6:
        yield ("sides",), f"expected territory shares summing to 1, found {sum(s.sides.values()):g}"


def _fronts(s: Scenario) -> Iterator[Issue]:
    """Each front: two different declared sides, listed once, with an allocation for each
    (and nothing else); each side's allocations over all fronts sum to at most 1.
    """
    fronts = getattr(s, "fronts", None) or []
    seen: dict[frozenset, int] = {}
    committed: dict[str, float] = {}
    for i, front in enumerate(fronts):
        if front is None:
            continue
        base = ("fronts", i)
        unknown = [b for b in front.sides if b not in s.sides]
        for k, side in enumerate(front.sides):
            if side in unknown:
                yield (*base, "sides", k), _unknown(side, s.sides, "side")
        if unknown:
            continue
        if front.sides[0] == front.sides[1]:
            yield (*base, "sides"), f"expected two different sides, found {front.sides[0]!r} twice"
            continue
        pair = frozenset(front.sides)
        if pair in seen:
            yield (
                (*base, "sides"),
                f"expected each pair of sides once, found {list(front.sides)} again "
                f"(front {seen[pair]})",
            )
        seen.setdefault(pair, i)
        for side in front.sides:
            if side not in front.allocation:
                yield (
                    (*base, "allocation"),
                    f"expected an allocation for each side of the front, found none for {side!r}",
                )
        for side, share in front.allocation.items():
            if side not in front.sides:
                yield (
                    (*base, "allocation", side),
                    f"expected one of the front's sides ({', '.join(front.sides)}), found {side!r}",
                )
            else:
                committed[side] = committed.get(side, 0.0) + share.support()[1]
    for side, total in committed.items():
        if total > 1 + 1e-9:
            yield (
                ("fronts",),
                f"expected the allocations of side {side!r} over all fronts to sum to at most 1, "
                f"found {total:g}",
            )


def _population(s: Scenario) -> Iterator[Issue]:
    """Population shares name declared sides and sum to 1 (their means, when drawn)."""
    population = getattr(s, "population", None)
    if population is None:
        return
    for side in population:
        if side not in s.sides:
            yield ("population", side), _unknown(side, s.sides, "side")
    if None not in population.values():
        total = sum(p.center() for p in population.values())
        if abs(total - 1.0) > 1e-6:
            yield ("population",), f"expected population shares summing to 1, found {total:g}"


def _ceasefire_names(s: Scenario) -> Iterator[Issue]:
    """Each ceasefire's name is its own (its outcomes are named after it)."""
    specs = [(("levers", i), lv) for i, lv in enumerate(s.levers)]
    specs += [(("triggers", i, "then"), t.then) for i, t in enumerate(s.triggers) if t]
    seen: set[str] = set()
    for base, lever in specs:
        if lever is None or lever.type != "ceasefire":
            continue
        if lever.name in seen:
            yield (*base, "name"), f"expected a unique ceasefire name, found {lever.name!r} again"
        seen.add(lever.name)


def _ceasefire(s: Scenario, lever, base: tuple) -> Iterator[Issue]:
    """Each pair of sides of a ceasefire is a front declared under ``fronts``."""
    declared = [set(f.sides) for f in getattr(s, "fronts", None) or [] if f is not None]
    listed = ", ".join("-".join(f.sides) for f in s.fronts or [] if f is not None)
    for i, pair in enumerate(lever.fronts):
        path = (*base, "fronts", i)
        unknown = [side for side in pair if side not in s.sides]
        if unknown:
            yield path, _unknown(unknown[0], s.sides, "side")
        elif set(pair) not in declared:
            yield (
                path,
                f"expected a front declared under fronts, found {list(pair)} "
                f"(declared: {listed or 'none'})",
            )


def _war_outcomes(s: Scenario) -> Iterator[Issue]:
    """Each ``war_outcome`` names two declared sides, with outcomes on the issue's scale."""
    for name, issue in s.issues.items():
        if issue is None or issue.war_outcome is None:
            continue
        lo, hi = issue.scale
        for side, value in issue.war_outcome.items():
            path = ("issues", name, "war_outcome", side)
            if side not in s.sides:
                yield path, _unknown(side, s.sides, "side")
            elif not lo <= value <= hi:
                yield (
                    path,
                    f"expected an outcome in the issue's scale [{lo:g}, {hi:g}], found {value:g}",
                )


def _unknown(name: str, known: dict | list, what: str, where: str = "") -> str:
    close = get_close_matches(name, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = f"(declared: {', '.join(map(printable, known))})" if known else "(none declared)"
    return f"expected a declared {what}{where}, found {name!r}{hint} {listed}"


def _actors(s: Scenario) -> Iterator[Issue]:
    for aid, actor in s.actors.items():
        if actor is None:
            continue
        base = ("actors", aid)
        if actor.side is not None and actor.side not in s.sides:
            yield (*base, "side"), _unknown(actor.side, s.sides, "side")
        for field in ("position", "salience"):
            values = getattr(actor, field)
            for issue, spec in s.issues.items():
                if spec is not None and issue not in values:
                    yield (
                        (*base, field),
                        f"expected a {field} on every issue, found none on {issue!r}",
                    )
            for issue in values:
                if issue not in s.issues:
                    yield (*base, field, issue), _unknown(issue, s.issues, "issue")
        for issue, param in actor.position.items():
            if s.issues.get(issue) is not None:
                lo, hi = s.issues[issue].scale
                low, high = param.support()
                if low < lo or high > hi:
                    yield (
                        (*base, "position", issue),
                        f"expected a position in the issue's scale [{lo:g}, {hi:g}], "
                        f"found {_span(param)}",
                    )
        for field in ("leverage", "ties"):
            for other in getattr(actor, field):
                if other == aid:
                    yield (*base, field, other), f"expected another actor, found {aid!r} itself"
                elif other not in s.actors:
                    yield (*base, field, other), _unknown(other, s.actors, "actor")
        if actor.disarms and actor.side is None:
            yield (
                (*base, "disarms"),
                "expected an actor with a side (it disarms under a deal), found none",
            )
        if actor.reaction is not None:
            yield from _reaction(s, actor.side, (*base, "reaction"))
        total = sum(p.support()[1] for p in actor.ties.values())
        if total > 1 + 1e-9:
            yield (*base, "ties"), f"expected shares of ties summing to at most 1, found {total:g}"


def _reaction(s: Scenario, side: str | None, path: tuple) -> Iterator[Issue]:
    """A reacting actor fights for a side that is in a war issue's dyad (its reaction reads
    that war's prospects and the rival side's escalation).
    """
    if side is None:
        yield path, "expected an actor with a side (its force reacts to its side's war), found none"
        return
    dyads = [i.war_outcome for i in s.issues.values() if i is not None and i.war_outcome]
    if side in s.sides and not any(side in dyad for dyad in dyads):
        yield (
            path,
            "expected an actor whose side is in a war issue's dyad (an issue's war_outcome), "
            f"found side {side!r} in none",
        )


def _span(param: Param) -> str:
    low, high = param.support()
    return f"{low:g}" if low == high else f"values from {low:g} to {high:g}"


def _lever_refs(s: Scenario, lever, base: tuple) -> Iterator[Issue]:
    for field, what, names in lever.references():
        many = isinstance(getattr(lever, field), list)
        for i, name in enumerate(names):
            path = (*base, field, i) if many else (*base, field)
            if what == "actor" and name not in s.actors:
                yield path, _unknown(name, s.actors, "actor")
            elif what == "side" and name not in s.sides:
                yield path, _unknown(name, s.sides, "side")
            elif what == "actor or side" and name not in s.actors and name not in s.sides:
                yield path, _unknown(name, [*s.actors, *s.sides], "actor or side")
    if lever.end is not None and lever.end < lever.start:
        yield (*base, "end"), f"expected end >= start ({lever.start}), found {lever.end}"
    if lever.type == "military_aid" and s.actors.get(lever.recipient) is not None:
        if s.actors[lever.recipient].side is None:
            yield (
                (*base, "recipient"),
                f"expected a side or an actor with a side, found actor {lever.recipient!r} "
                "with none",
            )
    if lever.type == "conditional_support":
        yield from _conditional(s, lever, base)
    if lever.type == "sanctions_threat":
        yield from _threat(s, lever, base)
    if lever.type == "ceasefire":
        yield from _ceasefire(s, lever, base)


def _threat(s: Scenario, lever, base: tuple) -> Iterator[Issue]:
    """A threat demands a position on a declared issue, within its scale, of targets that
    are not its senders, with a deadline between its start and its end.
    """
    demand = lever.demand
    issue = s.issues.get(demand.issue)
    if demand.issue not in s.issues:
        yield (*base, "demand", "issue"), _unknown(demand.issue, s.issues, "issue")
    elif issue is not None:
        lo, hi = issue.scale
        low, high = demand.value.support()
        if low < lo or high > hi:
            yield (
                (*base, "demand", "value"),
                f"expected a demand in the issue's scale [{lo:g}, {hi:g}], "
                f"found {_span(demand.value)}",
            )
    if lever.deadline < lever.start:
        yield (
            (*base, "deadline"),
            f"expected a deadline >= start ({lever.start}), found {lever.deadline}",
        )
    elif lever.end is not None and lever.end < lever.deadline:
        yield (
            (*base, "end"),
            f"expected end >= deadline ({lever.deadline}), found {lever.end}",
        )
    for i, name in enumerate(lever.targets):
        if name in lever.senders:
            yield (
                (*base, "targets", i),
                f"expected a target that is not also a sender, found {name!r}",
            )


def _threat_names(s: Scenario) -> Iterator[Issue]:
    """Threats (scheduled or triggered) have unique names: their outcomes are named by them."""
    seen: set[str] = set()
    places = [(("levers", i), lever) for i, lever in enumerate(s.levers)]
    places += [(("triggers", i, "then"), t.then) for i, t in enumerate(s.triggers) if t]
    for base, lever in places:
        if lever is None or lever.type != "sanctions_threat":
            continue
        if lever.name in seen:
            yield (
                (*base, "name"),
                f"expected a unique name among sanctions threats, found {lever.name!r} again",
            )
        seen.add(lever.name)


def _conditional(s: Scenario, lever, base: tuple) -> Iterator[Issue]:
    """A condition is set on a war issue, with a demand on its scale, to a client with a side."""
    issue = s.issues.get(lever.issue)
    if lever.issue not in s.issues:
        yield (*base, "issue"), _unknown(lever.issue, s.issues, "issue")
    elif issue is not None and issue.war_outcome is None:
        yield (
            (*base, "issue"),
            f"expected an issue with a war_outcome, found {lever.issue!r} without one",
        )
    elif issue is not None:
        lo, hi = issue.scale
        low, high = lever.demand.support()
        if low < lo or high > hi:
            yield (
                (*base, "demand"),
                f"expected a demand in the issue's scale [{lo:g}, {hi:g}], "
                f"found {_span(lever.demand)}",
            )
    client = s.actors.get(lever.client)
    if client is not None and client.side is None:
        yield (
            (*base, "client"),
            f"expected an actor with a side, found actor {lever.client!r} with none",
        )


def _levers(s: Scenario) -> Iterator[Issue]:
    for i, lever in enumerate(s.levers):
        if lever is None:
            continue
        yield from _lever_refs(s, lever, ("levers", i))


def _triggers(s: Scenario) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, trigger in enumerate(s.triggers):
        if trigger is None:
            continue
        base = ("triggers", i)
        if trigger.name in seen:
            yield (*base, "name"), f"expected a unique trigger name, found {trigger.name!r} again"
        seen.add(trigger.name)
        message = metric_problem(s, trigger.when.metric)
        if message:
            yield (*base, "when", "metric"), message
        yield from _lever_refs(s, trigger.then, (*base, "then"))


def metric_problem(s: Scenario, metric: str) -> str | None:
    """Why ``metric`` names nothing in the scenario, or None when it is valid."""
    names = {"side": s.sides, "actor": s.actors, "issue": s.issues}
    try:
        parse_metric(metric, names)
    except UnknownName as err:
        return _unknown(err.name, names[err.kind], err.kind, f" in metric {metric!r}")
    except ValueError as err:
        return str(err)
    return None
