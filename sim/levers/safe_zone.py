"""A humanitarian safe zone: a territory floor, less civilian harm, sponsor force, incident risk.

Reference: the Turkish proposal endorsed by Germany (February 2016); the U.S. Joint
Chiefs' estimate that enforcing it meant controlling Syrian airspace.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Id, Lever, LeverSpec, register
from sim.model.context import StepContext
from sim.scenario.params import Fraction, NonNegative


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
    constant_key = True  # (reads forces: acts again when they move)

    def setup(self) -> None:
        """Resolve sponsors, the protected side and the opponents."""
        ix = self.index
        self.sponsors = ix.actor_indices(self.config.sponsors)
        self.side = ix.side[self.config.protects]
        if self.config.opponents is not None:
            self.opponents = ix.actor_indices(self.config.opponents)
        else:
            self.opponents = ix.default_opponents(self.side, self.sponsors)
        self.opponents_force0: float | None = None

    def act(self, ctx: StepContext) -> None:
        """Set the floor, cut harm, commit force, and add the incident probability."""
        enforcement = self.values["enforcement"]
        ctx.floor[self.side] = max(ctx.floor[self.side], self.values["share"] * enforcement)
        ctx.harm_factor *= 1.0 - self.values["harm_reduction"] * enforcement
        ctx.extra_force[self.sponsors] += self.values["force"] / len(self.sponsors)
        if self.opponents_force0 is None:
            self.opponents_force0 = float(ctx.params.force0[self.opponents].sum())
        if self.opponents_force0 > 0:
            ratio = ctx.state.force[self.opponents].sum() / self.opponents_force0
            p = min(1.0, self.values["incident_risk"] * enforcement * float(ratio))
            ctx.incident_probability = 1.0 - (1.0 - ctx.incident_probability) * (1.0 - p)



