"""Deployments and withdrawals: an actor's force moves linearly to a new level."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import Field, Strict

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State


class DeploymentSpec(LeverSpec):
    """An actor moves its force to ``to`` × its initial force over ``ramp`` steps (on an
    actor with a ``reaction``, in ``intent`` mode: its intent a moves to ``to``).
    """

    type: Literal["deployment"]
    actor: Id
    to: NonNegative
    ramp: Annotated[int, Strict(), Field(ge=1)] = 1
    #: on an actor with a ``reaction``: ``intent`` sets its intent a, ``fixed`` its force
    mode: Literal["intent", "fixed"] = "intent"
    actor_fields = ("actor",)


@register
class Deployment(Lever):
    """From its start, the actor's force moves in a straight line from its level at the start
    to ``to × initial force``, reaching it after ``ramp`` steps, and is held there while the
    lever is active. A withdrawal is a deployment to less. When two deployments of one actor
    overlap, the later one in the list (triggered ones come last) wins.

    On an actor with a ``reaction`` (docs/model.md, "Interveners that react"), a deployment
    in ``intent`` mode (the default) moves the actor's intent a instead, on the same ramp
    from its value at the start to ``to``, and the reaction moves the force; in ``fixed``
    mode it moves the force as above and the reaction waits while it is active (a
    ``fixed`` deployment holds the force whatever its place in the list; among ``intent``
    ones the later wins).
    """

    spec = DeploymentSpec
    reference = (
        'docs/model.md, steps 2 and 5, and "Interveners that react"; abandonment in '
        "alliances: Snyder, World Politics 36(4) (1984)"
    )
    writes = frozenset({"force", "intent", "force_fixed"})

    def setup(self, params: Params) -> None:
        """Resolve the actor; the force at the first active step is noted per replication."""
        self.actor = self.index.actor[self.config.actor]
        reacts = bool(params.reacts[self.actor])
        self.sets_intent = reacts and self.config.mode == "intent"
        self.holds = reacts and self.config.mode == "fixed"
        self.origin = np.full(params.replications, np.nan)  # (R,)
        self.first = np.zeros(params.replications)  # (R,)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Set the actor's force (or its intent) on the ramp."""
        if self.sets_intent:
            effects.intent[:, self.actor] = self._ramp(
                step, effects.intent, self.values["to"], rows
            )
            return
        target = self.values["to"] * params.force0[:, self.actor]
        effects.force[:, self.actor] = self._ramp(step, effects.force, target, rows)
        if self.holds:
            fixed = effects.array("force_fixed")
            fixed[:, self.actor] = np.where(rows.mask, 1.0, fixed[:, self.actor])

    def _ramp(self, step: int, values: np.ndarray, target: np.ndarray, rows: Rows) -> np.ndarray:
        """The actor's column of ``values`` on the straight line from its value at the
        lever's first active step to ``target``, in ``rows``, (R,).
        """
        now = values[:, self.actor]
        new = rows.mask & np.isnan(self.origin)
        self.origin[new] = now[new]
        self.first[new] = step
        progress = np.minimum(1.0, (step - self.first + 1) / self.config.ramp)
        moved = self.origin + (target - self.origin) * progress
        return np.where(rows.mask, moved, now)
