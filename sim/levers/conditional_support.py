"""Conditional support: a patron makes its support of a client depend on a concession.

References: Hirschman, *National Power and the Structure of Foreign Trade* (1945);
Snyder, "The Security Dilemma in Alliance Politics", World Politics 36(4) (1984);
Crawford, *Pivotal Deterrence* (2003); Ladwig, *The Forgotten Front* (2017) on the
leverage of conditional aid to clients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import AnyNumber

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State
    from sim.engine.blueprint import Index


class ConditionalSupportSpec(LeverSpec):
    """A patron conditions its support of a client on the client's position on a war issue."""

    type: Literal["conditional_support"]
    patron: Id
    client: Id
    issue: Id
    demand: AnyNumber
    actor_fields = ("patron", "client")


@register
class ConditionalSupport(Lever):
    """While active, unless the client's position has reached the ``demand`` (on the
    issue's scale; within ``bargaining.tolerance`` of it, or beyond it as seen from the
    client's initial position), the client's expected war outcome on the issue is taken
    partly as if the patron were gone: it moves by ``C × D`` toward the opponent's victory,
    where D is the client's dependence on the patron and C the patron's
    ``abandonment_credibility`` (docs/model.md, "Patron leverage"). With C = 0 the
    condition is an empty threat and changes nothing.
    """

    spec = ConditionalSupportSpec
    reference = "Hirschman (1945); Snyder (1984); Crawford (2003); Ladwig (2017)"
    writes = frozenset({"conditional"})

    @classmethod
    def leverage_pairs(cls, spec: ConditionalSupportSpec, index: Index) -> list[tuple[int, int]]:
        """The patron over the client (the edge the condition rides on)."""
        return [(index.actor[spec.patron], index.actor[spec.client])]

    def setup(self, params: Params) -> None:
        """Resolve the patron, the client, the issue and the war issue."""
        ix = self.index
        self.patron, self.client = ix.actor[self.config.patron], ix.actor[self.config.client]
        self.issue = ix.issues.index(self.config.issue)
        self.war = ix.wars.index(self.config.issue)
        lo, hi = ix.scale[self.issue]
        self.demand = (self.values["demand"] - lo) / (hi - lo)  # (R,), normalised

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Mark the condition as unmet in the rows where the client has not conceded."""
        r, k = rows.at, self.issue
        demand = self.demand[r]
        x, x0 = state.x[r, self.client, k], params.x0[r, self.client, k]
        met = (np.abs(x - demand) <= params.tolerance[r]) | ((x - demand) * (x0 - demand) <= 0)
        edge = effects.edge(self.patron, self.client)
        effects.array("conditional")[r, edge, self.war] = np.where(met, 0.0, 1.0)
