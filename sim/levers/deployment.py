"""Deployments and withdrawals: an actor's force moves linearly to a new level."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from sim.levers.base import Id, Lever, LeverSpec, register
from sim.model.context import StepContext
from sim.scenario.params import NonNegative


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
    reference = ("docs/model.md, steps 2 and 5; abandonment in alliances: Snyder, World "
                 "Politics 36(4) (1984)")
    reads_forces = False  # (only at its first step, when every lever acts)
    moves_forces_only = True

    def setup(self) -> None:
        """Resolve the actor."""
        self.actor = self.index.actor[self.config.actor]
        self.origin: float | None = None
        self.first = 0

    def key(self, ctx: StepContext) -> int:
        """The step while the force is on its ramp, then the step it arrived."""
        if self.origin is None:
            return ctx.step
        return min(ctx.step, self.first + self.config.ramp - 1)

    def act(self, ctx: StepContext) -> None:
        """Set the actor's force on the ramp."""
        force = ctx.state.force
        if self.origin is None:
            self.origin, self.first = float(force[self.actor]), ctx.step
        target = self.values["to"] * ctx.params.force0[self.actor]
        progress = min(1.0, (ctx.step - self.first + 1) / self.config.ramp)
        force[self.actor] = self.origin + (target - self.origin) * progress
