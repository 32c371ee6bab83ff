"""Diplomatic pressure: a sender spends its leverage to move a target toward itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State


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
    writes = frozenset({"pressure"})

    def setup(self, params: Params) -> None:
        """Resolve sender and target."""
        self.sender = self.index.actor[self.config.sender]
        self.target = self.index.actor[self.config.target]

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Boost E[sender, target]."""
        edge = effects.edge(self.sender, self.target)
        if edge >= 0:  # (without a leverage edge there is nothing to boost)
            r = rows.at
            effects.array("pressure")[r, edge] += self.values["intensity"][r]
