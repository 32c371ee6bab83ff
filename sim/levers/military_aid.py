"""Military aid: force lent to a side, and the donor's leverage over the recipient."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State
    from sim.engine.blueprint import Index


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
    actor of the recipient side) equal to the share of the side's strength it provides. A
    donor whose economy sanctions have eroded gives ``amount × capacity`` (its
    ``economy_elasticity``; docs/model.md, "Sanction threats and economic erosion").
    """

    spec = MilitaryAidSpec
    reference = (
        "docs/model.md, step 5 (aid gives the donor leverage over the recipient); "
        "Sislin, J. Conflict Resolution 38(4) (1994)"
    )
    writes = frozenset({"aid", "aid_leverage", "cost"})

    @classmethod
    def leverage_pairs(cls, spec: MilitaryAidSpec, index: Index) -> list[tuple[int, int]]:
        """Donor over each recipient actor."""
        _, recipients = index.side_and_members(spec.recipient)
        return [(index.actor[spec.donor], int(j)) for j in recipients]

    def setup(self, params: Params) -> None:
        """Resolve the donor and the recipient side and actors; the donor's upkeep of the
        aid, fixed for a run, is computed once.
        """
        ix = self.index
        self.donor = d = ix.actor[self.config.donor]
        self.side, self.recipients = ix.side_and_members(self.config.recipient)
        self.upkeep = self.values["amount"] * params.unit_cost[:, d] / params.economy[:, d]

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Lend strength, mark the leverage relation, and charge the donor."""
        r, d = rows.at, self.donor
        capacity = state.capacity[r, d]  # (what its economy allows: 1 without erosion)
        if self.side >= 0:
            effects.array("aid")[r, d, self.side] += self.values["amount"][r] * capacity
        marked = effects.array("aid_leverage")
        for edge in effects.edge(d, self.recipients).tolist():  # (a few: one at a time)
            marked[r, edge] = 1.0
        effects.cost[r, d] += self.upkeep[r] * capacity
