"""Targeted sanctions: coverage of the target's ties, leakage, blowback, coalition cohesion.

Reference: Hufbauer, Schott, Elliott & Oegg, *Economic Sanctions Reconsidered*
(3rd ed., 2007) on coverage and leakage; Drezner (2003) on threats vs imposition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.core.sums import fixed_sum
from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import Fraction, NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State
    from sim.engine.blueprint import Index


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
    writes = frozenset({"cost", "sanction_leverage"})

    @classmethod
    def leverage_pairs(cls, spec: SanctionsSpec, index: Index) -> list[tuple[int, int]]:
        """Each sender over each target."""
        return [
            (int(i), int(j))
            for i in index.actor_indices(spec.senders)
            for j in index.actor_indices(spec.targets)
        ]

    def setup(self, params: Params) -> None:
        """Resolve senders and targets; every sender adopts at first. The ties the
        sanctions work through are fixed for a run: they are gathered once.
        """
        s = self.senders = self.index.actor_indices(self.config.senders)
        t = self.targets = self.index.actor_indices(self.config.targets)
        self.adopting = np.ones((params.replications, len(s)), dtype=bool)
        self.started = np.zeros(params.replications, dtype=bool)
        toward = params.ties[:, t]  # (R, T, A): the targets' ties
        self.held_all = toward[:, :, s]  # (R, T, S)
        self.tied = fixed_sum(toward)  # (R, T)
        self.own = fixed_sum(params.ties[:, s][:, :, t])  # (R, S): senders' ties with targets

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Senders whose stress has passed 1 stop adopting for good; then targets and
        adopting senders pay, and adopting senders gain leverage.
        """
        s, t, r = self.senders, self.targets, rows.at
        stress = state.pain[:, s] / params.pain_tolerance[:, s]
        self.adopting = np.where(rows.mask[:, None], self.adopting & (stress <= 1.0), self.adopting)
        self.started |= rows.mask
        adopting = self.adopting[r].astype(float)  # (n, S): 1 while adopting
        v = {name: value[r] for name, value in self.values.items()}
        held = self.held_all[r] * adopting[:, None, :]  # (n, T, S)
        covered = fixed_sum(held)
        leaking = self.tied[r] - covered
        bite = np.clip(covered * (1.0 - v["leakage"][:, None] * leaking), 0.0, 1.0)
        share = held / np.where(covered > 0, covered, 1.0)[..., None]  # (held is 0 where
        # nothing is covered)
        intensity = v["intensity"][:, None]
        cost = effects.cost
        cost[rows.column, t] += intensity * bite
        cost[rows.column, s] += np.where(
            adopting > 0, intensity * v["blowback"][:, None] * self.own[r], 0.0
        )
        gain = np.swapaxes(share * bite[..., None], -1, -2) * adopting[..., None]  # (n, S, T)
        edges = effects.edge(s[:, None], t)  # (S, T)
        effects.array("sanction_leverage")[rows.column, edges.ravel()] += gain.reshape(
            len(gain), edges.size
        )

    def cohesion(self) -> tuple[np.ndarray, np.ndarray]:
        """(senders still adopting, senders) per replication, shape (R,) each; both 0
        where the sanctions have not started.
        """
        total = np.where(self.started, len(self.senders), 0)
        return np.where(self.started, self.adopting.sum(axis=-1), 0), total
