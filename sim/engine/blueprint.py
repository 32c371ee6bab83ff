"""From a scenario to the engine's arrays: the index of names, and the numbers of R runs.

A ``Blueprint`` is made once per scenario: it holds the arrays with every constant in
place and knows where each uncertain parameter goes, so that building the ``Params`` of R
replications is a broadcast and one assignment per array.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from sim.core.sums import fixed_sum
from sim.engine.arrays import Params
from sim.engine.fronts import FrontParams
from sim.engine.reaction import COEFFICIENTS
from sim.levers.base import LeverSpec, number_fields
from sim.scenario.params import Param
from sim.scenario.sample import Sampler, random_params
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Index:
    """Names of actors, sides and issues, and their positions in the arrays."""

    actors: tuple[str, ...]
    sides: tuple[str, ...]
    issues: tuple[str, ...]
    side_of: np.ndarray  # (A,), side index or -1
    patron: np.ndarray  # (A,) bool: holds structural leverage over someone
    scale: np.ndarray  # (K, 2): each issue's scale
    wars: tuple[str, ...] = ()  # the issues with a war_outcome (war issues), in order
    fronts: tuple[tuple[str, str], ...] = ()  # each front's two sides, in order
    ceasefires: tuple[str, ...] = ()  # the names of the ceasefire levers (triggered too)

    def front(self, pair: tuple[str, str] | list[str]) -> int:
        """The index of the front between two sides (either order)."""
        return [set(f) for f in self.fronts].index(set(pair))

    @cached_property
    def actor(self) -> dict[str, int]:
        """Actor id → index."""
        return {a: i for i, a in enumerate(self.actors)}

    @cached_property
    def side(self) -> dict[str, int]:
        """Side id → index."""
        return {s: i for i, s in enumerate(self.sides)}

    @cached_property
    def members(self) -> np.ndarray:
        """For each side, the indices of its actors, padded with A (the number of actors,
        an index that reads a zero), shape (B, M).
        """
        lists = [np.flatnonzero(self.side_of == b) for b in range(len(self.sides))]
        table = np.full(
            (len(lists), max([len(x) for x in lists] + [1])), len(self.actors), dtype=np.intp
        )
        for b, rows in enumerate(lists):
            table[b, : len(rows)] = rows
        return table

    def actor_indices(self, names: list[str]) -> np.ndarray:
        """Indices of the named actors."""
        lookup = self.actor
        return np.array([lookup[n] for n in names], dtype=int)

    def side_and_members(self, name: str) -> tuple[int, np.ndarray]:
        """For an actor: (its side, [itself]); for a side: (the side, its actors)."""
        if name in self.actors:
            i = self.actor[name]
            return int(self.side_of[i]), np.array([i])
        b = self.side[name]
        return b, np.flatnonzero(self.side_of == b)

    def default_opponents(self, side: int, sponsors: np.ndarray) -> np.ndarray:
        """Patrons of the other sides: actors on another side holding structural leverage."""
        mask = (self.side_of >= 0) & (self.side_of != side) & self.patron
        mask[sponsors] = False
        return np.flatnonzero(mask)


_ACTOR_VECTORS = (
    "force",
    "economy",
    "unit_cost",
    "resolve",
    "pain_tolerance",
    "optimism",
    "reneging_risk",
    "abandonment_credibility",
    "surge",
    "economy_elasticity",
)
_SCALARS = {
    ("battlefield", k) for k in ("decisiveness", "rate", "noise", "collapse", "loss_cost", "harm")
} | {
    ("bargaining", k)
    for k in ("tolerance", "prior_strength", "discount", "planning_horizon", "breakdown_hazard")
}


class Blueprint:
    """A scenario compiled for fast construction of many replications."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        s = scenario
        actors = tuple(s.actors)
        sides = tuple(s.sides)
        issues = tuple(s.issues)
        side_index = {b: i for i, b in enumerate(sides)}
        actor_index = {a: i for i, a in enumerate(actors)}
        issue_index = {k: i for i, k in enumerate(issues)}
        a, k = len(actors), len(issues)
        self.index = Index(
            actors,
            sides,
            issues,
            side_of=np.array(
                [side_index.get(x.side, -1) if x.side else -1 for x in s.actors.values()], dtype=int
            ),
            patron=np.array(
                [any(p.support()[1] > 0 for p in x.leverage.values()) for x in s.actors.values()],
                dtype=bool,
            ),
            scale=np.array([s.issues[i].scale for i in issues], dtype=float).reshape(k, 2),
            wars=tuple(name for name, issue in s.issues.items() if issue.war_outcome),
            fronts=tuple(tuple(f.sides) for f in s.fronts or []),
            ceasefires=tuple(
                dict.fromkeys(
                    spec.name
                    for spec in [*s.levers, *(t.then for t in s.triggers)]
                    if spec.type == "ceasefire"
                )
            ),
        )
        self.scale = self.index.scale  # (K, 2)
        arrays: dict[str, np.ndarray] = {name: np.zeros(a) for name in _ACTOR_VECTORS}
        arrays |= {
            "capability": np.full(a, np.nan),
            "position": np.zeros((a, k)),
            "salience": np.zeros((a, k)),
            "leverage": np.zeros((a, a)),
            "ties": np.zeros((a, a)),
            "reaction": np.zeros((a, len(COEFFICIENTS))),
        }
        self.targets: dict[str, tuple[str, Any]] = {}

        #: (A, A) where structural leverage can be non-zero in some replication
        self.leverage_support = np.zeros((a, a), dtype=bool)

        def put(path: str, param: Param, array: str, where: Any) -> None:
            arrays[array][where] = param.center()
            if param.random:
                self.targets[path] = (array, where)
            if array == "leverage":
                self.leverage_support[where] = param.random or param.value != 0

        for i, (aid, actor) in enumerate(s.actors.items()):
            base = f"actors.{aid}"
            for name in _ACTOR_VECTORS:
                put(f"{base}.{name}", getattr(actor, name), name, i)
            if actor.capability is not None:
                put(f"{base}.capability", actor.capability, "capability", i)
            for field in ("position", "salience"):
                for issue, p in getattr(actor, field).items():
                    put(f"{base}.{field}.{issue}", p, field, (i, issue_index[issue]))
            for field in ("leverage", "ties"):
                for other, p in getattr(actor, field).items():
                    put(f"{base}.{field}.{other}", p, field, (i, actor_index[other]))
            if actor.reaction is not None:
                for c, name in enumerate(COEFFICIENTS):
                    put(
                        f"{base}.reaction.{name}", getattr(actor.reaction, name), "reaction", (i, c)
                    )
        self._front_arrays(arrays, put, side_index)
        self.arrays = arrays
        # Where build() puts drawn values: per array, flat indices, paths and defaults.
        self._fill = []
        for name, array in arrays.items():
            placed = [
                (path, np.ravel_multi_index(np.atleast_1d(where), array.shape))
                for path, (target, where) in self.targets.items()
                if target == name
            ]
            if placed:
                flat = np.array([int(i) for _, i in placed], dtype=np.intp)
                self._fill.append(
                    (name, flat, [path for path, _ in placed], array.ravel()[flat].tolist())
                )
        self.veto = np.array([x.veto for x in s.actors.values()], dtype=bool)
        self.disarms = np.array([x.disarms for x in s.actors.values()], dtype=bool)
        self.reacts = np.array([x.reaction is not None for x in s.actors.values()], dtype=bool)
        war = [(k, issue) for k, issue in enumerate(s.issues.values()) if issue.war_outcome]
        self.war_issue = np.array([k for k, _ in war], dtype=np.intp)
        self.war_sides = np.array(
            [[side_index[b] for b in issue.war_outcome] for _, issue in war], dtype=np.intp
        ).reshape(len(war), 2)
        self.war_value = np.array(
            [
                [
                    (v - issue.scale[0]) / (issue.scale[1] - issue.scale[0])
                    for v in issue.war_outcome.values()
                ]
                for _, issue in war
            ],
            dtype=float,
        ).reshape(len(war), 2)
        self.territory0 = np.array([s.sides[b] for b in sides], dtype=float)
        self.scalars = {f"{g}.{n}": getattr(getattr(s, g), n).center() for g, n in _SCALARS}
        self.lever_values = [_lever_values(lv, f"levers.{i}") for i, lv in enumerate(s.levers)]
        self.trigger_values = [
            {
                **_lever_values(t.then, f"triggers.{i}.then"),
                "probability": (f"triggers.{i}.probability", t.probability),
            }
            for i, t in enumerate(s.triggers)
        ]
        self._lever_pickers = [_picker(v) for v in self.lever_values]
        self._trigger_pickers = [_picker(v) for v in self.trigger_values]
        self.random = random_params(s)
        self.sampler = Sampler(self.random)

    def _front_arrays(self, arrays: dict[str, np.ndarray], put: Any, side_index: dict) -> None:
        """The arrays of the fronts and the population (docs/model.md, "Fronts, population
        and ceasefires"); a front without ``rate`` takes ``battlefield.rate`` (NaN here).
        """
        s = self.scenario
        fronts = s.fronts or []
        self.tracks_population = bool(fronts) or s.population is not None
        self.front_sides = np.array(
            [[side_index[b] for b in f.sides] for f in fronts], dtype=np.intp
        ).reshape(len(fronts), 2)
        arrays |= {
            "front_allocation": np.zeros((len(fronts), 2)),
            "front_rate": np.full(len(fronts), np.nan),
            "front_density": np.ones(len(fronts)),
            "population": np.zeros(len(s.sides)),
        }
        for f, front in enumerate(fronts):
            base = f"fronts.{f}"
            for k, side in enumerate(front.sides):
                where = (f, k)
                put(f"{base}.allocation.{side}", front.allocation[side], "front_allocation", where)
            if front.rate is not None:
                put(f"{base}.rate", front.rate, "front_rate", f)
            put(f"{base}.density", front.density, "front_density", f)
        for side, share in (s.population or {}).items():
            put(f"population.{side}", share, "population", side_index[side])

    def _fronts(
        self, arrays: dict[str, np.ndarray], rate: np.ndarray, territory0: np.ndarray
    ) -> FrontParams | None:
        """The fronts' numbers of R replications, or None without fronts or population."""
        if not self.tracks_population:
            return None
        r = rate.shape[0]
        population = territory0.copy()
        if self.scenario.population is not None:
            given = arrays["population"]
            total = fixed_sum(given, keepdims=True)
            population = given / np.where(total > 0, total, 1.0)
        front_rate = arrays["front_rate"]
        return FrontParams(
            sides=self.front_sides,
            allocation=arrays["front_allocation"],
            rate=np.where(np.isnan(front_rate), rate[:, None], front_rate),
            density=arrays["front_density"],
            population0=population,
            draws=np.zeros((r, 0, 0)),
        )

    def draw(self, seed: int, replication: int) -> dict[str, float]:
        """The uncertain parameters' values for one replication, by path."""
        return self.sampler.draw(seed, replication)

    @property
    def paths(self) -> list[str]:
        """The uncertain parameters' paths: the columns of ``draw_batch``."""
        return self.sampler.paths

    def draw_batch(self, seed: int, replications: np.ndarray) -> np.ndarray:
        """The uncertain parameters' values in several replications, shape (R, P)."""
        return self.sampler.draw_batch(seed, replications)

    def values_batch(self, values: list[dict[str, float]]) -> np.ndarray:
        """Values given by path per replication as an (R, P) array (missing paths take
        their distribution's mean).
        """
        centres = [p.center() for _, p in self.random]
        return np.array(
            [[v.get(path, c) for path, c in zip(self.paths, centres, strict=True)] for v in values],
            dtype=float,
        ).reshape(len(values), len(centres))

    def build(
        self, values: np.ndarray
    ) -> tuple[Params, list[dict[str, np.ndarray]], list[dict[str, np.ndarray]]]:
        """The numbers of R replications: the parameters, each lever's and each trigger's.

        Args:
            values: the drawn values, shape (R, P), columns in the order of ``paths``.

        Returns:
            The ``Params``, and for each lever and trigger its numbers by name, shape (R,).

        """
        r = values.shape[0]
        column = {path: i for i, path in enumerate(self.paths)}
        drawn = {name for name, *_ in self._fill}
        arrays = {}
        for name, array in self.arrays.items():  # (the same in every row: a read-only view)
            arrays[name] = np.broadcast_to(array, (r, *array.shape))
            if name in drawn:
                arrays[name] = arrays[name].copy()
        for name, flat, paths, _ in self._fill:
            cols = [column[p] for p in paths]
            arrays[name].reshape(r, self.arrays[name].size)[:, flat] = values[:, cols]
        scalars = {
            path: values[:, column[path]].copy() if path in column else np.full(r, value)
            for path, value in self.scalars.items()
        }
        lo, hi = self.scale[:, 0], self.scale[:, 1]
        weights = self.scenario.bargaining.capability_weights
        territory0 = np.broadcast_to(self.territory0, (r, len(self.territory0))).copy()
        params = Params(
            force0=arrays["force"],
            economy=arrays["economy"],
            unit_cost=arrays["unit_cost"],
            x0=(arrays["position"] - lo) / (hi - lo),
            salience=arrays["salience"],
            capability=arrays["capability"],
            resolve=arrays["resolve"],
            pain_tolerance=arrays["pain_tolerance"],
            veto=self.veto,
            leverage=arrays["leverage"],
            ties=arrays["ties"],
            territory0=territory0,
            decisiveness=scalars["battlefield.decisiveness"],
            rate=scalars["battlefield.rate"],
            noise=scalars["battlefield.noise"],
            collapse=scalars["battlefield.collapse"],
            loss_cost=scalars["battlefield.loss_cost"],
            harm=scalars["battlefield.harm"],
            tolerance=scalars["bargaining.tolerance"],
            hold=self.scenario.bargaining.hold,
            capability_weights=np.array([weights.force, weights.economy]),
            optimism=arrays["optimism"],
            reneging_risk=arrays["reneging_risk"],
            abandonment_credibility=arrays["abandonment_credibility"],
            surge=arrays["surge"],
            disarms=self.disarms,
            war_issue=self.war_issue,
            war_sides=self.war_sides,
            war_value=self.war_value,
            prior_strength=scalars["bargaining.prior_strength"],
            discount=scalars["bargaining.discount"],
            planning_horizon=scalars["bargaining.planning_horizon"],
            breakdown_hazard=scalars["bargaining.breakdown_hazard"],
            signal_trials=self.scenario.bargaining.signal_trials,
            economy_elasticity=arrays["economy_elasticity"],
            reacts=self.reacts,
            reaction=arrays["reaction"],
            fronts=self._fronts(arrays, scalars["battlefield.rate"], territory0),
        )
        levers = [_pick(v, values, column) for v in self._lever_pickers]
        triggers = [_pick(v, values, column) for v in self._trigger_pickers]
        return params, levers, triggers

    def to_scale(self, x: np.ndarray) -> np.ndarray:
        """Normalised positions (..., K) back on each issue's own scale."""
        return self.scale[:, 0] + x * (self.scale[:, 1] - self.scale[:, 0])


def _lever_values(spec: LeverSpec, base: str) -> dict[str, tuple[str, Param]]:
    return {name: (f"{base}.{name}", p) for name, p in number_fields(spec).items()}


def _picker(fields: dict[str, tuple[str, Param]]) -> list[tuple[str, str | None, float]]:
    """A lever's numbers as (name, path or None for a constant, default value)."""
    return [
        (name, path if p.random else None, p.center() if p.random else p.value)
        for name, (path, p) in fields.items()
    ]


def _pick(
    fields: list[tuple[str, str | None, float]], values: np.ndarray, column: dict[str, int]
) -> dict[str, np.ndarray]:
    r = values.shape[0]
    return {
        name: np.full(r, float(default)) if path is None else values[:, column[path]].copy()
        for name, path, default in fields
    }
