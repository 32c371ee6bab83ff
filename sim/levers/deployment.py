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
    """An actor moves its force to ``to`` × its initial force over ``ramp`` steps."""

    type: Literal["deployment"]
    actor: Id
    to: NonNegative
    ramp: Annotated[int, Strict(), Field(ge=1)] = 1
    actor_fields = ("actor",)


@register
class Deployment(Lever):
    """From its start, the actor's force moves in a straight line from its level at the start
    to ``to × initial force``, reaching it after ``ramp`` steps, and is held there while the
    lever is active. A withdrawal is a deployment to less. When two deployments of one actor
    overlap, the later one in the list (triggered ones come last) wins.
    """

    spec = DeploymentSpec
    reference = (
        "docs/model.md, steps 2 and 5; abandonment in alliances: Snyder, World "
        "Politics 36(4) (1984)"
    )
    writes = frozenset({"force"})

    def setup(self, params: Params) -> None:
        """Resolve the actor; the force at the first active step is noted per replication."""
        self.actor = self.index.actor[self.config.actor]
        self.origin = np.full(params.replications, np.nan)  # (R,)
        self.first = np.zeros(params.replications)  # (R,)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Set the actor's force on the ramp."""
        force = effects.force[:, self.actor]
        new = rows.mask & np.isnan(self.origin)
        self.origin[new] = force[new]
        self.first[new] = step
        target = self.values["to"] * params.force0[:, self.actor]
        progress = np.minimum(1.0, (step - self.first + 1) / self.config.ramp)
        moved = self.origin + (target - self.origin) * progress
        effects.force[:, self.actor] = np.where(rows.mask, moved, force)
