"""Triggers: conditions on the previous step's state that start a lever, per replication.

A trigger keeps, per replication, its streak of steps meeting the condition and the steps
at which it fired. When the condition has held ``for`` steps in a row (and the trigger
has not fired yet, unless ``repeat``), the replication is eligible and the trigger fires
with its ``probability``: one uniform number per eligible step from the replication's own
trigger stream (drawn in order, so the same numbers whatever the batch).
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np

from sim.engine.arrays import Params, State
from sim.engine.blueprint import Index
from sim.scenario.metrics import parse_metric
from sim.scenario.schema import Trigger

OPS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
Reader = Callable[[State, Params], np.ndarray]


def metric_reader(
    metric: str, index: Index, to_scale: Callable[[np.ndarray], np.ndarray]
) -> Reader:
    """A function reading ``metric`` (e.g. ``territory.regime``) from a state, shape (R,).

    Positions and forecasts are read on their issue's own scale. ``force`` is the actor's
    own force (as deployments set it and its economy sustains it, ``force × capacity``),
    without force committed by levers such as safe zones.
    """
    m = parse_metric(metric, {"side": index.sides, "actor": index.actors, "issue": index.issues})
    if m.head == "step":
        return lambda s, p: np.full(s.force.shape[0], float(s.step))
    if m.head == "territory":
        b = index.side[m.names[0]]
        return lambda s, p: s.territory[:, b]
    if m.head == "forecast":
        k = index.issues.index(m.names[0])
        return lambda s, p: to_scale(s.forecast)[:, k]
    i = index.actor[m.names[0]]
    if m.head == "force":
        return lambda s, p: s.force[:, i] * s.capacity[:, i]
    if m.head == "stress":
        return lambda s, p: s.pain[:, i] / p.pain_tolerance[:, i]
    if m.head == "cost":
        return lambda s, p: s.pain[:, i]
    k = index.issues.index(m.names[1])
    return lambda s, p: to_scale(s.x[:, i])[:, k]


class Triggers:
    """The scenario's triggers in R replications.

    Args:
        specs: the scenario's triggers.
        values: each trigger's numbers by name, shape (R,) each (``probability`` among them).
        index: the scenario's names.
        to_scale: normalised positions to each issue's scale.
        streams: makes replication r's trigger stream when it is first needed.
        horizon: the number of steps (bounds the draws a replication can need).

    """

    def __init__(
        self,
        specs: list[Trigger],
        values: list[dict[str, np.ndarray]],
        index: Index,
        to_scale: Callable[[np.ndarray], np.ndarray],
        streams: Callable[[int], np.random.Generator],
        replications: int,
        horizon: int,
    ) -> None:
        self.specs = specs
        self.values = values
        self.read = [metric_reader(t.when.metric, index, to_scale) for t in specs]
        r, n = replications, len(specs)
        self.streak = np.zeros((n, r), dtype=np.int64)
        self.fired = np.zeros((n, r), dtype=np.int64)  # times fired
        self.first = np.full((n, r), -1, dtype=np.int64)  # first step fired, -1: never
        self.fired_at: list[list[list[int]]] = [[[] for _ in range(r)] for _ in range(n)]
        self._streams = streams
        self._draws = np.full((r, max(1, n * horizon)), np.nan)  # filled when first needed
        self._used = np.zeros(r, dtype=np.int64)

    def check(
        self, t: int, state: State, params: Params, running: np.ndarray
    ) -> list[tuple[int, np.ndarray]]:
        """Test every trigger on ``state`` (the previous step's) for step ``t``.

        Returns:
            (trigger number, replications where it fires) for each trigger that fires
            somewhere, in trigger order.

        """
        fired = []
        for n, spec in enumerate(self.specs):
            when = spec.when
            open_ = running if spec.repeat else running & (self.fired[n] == 0)
            if not open_.any():
                continue
            holds = OPS[when.op](self.read[n](state, params), when.value)
            self.streak[n] = np.where(open_, np.where(holds, self.streak[n] + 1, 0), self.streak[n])
            eligible = open_ & (self.streak[n] >= when.for_)
            if not eligible.any():
                continue
            fires = eligible & (self._uniforms(eligible) < self.values[n]["probability"])
            if fires.any():
                self.streak[n][fires] = 0
                self.fired[n][fires] += 1
                self.first[n] = np.where(fires & (self.first[n] < 0), t, self.first[n])
                for r in np.flatnonzero(fires):
                    self.fired_at[n][r].append(t)
                fired.append((n, fires))
        return fired

    def _uniforms(self, rows: np.ndarray) -> np.ndarray:
        """The next number of each chosen replication's trigger stream (NaN elsewhere)."""
        which = np.flatnonzero(rows)
        for r in which[np.isnan(self._draws[which, 0])]:
            self._draws[r] = self._streams(int(r)).random(self._draws.shape[1])
        out = np.full(rows.shape, np.nan)
        out[which] = self._draws[which, self._used[which]]
        self._used[which] += 1
        return out
