"""Military aid: force lent to a side, and the donor's leverage over the recipient."""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Id, Lever, LeverSpec, register
from sim.model.context import StepContext
from sim.scenario.params import NonNegative


class MilitaryAidSpec(LeverSpec):
    """A donor arms a recipient actor or a whole side."""

    type: Literal["military_aid"]
    donor: Id
    recipient: Id
    amount: NonNegative
    actor_fields = ("donor",)
    actor_or_side_fields = ("recipient",)


@register
class MilitaryAid(Lever):
    """Adds ``amount`` to the recipient side's strength while active; the donor pays it as
    upkeep (``amount × unit_cost``) and gains leverage over the recipient actor (or every
    actor of the recipient side) equal to the share of the side's strength it provides.
    """

    spec = MilitaryAidSpec
    reference = ("docs/model.md, step 5 (aid gives the donor leverage over the recipient); "
                 "Sislin, J. Conflict Resolution 38(4) (1994)")
    reads_forces = False
    constant_key = True

    def setup(self) -> None:
        """Resolve the donor and the recipient side and actors."""
        ix = self.index
        self.donor = ix.actor[self.config.donor]
        self.side, self.recipients = ix.side_and_members(self.config.recipient)

    def act(self, ctx: StepContext) -> None:
        """Lend strength, mark the leverage relation, and charge the donor."""
        amount = self.values["amount"]
        p = ctx.params
        if self.side >= 0:
            ctx.aid[self.donor, self.side] += amount
        ctx.aid_leverage[self.donor, self.recipients] = 1.0
        ctx.cost[self.donor] += amount * p.unit_cost[self.donor] / p.economy[self.donor]
