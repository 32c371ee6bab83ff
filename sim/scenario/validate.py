"""Checks that need the whole scenario: references, sums, scales, trigger metrics."""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.params import Param
from sim.scenario.schema import Scenario

Issue = tuple[tuple[str | int, ...], str]


def semantic_problems(scenario: Scenario) -> list[Issue]:
    """Every cross-reference and consistency problem, as (path, message) pairs."""
    return [*_sides(scenario), *_actors(scenario), *_levers(scenario), *_triggers(scenario)]


def _sides(s: Scenario) -> Iterator[Issue]:
    if s.sides and abs(sum(s.sides.values()) - 1.0) > 1e-6:
        yield ("sides",), f"expected territory shares summing to 1, found {sum(s.sides.values()):g}"


def _unknown(name: str, known: dict | list, what: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(known) if known else "none declared"
    return f"unknown {what} {name!r} (known: {listed}){hint}"


def _actors(s: Scenario) -> Iterator[Issue]:
    for aid, actor in s.actors.items():
        base = ("actors", aid)
        if actor.side is not None and actor.side not in s.sides:
            yield (*base, "side"), _unknown(actor.side, s.sides, "side")
        for field in ("position", "salience"):
            values = getattr(actor, field)
            for issue in s.issues:
                if issue not in values:
                    yield (*base, field), f"missing {field} on issue {issue!r}"
            for issue in values:
                if issue not in s.issues:
                    yield (*base, field, issue), _unknown(issue, s.issues, "issue")
        for issue, param in actor.position.items():
            if issue in s.issues:
                lo, hi = s.issues[issue].scale
                low, high = param.support()
                if low < lo or high > hi:
                    yield ((*base, "position", issue),
                           f"expected a position in the issue's scale [{lo:g}, {hi:g}], "
                           f"found {_span(param)}")
        for field in ("leverage", "ties"):
            for other in getattr(actor, field):
                if other == aid:
                    yield (*base, field, other), f"an actor cannot hold {field} over itself"
                elif other not in s.actors:
                    yield (*base, field, other), _unknown(other, s.actors, "actor")
        total = sum(p.support()[1] for p in actor.ties.values())
        if total > 1 + 1e-9:
            yield (*base, "ties"), f"expected shares of ties summing to at most 1, found {total:g}"


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
    if lever.type == "military_aid" and lever.recipient in s.actors:
        if s.actors[lever.recipient].side is None:
            yield (*base, "recipient"), f"actor {lever.recipient!r} has no side to receive aid"


def _levers(s: Scenario) -> Iterator[Issue]:
    for i, lever in enumerate(s.levers):
        yield from _lever_refs(s, lever, ("levers", i))


def _triggers(s: Scenario) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, trigger in enumerate(s.triggers):
        base = ("triggers", i)
        if trigger.name in seen:
            yield (*base, "name"), f"duplicate trigger name {trigger.name!r}"
        seen.add(trigger.name)
        message = metric_problem(s, trigger.when.metric)
        if message:
            yield (*base, "when", "metric"), message
        yield from _lever_refs(s, trigger.then, (*base, "then"))


METRICS = "territory.<side>, force.<actor>, stress.<actor>, cost.<actor>, " \
          "position.<actor>.<issue>, forecast.<issue>, step"


def metric_problem(s: Scenario, metric: str) -> str | None:
    """Why ``metric`` names nothing in the scenario, or None when it is valid."""
    parts = metric.split(".")
    head, rest = parts[0], parts[1:]
    spaces = {"territory": [s.sides], "force": [s.actors], "stress": [s.actors],
              "cost": [s.actors], "position": [s.actors, s.issues], "forecast": [s.issues],
              "step": []}
    if head not in spaces:
        return f"unknown metric {metric!r}; expected one of {METRICS}"
    if len(rest) != len(spaces[head]):
        return f"expected metric {head} with {len(spaces[head])} name(s) after it, found {metric!r}"
    for name, space in zip(rest, spaces[head], strict=True):
        if name not in space:
            return _unknown(name, space, "name") + f" in metric {metric!r}"
    return None
