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
        sanctions work through are fixed for a run: they are gathered once, with the
        replication axis last (each step's arithmetic then runs on whole rows of R).
        """
        s = self.senders = self.index.actor_indices(self.config.senders)
        t = self.targets = self.index.actor_indices(self.config.targets)
        self.adopting = np.ones((len(s), params.replications), dtype=bool)  # (S, R)
        self.started = np.zeros(params.replications, dtype=bool)
        toward = params.ties[:, t]  # (R, T, A): the targets' ties
        self.held_all = np.ascontiguousarray(toward[:, :, s].transpose(2, 1, 0))  # (S, T, R)
        self.tied = fixed_sum(toward).T.copy()  # (T, R)
        self.own = fixed_sum(params.ties[:, s][:, :, t]).T.copy()  # (S, R): ties with targets
        self.tolerance = params.pain_tolerance[:, s].T.copy()  # (S, R)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Senders whose stress has passed 1 stop adopting for good; then targets and
        adopting senders pay, and adopting senders gain leverage.
        """
        s, t, r = self.senders, self.targets, rows.at
        stress = state.pain.T[s][:, r] / self.tolerance[:, r]  # (S, n)
        self.adopting[:, r] &= stress <= 1.0
        self.started |= rows.mask
        adopting = self.adopting[:, r].astype(float)  # (S, n): 1 while adopting
        v = {name: value[r] for name, value in self.values.items()}
        held = self.held_all[..., r] * adopting[:, None, :]  # (S, T, n)
        covered = fixed_sum(held, axis=0)  # (T, n)
        leaking = self.tied[:, r] - covered
        bite = np.clip(covered * (1.0 - v["leakage"] * leaking), 0.0, 1.0)
        share = held / np.where(covered > 0, covered, 1.0)  # (held is 0 where nothing is
        # covered)
        intensity = v["intensity"]
        cost = effects.cost
        cost[rows.column, t] += (intensity * bite).T
        cost[rows.column, s] += np.where(
            adopting > 0, intensity * v["blowback"] * self.own[:, r], 0.0
        ).T
        gain = share * bite * adopting[:, None, :]  # (S, T, n)
        edges = effects.edge(s[:, None], t)  # (S, T)
        effects.array("sanction_leverage")[rows.column, edges.ravel()] += gain.reshape(
            edges.size, -1
        ).T

    def cohesion(self) -> tuple[np.ndarray, np.ndarray]:
        """(senders still adopting, senders) per replication, shape (R,) each; both 0
        where the sanctions have not started.
        """
        total = np.where(self.started, len(self.senders), 0)
        return np.where(self.started, self.adopting.sum(axis=0), 0), total
