"""Interveners that react: an actor's force follows a desired force set by its intent, by
how its side's war is going, by the rival side's escalation and by its costs
(docs/model.md, "Interveners that react").

The desired force of an actor with a ``reaction`` is

    f* = f0 · clip(a + b θ + e χ − k h (1 − τ̂), 0, m)

and its force moves toward it over ``ramp`` steps, ``force ← force + (f* − force) / ramp``.
Sources: Regan (2002) and Balch-Lindsay, Enterline & Joyce (2008) on third parties that
intervene, escalate and leave as the war's prospects and the rival's support change;
Gelpi, Feaver & Reifler (2009) on the tolerance of costs, which falls as the prospect of
success does (hence ``(1 − τ̂)``). A patron that would come back if its client lost cannot
credibly threaten to leave it (Snyder 1984; Crawford 2003): its credibility of abandonment
falls with ``b`` (``credibility``).

Shapes: R replications, A actors, A' actors with a reaction, B sides, W war issues.
"""

from __future__ import annotations

import numpy as np

from sim.engine import battlefield as bf
from sim.engine import war
from sim.engine.arrays import Effects, Params, State

#: the reaction's coefficients, in the order of ``Params.reaction``'s last axis
COEFFICIENTS = ("a", "b", "e", "k", "m", "ramp")
#: τ̂ of an actor whose side is in no war dyad (and of every actor before its first beliefs)
NEUTRAL_SHARE = 0.5
#: steps per year: h annualises the weekly moving-average cost
WEEKS_PER_YEAR = 52.0
#: a redeployment: the force fell at least this share of the initial force below it, and
#: later rose at least this share of the initial force above its lowest level
REDEPLOYMENT = 0.05


def desired_force(
    force0: np.ndarray,
    coefficients: np.ndarray,
    intent: np.ndarray,
    theta: np.ndarray,
    chi: np.ndarray,
    h: np.ndarray,
    share: np.ndarray,
) -> np.ndarray:
    """The desired force ``f* = f0 · clip(a + b θ + e χ − k h (1 − τ̂), 0, m)``, (R, A').

    Sources: Regan (2002); Balch-Lindsay, Enterline & Joyce (2008); Gelpi, Feaver &
    Reifler (2009).

    Args:
        force0: f0, the initial force, (R, A').
        coefficients: a, b, e, k, m, ramp (``COEFFICIENTS``) on the last axis, (R, A', 6);
            ``a`` is read from ``intent`` instead.
        intent: a, the intent after deployments, relative to f0, (R, A').
        theta: θ, the fall of its side's expected share (``deterioration``), (R, A').
        chi: χ, the escalation of the rival side (``escalation``), (R, A').
        h: its annualised cost relative to its pain tolerance (``cost_pressure``), (R, A').
        share: τ̂, its side's expected share (``own_share``), (R, A').

    """
    b, e, k, m = (coefficients[..., COEFFICIENTS.index(c)] for c in ("b", "e", "k", "m"))
    return force0 * np.clip(intent + b * theta + e * chi - k * h * (1.0 - share), 0.0, m)


def approach(force: np.ndarray, target: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """One step toward the desired force: ``force + (f* − force) / ramp``, (R, A')."""
    return force + (target - force) / ramp


def side_shares(
    alpha: np.ndarray,
    beta: np.ndarray,
    territory: np.ndarray,
    weight: np.ndarray,
    war_sides: np.ndarray,
    on_a: np.ndarray,
) -> np.ndarray:
    """Each actor's expected share of its side's dyad territory at the planning horizon on
    each war issue, from its beliefs, (R, A', W): ``τ_H = τ + (p̂ − τ)(1 − (1 − κ)^H)`` for
    side a (``war.expected_outcome`` with outcomes 1 and 0), ``1 − τ_H`` for side b.

    Args:
        alpha: the actors' beliefs, (R, A', W).
        beta: (R, A', W).
        territory: the sides' territory, (R, B).
        weight: ``1 − (1 − κ)^H``, (R,).
        war_sides: (W, 2).
        on_a: whether the actor's side is side a of the dyad, (A', W).

    """
    held = war.expected_outcome(
        alpha,
        beta,
        war.dyad_territory(territory, war_sides),
        weight,
        np.tile([1.0, 0.0], (len(war_sides), 1)),
    )
    return np.where(on_a, held, 1.0 - held)


def own_share(shares: np.ndarray, in_dyad: np.ndarray) -> np.ndarray:
    """τ̂: the lowest of its side's expected shares over the war dyads its side is in,
    ``NEUTRAL_SHARE`` when it is in none, (R, A').
    """
    lowest = np.where(in_dyad, shares, np.inf).min(axis=-1, initial=np.inf)
    return np.where(np.isfinite(lowest), lowest, NEUTRAL_SHARE)


def deterioration(reference: np.ndarray, shares: np.ndarray, in_dyad: np.ndarray) -> np.ndarray:
    """θ: the largest fall, since step 1, of its side's expected share over the war dyads its
    side is in; 0 where it has not fallen or the actor is in no dyad, (R, A').

    ``θ = max_w max(τ̂_w(1) − τ̂_w(t), 0)``.
    """
    fall = np.where(in_dyad, np.maximum(reference - shares, 0.0), 0.0)
    return fall.max(axis=-1, initial=0.0)


def escalation(rival: np.ndarray, reference: np.ndarray, in_dyad: np.ndarray) -> np.ndarray:
    """χ: the largest escalation of a rival side since step 1, (R, A').

    ``χ = max_w max(S_rival,w(t) / S_rival,w(1) − 1, 0)`` where ``S_rival`` is the strength
    of the other side of the dyad (its actors' force in the theatre plus the aid to it,
    docs/model.md, step 2); 0 where the reference is 0 or the actor is in no dyad.

    Args:
        rival: the rival side's strength now, (R, A', W).
        reference: at step 1, (R, A', W).
        in_dyad: (A', W).

    """
    ratio = np.divide(rival, reference, out=np.ones(rival.shape), where=reference > 0)
    return np.where(in_dyad, np.maximum(ratio - 1.0, 0.0), 0.0).max(axis=-1, initial=0.0)


def cost_pressure(cost_rate: np.ndarray, pain_tolerance: np.ndarray) -> np.ndarray:
    """h: the annualised cost relative to the pain tolerance, ``52 m / pain_tolerance`` (m
    the moving average of the weekly cost, ``war.cost_rate``), (R, A').
    """
    return WEEKS_PER_YEAR * cost_rate / pain_tolerance


def credibility(base: np.ndarray, b: np.ndarray, share: np.ndarray) -> np.ndarray:
    """The credibility of a reacting patron's threat to abandon its clients,
    ``C = C0 · clip(1 − b τ̂, 0, 1)``, (R, ...).

    Were its side to collapse, its side's expected share would fall by τ̂ (to 0), and its
    reaction would send back ``b τ̂`` of its initial force: the threat to leave is credible
    only for the part of its force it would not send back (Snyder 1984: a patron that
    needs its client's survival cannot credibly threaten to abandon it; Crawford 2003 on
    pivotal deterrence). ``C0`` is ``abandonment_credibility``, the credibility on other
    grounds; ``b = 0`` leaves it unchanged.

    Args:
        base: C0, (R, ...).
        b: the reaction's b, (R, ...).
        share: τ̂, (R, ...).

    """
    return base * np.clip(1.0 - b * share, 0.0, 1.0)


def redeployed(
    force: np.ndarray, lowest: np.ndarray, force0: np.ndarray, threshold: float = REDEPLOYMENT
) -> np.ndarray:
    """Whether the force has come back after a drawdown, (R, A'): its lowest level was at
    least ``threshold · f0`` below f0 and it now stands at least ``threshold · f0`` above
    that lowest level (f0 > 0).
    """
    cut = threshold * force0
    return (force0 > 0) & (lowest <= force0 - cut) & (force >= lowest + cut)


class Reactions:
    """The actors with a reaction in R replications: their coefficients and what the
    reaction remembers (the intent, the step-1 references, the lowest force, the step of a
    redeployment). Made by the engine only when some actor has a reaction.

    Args:
        params: the run's parameters.
        side_of: each actor's side, -1 for none, (A,).
        members: each side's actors (``Index.members``), (B, M).
        weight: ``1 − (1 − κ)^H``, (R,).

    """

    def __init__(
        self, params: Params, side_of: np.ndarray, members: np.ndarray, weight: np.ndarray
    ) -> None:
        p = params
        self.actors = np.flatnonzero(p.reacts)  # (A',)
        self.coefficients = p.reaction[:, self.actors]  # (R, A', 6)
        self.b = self.coefficients[..., COEFFICIENTS.index("b")]
        self.ramp = self.coefficients[..., COEFFICIENTS.index("ramp")]
        self.force0 = p.force0[:, self.actors]
        self.pain_tolerance = p.pain_tolerance[:, self.actors]
        self.members, self.weight, self.war_sides = members, weight, p.war_sides
        side = side_of[self.actors]
        self.on_a = side[:, None] == p.war_sides[None, :, 0]  # (A', W)
        self.in_dyad = self.on_a | (side[:, None] == p.war_sides[None, :, 1])
        self.rival = np.where(self.on_a, p.war_sides[:, 1], p.war_sides[:, 0])  # (A', W)
        r, shape = p.replications, (p.replications, len(self.actors), len(p.war_sides))
        self.intent = np.zeros(p.force0.shape)  # (R, A): the intent a after deployments
        self.intent[:, self.actors] = self.coefficients[..., COEFFICIENTS.index("a")]
        self.share_reference = np.zeros(shape)  # τ̂_w at step 1
        self.rival_reference = np.zeros(shape)  # S_rival,w at step 1
        self.share = np.full((r, len(self.actors)), NEUTRAL_SHARE)  # τ̂ used this step
        self.lowest = self.force0.copy()  # the lowest force so far
        self.step = np.full((r, len(self.actors)), -1)  # the first redeployment, -1: none

    def act(
        self, t: int, prev: State, effects: Effects, aid: np.ndarray | None, running: np.ndarray
    ) -> None:
        """Move the reacting actors' force one step toward their desired force, in the
        running rows where no ``fixed`` deployment holds it (docs/model.md, step 1).
        ``aid`` is this step's aid to each side, (R, B) or None.

        θ, h and τ̂ are read from the previous step's state (beliefs, territory, cost); χ
        from this step's forces and aid after the levers. Before the first beliefs (step
        1) θ = 0 and τ̂ = 1/2; the references are those of step 1.
        """
        n = self.actors
        if t > 1:
            alpha, beta = prev.alpha[:, n], prev.beta[:, n]
            shares = side_shares(
                alpha, beta, prev.territory, self.weight, self.war_sides, self.on_a
            )
            if t == 2:
                self.share_reference = np.where(running[:, None, None], shares, 0.0)
            theta = deterioration(self.share_reference, shares, self.in_dyad)
            self.share = own_share(shares, self.in_dyad)
        else:
            theta = np.zeros(self.share.shape)
        totals = bf.side_totals(effects.force + effects.extra_force, self.members)
        rival = bf.side_strength(totals, aid, prev.alive)[:, self.rival]  # (R, A', W)
        if t == 1:
            self.rival_reference = rival
        chi = escalation(rival, self.rival_reference, self.in_dyad)
        h = cost_pressure(prev.cost_rate[:, n], self.pain_tolerance)
        intent = effects.intent[:, n]
        target = desired_force(self.force0, self.coefficients, intent, theta, chi, h, self.share)
        force = effects.force[:, n]
        free = running[:, None]
        if effects.force_fixed is not None:
            free = free & (effects.force_fixed[:, n] == 0)
        effects.force[:, n] = np.where(free, approach(force, target, self.ramp), force)
        self.intent = np.where(running[:, None], effects.intent, self.intent)

    def credibility(self, base: np.ndarray, holders: np.ndarray) -> np.ndarray:
        """The credibility of abandonment on the threatening edges this step, (R, E'):
        ``credibility`` for a holder with a reaction, ``C0`` unchanged for the others.

        Args:
            base: every actor's ``abandonment_credibility`` C0, (R, A).
            holders: each threatening edge's holder, (E',).

        """
        factor = np.ones(base.shape)
        factor[:, self.actors] = credibility(np.ones(self.b.shape), self.b, self.share)
        return base[:, holders] * factor[:, holders]

    def observe(self, t: int, force: np.ndarray, running: np.ndarray) -> None:
        """Record the step's force: the lowest level so far and the first redeployment,
        in the rows that ran this step.
        """
        own = force[:, self.actors]
        ran = running[:, None]
        self.lowest = np.where(ran, np.minimum(self.lowest, own), self.lowest)
        back = ran & (self.step < 0) & redeployed(own, self.lowest, self.force0)
        self.step = np.where(back, t, self.step)
