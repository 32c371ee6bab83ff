"""Targeted sanctions: coverage of the target's ties, leakage, blowback, coalition cohesion.

The bite arithmetic (``bite``) and the sanctions' memory (``Embargo``: the ties they work
through, the senders still adopting) are shared with ``sanctions_threat``, whose imposed
threats act as sanctions.

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


class SanctionsSpec(LeverSpec):
    """Senders restrict their economic ties with targets."""

    type: Literal["sanctions"]
    senders: list[Id]
    targets: list[Id]
    intensity: Fraction
    leakage: Fraction = 0.5
    blowback: NonNegative = 0.5
    actor_fields = ("senders", "targets")


def bite(held: np.ndarray, tied: np.ndarray, leakage: np.ndarray, axis: int = -1) -> np.ndarray:
    """The share of each target's economic ties the sanctions cut, 0-1:
    ``clip(c · (1 − leakage · (tied − c)), 0, 1)`` with ``c = Σ_s held`` the ties covered
    by the adopting senders and ``tied − c`` those held with partners that do not adopt,
    through whom the sanctions leak (Hufbauer et al. 2007; Early 2015 on sanctions busting).

    Args:
        held: each target's ties with each sender, 0 where the sender does not adopt, with
            the senders along ``axis`` (e.g. (n, T, S), or (S, T, n) with ``axis=0``).
        tied: each target's ties with everyone (share of its trade, 0-1), shaped like
            ``held`` without the senders' axis.
        leakage: the share of non-adopting partners' ties that offsets the bite,
            broadcastable to ``tied``.
        axis: the senders' axis of ``held``.

    """
    covered = fixed_sum(held, axis=axis)
    leaking = tied - covered
    return np.clip(covered * (1.0 - leakage * leaking), 0.0, 1.0)


class Embargo:
    """What sanctions by ``senders`` on ``targets`` remember in R replications: the ties they
    work through (fixed for a run, gathered once) and the senders still adopting.

    Args:
        params: the run's parameters.
        senders: sender actor indices, (S,).
        targets: target actor indices, (T,).

    """

    def __init__(self, params: Params, senders: np.ndarray, targets: np.ndarray) -> None:
        s, t = self.senders, self.targets = senders, targets
        self.started = np.zeros(params.replications, dtype=bool)
        toward = params.ties[:, t]  # (R, T, A): the targets' ties
        self.held_all = toward[:, :, s]  # (R, T, S)
        self.tied = fixed_sum(toward)  # (R, T)
        self.sender_ties = params.ties[:, s][:, :, t]  # (R, S, T): senders' ties with targets
        # The same, with the replication axis last, for each step's arithmetic (whole rows
        # of R at a time, about half the time of the replication-first layout).
        self.adopting = np.ones((len(s), params.replications), dtype=bool)  # (S, R)
        self.held_last = np.ascontiguousarray(self.held_all.transpose(2, 1, 0))  # (S, T, R)
        self.tied_last = self.tied.T.copy()  # (T, R)
        self.ties_last = np.ascontiguousarray(self.sender_ties.transpose(1, 2, 0))  # (S, T, R)
        self.own_last = fixed_sum(self.sender_ties).T.copy()  # (S, R)
        self.tolerance = params.pain_tolerance[:, s].T.copy()  # (S, R)

    def charge(
        self,
        state: State,
        params: Params,
        effects: Effects,
        rows: Rows,
        values: dict[str, np.ndarray],
        subject: np.ndarray | None = None,
    ) -> None:
        """One step of sanctions in ``rows``: senders whose stress has passed 1 stop adopting
        for good; every target (or those marked in ``subject``) loses ``intensity × bite``
        of its economy (``cost``, and ``sanction_cost``, which erodes it); adopting senders
        pay ``intensity × blowback × (their ties with those targets)``.

        Args:
            state: the previous step's state.
            params: the run's parameters.
            effects: this step's effects.
            rows: the replications where the sanctions act.
            values: the lever's numbers (``intensity``, ``leakage``, ``blowback``), (R,) each.
            subject: (R, T) bool, the targets sanctioned in each row (None: all).

        """
        s, t, r = self.senders, self.targets, rows.at
        stress = state.pain.T[s][:, r] / self.tolerance[:, r]  # (S, n)
        self.adopting[:, r] &= stress <= 1.0
        self.started |= rows.mask
        adopting = self.adopting[:, r].astype(float)  # (S, n): 1 while adopting
        v = {name: values[name][r] for name in ("intensity", "leakage", "blowback")}
        held = self.held_last[..., r] * adopting[:, None, :]  # (S, T, n)
        loss = v["intensity"] * bite(held, self.tied_last[:, r], v["leakage"], axis=0)  # (T, n)
        own = self.own_last[:, r]  # (S, n)
        if subject is not None:
            on = subject[r].T.astype(float)  # (T, n)
            loss = loss * on
            own = fixed_sum(self.ties_last[..., r] * on, axis=1)
        effects.cost[rows.column, t] += loss.T
        effects.array("sanction_cost")[rows.column, t] += loss.T
        effects.cost[rows.column, s] += np.where(
            adopting > 0, v["intensity"] * v["blowback"] * own, 0.0
        ).T

    def cohesion(self) -> tuple[np.ndarray, np.ndarray]:
        """(senders still adopting, senders) per replication, shape (R,) each; both 0
        where the sanctions have not started.
        """
        total = np.where(self.started, len(self.senders), 0)
        return np.where(self.started, self.adopting.sum(axis=0), 0), total


@register
class Sanctions(Lever):
    """Each step, every target loses ``intensity × bite`` of its economy, where the bite is
    the share of its ties held by adopting senders, reduced by ``leakage`` times the share
    held by partners that do not adopt. Senders pay ``intensity × blowback × (their ties
    with the targets)`` and stop adopting once their stress passes 1. Sanctions act through
    costs: the target's stress (its resolve), its economy (with ``economy_elasticity`` > 0
    the force it sustains and the aid it gives shrink), and the war's cost terms; they buy
    the senders no leverage of their own (docs/model.md, "Sanction threats and economic
    erosion").
    """

    spec = SanctionsSpec
    reference = "Hufbauer et al. (2007); Drezner (2003); Early (2015)"
    writes = frozenset({"cost", "sanction_cost"})

    def setup(self, params: Params) -> None:
        """Resolve senders and targets; every sender adopts at first."""
        self.embargo = Embargo(
            params,
            self.index.actor_indices(self.config.senders),
            self.index.actor_indices(self.config.targets),
        )

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Senders whose stress has passed 1 stop adopting for good; then targets and
        adopting senders pay.
        """
        self.embargo.charge(state, params, effects, rows, self.values)

    def cohesion(self) -> tuple[np.ndarray, np.ndarray]:
        """(senders still adopting, senders) per replication (``Embargo.cohesion``)."""
        return self.embargo.cohesion()
