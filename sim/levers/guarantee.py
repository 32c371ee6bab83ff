"""A third-party security guarantee of a settlement (peacekeepers or a security pact).

References: Walter, "The Critical Barrier to Civil War Settlement", International
Organization 51(3) (1997), and *Committing to Peace* (2002); Fortna, "Does Peacekeeping Keep
Peace?", International Studies Quarterly 48(2) (2004).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import Fraction, NonNegative, Positive

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State


class GuaranteeSpec(LeverSpec):
    """Guarantors pledge troops to enforce a deal protecting one side."""

    type: Literal["guarantee"]
    guarantors: list[Id] = Field(min_length=1)
    protects: Id
    troops: NonNegative
    troops_needed: Positive
    credibility: Fraction
    actor_fields = ("guarantors",)
    side_fields = ("protects",)


@register
class Guarantee(Lever):
    """While active, a deal protects side ``protects`` with strength
    ``G = credibility × min(1, troops / troops_needed)``, which lowers the reneging risk a
    disarming actor of that side fears to ``ρ(1 − G)`` (docs/model.md, "Commitment problems
    and guarantees") and the post-settlement breakdown hazard to ``h(1 − G)``. Several
    guarantees of one side combine as ``1 − Π(1 − G)``. The guarantors share the troops'
    upkeep equally, at their own unit cost.
    """

    spec = GuaranteeSpec
    reference = "Walter (1997, 2002); Fortna (2004); docs/model.md, step 7"
    writes = frozenset({"guarantee", "cost"})

    def setup(self, params: Params) -> None:
        """Resolve the guarantors and the protected side."""
        self.guarantors = self.index.actor_indices(self.config.guarantors)
        self.side = self.index.side[self.config.protects]

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Guarantee the side and charge the guarantors."""
        r, g = rows.at, self.guarantors
        v = {name: value[r] for name, value in self.values.items()}
        strength = v["credibility"] * np.minimum(1.0, v["troops"] / v["troops_needed"])
        guarantee = effects.array("guarantee")
        guarantee[r, self.side] = 1.0 - (1.0 - guarantee[r, self.side]) * (1.0 - strength)
        share = (v["troops"] / len(g))[:, None]
        effects.cost[rows.column, g] += (
            share * params.unit_cost[rows.column, g] / params.economy[rows.column, g]
        )
