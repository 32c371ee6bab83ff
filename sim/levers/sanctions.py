"""Targeted sanctions: coverage of the target's ties, leakage, blowback, coalition cohesion.

Reference: Hufbauer, Schott, Elliott & Oegg, *Economic Sanctions Reconsidered*
(3rd ed., 2007) on coverage and leakage; Drezner (2003) on threats vs imposition.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from sim.levers.base import Id, Lever, LeverSpec, register
from sim.model.context import StepContext
from sim.scenario.params import Fraction, NonNegative


class SanctionsSpec(LeverSpec):
    """Senders restrict their economic ties with targets."""

    type: Literal["sanctions"]
    senders: list[Id]
    targets: list[Id]
    intensity: Fraction
    leakage: Fraction = 0.5
    blowback: NonNegative = 0.5
    actor_fields = ("senders", "targets")


@register
class Sanctions(Lever):
    """Each step, every target loses ``intensity × bite`` of its economy, where the bite is
    the share of its ties held by adopting senders, reduced by ``leakage`` times the share
    held by partners that do not adopt. Senders pay ``intensity × blowback × (their ties
    with the targets)`` and stop adopting once their stress passes 1. Each adopting sender
    gains leverage over a target equal to the bite times its share of the covered ties.
    """

    spec = SanctionsSpec
    reference = "Hufbauer et al. (2007); Drezner (2003)"
    reads_forces = False

    def setup(self) -> None:
        """Resolve senders and targets to indices; every sender adopts at first."""
        self.senders = self.index.actor_indices(self.config.senders)
        self.targets = self.index.actor_indices(self.config.targets)
        self.adopting = np.ones(len(self.senders), dtype=bool)
        self.started = False

    def key(self, ctx: StepContext) -> bytes:
        """The senders still adopting (a sender whose stress passes 1 stops for good)."""
        stress = ctx.state.pain[self.senders] / ctx.params.pain_tolerance[self.senders]
        adopting = self.adopting & (stress <= 1.0)
        if not self.started or adopting.tobytes() != self.adopting.tobytes():
            self.started = True
            self.adopting = adopting
            self._effects = self._compute(ctx.params.ties)
        return self.adopting.tobytes()

    def act(self, ctx: StepContext) -> None:
        """Apply costs to targets and senders and the senders' leverage gain."""
        target_cost, sender_cost, gain, adopt = self._effects
        ctx.cost[self.targets] += target_cost
        ctx.cost[adopt] += sender_cost
        ctx.sanction_leverage[adopt[:, None], self.targets] += gain

    def _compute(self, ties_all: np.ndarray) -> tuple[np.ndarray, ...]:
        """Per-step costs and leverage gains for the current set of adopting senders."""
        adopt = self.senders[self.adopting]
        intensity = self.values["intensity"]
        ties = ties_all[self.targets]  # (T, A)
        held = ties[:, adopt]  # (T, S)
        covered = held.sum(axis=1)
        leaking = ties.sum(axis=1) - covered
        bite = np.clip(covered * (1.0 - self.values["leakage"] * leaking), 0.0, 1.0)
        own = ties_all[adopt[:, None], self.targets].sum(axis=1)
        share = np.divide(held, covered[:, None], out=np.zeros_like(held),
                          where=covered[:, None] > 0)
        return (intensity * bite, intensity * self.values["blowback"] * own,
                (share * bite[:, None]).T, adopt)

    def cohesion(self) -> tuple[int, int] | None:
        """(senders still adopting, senders), once the sanctions have started."""
        return (int(self.adopting.sum()), len(self.senders)) if self.started else None
