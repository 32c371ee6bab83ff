"""A humanitarian safe zone: a territory floor, less civilian harm, sponsor force, incident risk.

Reference: the Turkish proposal endorsed by Germany (February 2016); the U.S. Joint
Chiefs' estimate that enforcing it meant controlling Syrian airspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.core.sums import fixed_sum
from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import Fraction, NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State


class SafeZoneSpec(LeverSpec):
    """Sponsors protect a zone held by one side."""

    type: Literal["safe_zone"]
    sponsors: list[Id]
    protects: Id
    share: Fraction
    enforcement: Fraction = 1.0
    force: NonNegative = 0.0
    harm_reduction: Fraction = 0.5
    incident_risk: Fraction = 0.01
    opponents: list[Id] | None = None
    actor_fields = ("sponsors", "opponents")
    side_fields = ("protects",)


@register
class SafeZone(Lever):
    """While enforced: the protected side keeps at least ``share × enforcement`` of the
    territory; civilian harm falls by ``harm_reduction × enforcement``; sponsors commit
    ``force`` (split equally, paid as upkeep); and a direct incident with the opponents
    happens with probability ``incident_risk × enforcement × (opponents' force / their
    initial force)`` per step. Opponents default to the patrons of other sides: actors on
    another side that hold structural leverage over someone.
    """

    spec = SafeZoneSpec
    reference = "Turkish safe-zone proposal (2016); U.S. Joint Chiefs' cost estimate"
    writes = frozenset({"floor", "harm_factor", "extra_force", "incident_probability"})

    def setup(self, params: Params) -> None:
        """Resolve sponsors, the protected side and the opponents (and their initial force)."""
        ix = self.index
        self.sponsors = ix.actor_indices(self.config.sponsors)
        self.side = ix.side[self.config.protects]
        if self.config.opponents is not None:
            self.opponents = ix.actor_indices(self.config.opponents)
        else:
            self.opponents = ix.default_opponents(self.side, self.sponsors)
        self.opponents_force0 = fixed_sum(params.force0[:, self.opponents])  # (R,)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Set the floor, cut harm, commit force, and add the incident probability."""
        v = self.values
        enforcement = v["enforcement"]
        floor = effects.array("floor")
        r = rows.at
        floor[:, self.side] = np.where(
            rows.mask,
            np.maximum(floor[:, self.side], v["share"] * enforcement),
            floor[:, self.side],
        )
        effects.harm_factor[r] *= 1.0 - v["harm_reduction"][r] * enforcement[r]
        share = v["force"] / len(self.sponsors)
        effects.extra_force[rows.column, self.sponsors] += share[r, None]
        opposed = rows.mask & (self.opponents_force0 > 0)
        if opposed.any():
            ratio = fixed_sum(effects.force[:, self.opponents]) / np.where(
                opposed, self.opponents_force0, 1.0
            )
            p = np.minimum(1.0, v["incident_risk"] * enforcement * ratio)
            q = effects.incident_probability
            effects.incident_probability = np.where(opposed, 1.0 - (1.0 - q) * (1.0 - p), q)
