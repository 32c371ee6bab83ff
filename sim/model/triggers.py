"""Triggers: conditions on the previous step's state that start a lever."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.model.context import Params, State
from sim.model.inputs import Index
from sim.scenario.schema import Trigger

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def metric_reader(metric: str, index: Index, to_scale: Callable[[np.ndarray], np.ndarray]
                  ) -> Callable[[State, Params], float]:
    """A function reading ``metric`` (e.g. ``territory.regime``) from a state.

    Positions and forecasts are read on their issue's own scale. ``force`` is the actor's
    own force (as deployments set it), without force committed by levers such as safe zones.
    """
    head, *names = metric.split(".")
    if head == "step":
        return lambda s, p: float(s.step)
    if head == "territory":
        b = index.side[names[0]]
        return lambda s, p: float(s.territory[b])
    if head == "forecast":
        k = index.issues.index(names[0])
        return lambda s, p: float(to_scale(s.forecast)[k])
    i = index.actor[names[0]]
    if head == "force":
        return lambda s, p: float(s.force[i])
    if head == "stress":
        return lambda s, p: float(s.pain[i] / p.pain_tolerance[i])
    if head == "cost":
        return lambda s, p: float(s.pain[i])
    k = index.issues.index(names[1])
    return lambda s, p: float(to_scale(s.x[i])[k])


@dataclass
class TriggerState:
    """One trigger in one replication: its streak of steps meeting the condition."""

    spec: Trigger
    read: Callable[[State, Params], float]
    values: dict[str, float]
    streak: int = 0
    fired_at: list[int] = field(default_factory=list)

    def check(self, state: State, params: Params, step: int, rng: np.random.Generator) -> bool:
        """Test the condition on ``state`` (the previous step's); True when the trigger fires.

        The condition must hold for ``for`` steps in a row; then the trigger fires with its
        probability (one draw per eligible step), once unless ``repeat`` is set.
        """
        return self.eligible(state, params) and self.fire(step, rng)

    def eligible(self, state: State, params: Params) -> bool:
        """Test the condition on ``state``; True when it has held for ``for`` steps in a row
        (and the trigger has not fired yet, unless ``repeat`` is set).
        """
        if self.fired_at and not self.spec.repeat:
            return False
        when = self.spec.when
        self.streak = self.streak + 1 if OPS[when.op](self.read(state, params), when.value) else 0
        return self.streak >= when.for_

    def fire(self, step: int, rng: np.random.Generator) -> bool:
        """For an eligible trigger: fire with its probability (one draw); True when it does."""
        if rng.random() >= self.values["probability"]:
            return False
        self.fired_at.append(step)
        self.streak = 0
        return True
