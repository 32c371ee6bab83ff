"""Diplomatic pressure: a sender spends its leverage to move a target toward itself."""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Id, Lever, LeverSpec, register
from sim.model.context import StepContext
from sim.scenario.params import NonNegative


class PressureSpec(LeverSpec):
    """A sender presses a target."""

    type: Literal["pressure"]
    sender: Id
    target: Id
    intensity: NonNegative = 0.5
    actor_fields = ("sender", "target")


@register
class Pressure(Lever):
    """Raises the sender's effective leverage over the target by the factor
    ``1 + intensity`` (capped at 1) while active, so under the influence model the target
    weighs the sender's position more. It has no effect under the compromise model, and
    none under the expected utility model, whose dynamics do not use leverage.
    """

    spec = PressureSpec
    reference = "docs/model.md, step 5 (pressure scales effective leverage)"
    reads_forces = False
    constant_key = True

    def setup(self) -> None:
        """Resolve sender and target."""
        self.sender = self.index.actor[self.config.sender]
        self.target = self.index.actor[self.config.target]

    def act(self, ctx: StepContext) -> None:
        """Boost E[sender, target]."""
        ctx.pressure[self.sender, self.target] += self.values["intensity"]
