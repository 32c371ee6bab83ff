"""A threat of sanctions: a demand, a deadline, and sanctions if the target does not comply.

References: Drezner, "The Hidden Hand of Economic Coercion", International Organization
57(3) (2003), on threats that succeed before imposition; Morgan, Bapat & Kobayashi, "Threat
and Imposition of Economic Sanctions 1945-2005: Updating the TIES dataset", Conflict
Management and Peace Science 31(5) (2014); Hufbauer, Schott, Elliott & Oegg, *Economic
Sanctions Reconsidered* (3rd ed., 2007).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.core.sums import fixed_sum
from sim.levers.base import Id, Lever, LeverSpec, Rows, Step, register
from sim.levers.sanctions import Embargo, bite
from sim.scenario.params import AnyNumber, Fraction, NonNegative

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State

#: a threat's end in a replication, by code
STATUS = ("none", "pending", "conceded", "imposed", "folded")
NONE, PENDING, CONCEDED, IMPOSED, FOLDED = range(len(STATUS))


class Demand(BaseModel):
    """What the senders demand: a position on an issue (on the issue's scale)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)
    issue: Id
    value: AnyNumber


class SanctionsThreatSpec(LeverSpec):
    """Senders threaten targets with sanctions unless they concede a demand by a deadline."""

    type: Literal["sanctions_threat"]
    name: Id
    senders: list[Id] = Field(min_length=1)
    targets: list[Id] = Field(min_length=1)
    demand: Demand
    deadline: Step
    intensity: Fraction
    leakage: Fraction = 0.5
    blowback: NonNegative = 0.5
    actor_fields = ("senders", "targets")


@register
class SanctionsThreat(Lever):
    """Issued at ``start`` (a required ``name`` labels its outcomes); ``deadline`` and ``end``
    are steps like ``start``. Credibility C is the share of senders whose projected stress
    stays below 1: their cost so far plus the blowback they would pay each step from the
    deadline to the horizon (or ``end``), over their pain tolerance. The expected cost to a
    target is what the sanctions would take from its economy over those steps
    (``intensity × bite × steps``, the bite of ``sanctions`` with the senders counted in C).
    Each step before the deadline a target concedes when ``C × expected cost ≥
    pain_tolerance × salience × |position − demand|`` (normalised scale): its position moves
    to the demand and is held there (or beyond) while the lever is active. When every target
    has conceded the threat is ``conceded``; otherwise at the deadline the senders impose
    with probability C (one uniform number per replication from its lever stream) and the
    lever acts as ``sanctions`` on the targets that did not concede until ``end``
    (``imposed``), or they fold and nothing more happens (``folded``). Outcomes
    ``threat.<name>``, ``threat_step.<name>``, ``threat_credibility.<name>``.
    """

    spec = SanctionsThreatSpec
    reference = (
        "Drezner (2003); TIES: Morgan, Bapat & Kobayashi (2014); Hufbauer et al. (2007); "
        "docs/model.md, 'Sanction threats and economic erosion'"
    )
    writes = frozenset({"cost", "sanction_cost", "conceded", "conceded_to"})
    draws = 1

    def setup(self, params: Params) -> None:
        """Resolve senders, targets, the issue and the demand (normalised); the deadline in
        each replication (relative to the start, as ``end``: a triggered threat's deadline
        counts from its firing).
        """
        ix, spec = self.index, self.config
        self.embargo = Embargo(
            params, ix.actor_indices(spec.senders), ix.actor_indices(spec.targets)
        )
        self.issue = ix.issues.index(spec.demand.issue)
        lo, hi = ix.scale[self.issue]
        self.demand = (self.values["demand.value"] - lo) / (hi - lo)  # (R,)
        self.deadline = np.maximum(self.start + float(spec.deadline - spec.start), self.start)
        r, n = params.replications, len(self.embargo.targets)
        self.status = np.full(r, NONE)
        self.decided = np.full(r, -1)
        self.credibility = np.full(r, np.nan)
        self.conceded = np.zeros((r, n), dtype=bool)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """The threat stage before the deadline, the decision at it, then sanctions if imposed;
        conceded targets are held at the demand throughout.
        """
        mask = rows.mask
        self.status = np.where(mask & (self.status == NONE), PENDING, self.status)
        pending = mask & (self.status == PENDING)
        early = pending & (step < self.deadline)
        if early.any():
            self._threaten(step, state, params, np.flatnonzero(early))
        due = mask & (self.status == PENDING) & (step >= self.deadline)
        if due.any():
            self._decide(step, state, params, np.flatnonzero(due))
        imposed = mask & (self.status == IMPOSED)
        if imposed.any():
            self.embargo.charge(state, params, effects, Rows(imposed), self.values, ~self.conceded)
        held = mask & self.conceded.any(axis=-1)
        if held.any():
            self._hold(effects, np.flatnonzero(held))

    def _steps(self, idx: np.ndarray) -> np.ndarray:
        """The steps the sanctions would act, from the deadline to ``end`` or the horizon."""
        last = np.minimum(self.end[idx], float(self.horizon))
        return np.maximum(0.0, last - self.deadline[idx] + 1.0)

    def _prospect(
        self, state: State, params: Params, idx: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Credibility (n,) and each target's expected cost (n, T) in rows ``idx``."""
        e, s = self.embargo, self.embargo.senders
        intensity = self.values["intensity"][idx, None]
        steps = self._steps(idx)[:, None]
        subject = (~self.conceded[idx]).astype(float)  # the targets still threatened
        own = fixed_sum(e.sender_ties[idx] * subject[:, None, :])  # (n, S)
        blowback = intensity * self.values["blowback"][idx, None] * own
        cols = (idx[:, None], s)
        projected = (state.pain[cols] + steps * blowback) / params.pain_tolerance[cols]
        credible = projected < 1.0  # (n, S)
        share = credible.sum(axis=-1) / len(s)
        held = e.held_all[idx] * credible[:, None, :]
        leakage = self.values["leakage"][idx, None]
        expected = intensity * bite(held, e.tied[idx], leakage) * steps
        return share, expected

    def _threaten(self, step: int, state: State, params: Params, idx: np.ndarray) -> None:
        """Targets for whom the credible expected cost outweighs the stake concede."""
        credibility, expected = self._prospect(state, params, idx)
        self.credibility[idx] = credibility
        t, k = self.embargo.targets, self.issue
        distance = np.abs(state.x[idx[:, None], t, k] - self.demand[idx, None])
        stake = (
            params.pain_tolerance[idx[:, None], t] * params.salience[idx[:, None], t, k] * distance
        )
        self.conceded[idx] |= credibility[:, None] * expected >= stake
        done = idx[self.conceded[idx].all(axis=-1)]
        self.status[done] = CONCEDED
        self.decided[done] = step

    def _decide(self, step: int, state: State, params: Params, idx: np.ndarray) -> None:
        """At the deadline: impose with probability C, or fold."""
        credibility, _ = self._prospect(state, params, idx)
        self.credibility[idx] = credibility
        self.status[idx] = np.where(self.uniforms[idx, 0] < credibility, IMPOSED, FOLDED)
        self.decided[idx] = step

    def _hold(self, effects: Effects, idx: np.ndarray) -> None:
        """Mark the conceded targets' positions as held at the demand."""
        t, k = self.embargo.targets, self.issue
        at = (idx[:, None], t, k)
        on = self.conceded[idx]
        conceded, demand = effects.array("conceded"), effects.array("conceded_to")
        conceded[at] = np.where(on, 1.0, conceded[at])
        demand[at] = np.where(on, self.demand[idx, None], demand[at])

    def cohesion(self) -> tuple[np.ndarray, np.ndarray]:
        """(senders still adopting, senders) per replication where imposed (``Embargo``)."""
        return self.embargo.cohesion()

    def outcome(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per replication: the status code (``STATUS``), the step it was decided (-1: not),
        the credibility at the last evaluation (NaN: never evaluated) and the share of
        targets that conceded, (R,) each.
        """
        return self.status, self.decided, self.credibility, self.conceded.mean(axis=-1)
