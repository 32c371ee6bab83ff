"""The bargaining model of war: beliefs about the contest, expected war outcomes, expected
costs and dependence on patrons; plain functions over arrays (leading axis R).

Shapes: R replications, A actors, B sides, W war issues (issues with a ``war_outcome``),
E leverage edges. Each war issue has a principal dyad of two sides (a, b); a "dyad share"
is side a's share of the contest between the two.

Sources: Fearon (1995) and Powell (2006) on war as a costly lottery over the issue;
Slantchev (2003) and Smith & Stam (2004) on learning about the balance of power from
battles; Blainey (1973) and Johnson (2004) on optimism; Hirschman (1945) and Snyder (1984)
on dependence and the credibility of abandonment.
"""

from __future__ import annotations

import math

import numpy as np


def dyad_share(strength: np.ndarray, war_sides: np.ndarray, decisiveness: np.ndarray) -> np.ndarray:
    """Side a's share of the contest between the dyad's two sides, shape (R, W).

    ``p = S_a^γ / (S_a^γ + S_b^γ)``: the Tullock contest restricted to the dyad (it equals
    ``P_a / (P_a + P_b)`` of the full contest). 1/2 when neither side has strength.

    Args:
        strength: side strengths S, (R, B).
        war_sides: the dyad's sides (a, b) of each war issue, (W, 2).
        decisiveness: γ, (R,).

    """
    return _share(strength[:, war_sides[:, 0]], strength[:, war_sides[:, 1]], decisiveness)


def _share(a: np.ndarray, b: np.ndarray, decisiveness: np.ndarray) -> np.ndarray:
    # (the exponent as a full array, as in battlefield.contest_share: batch invariance)
    exponent = np.broadcast_to(decisiveness.reshape((-1,) + (1,) * (a.ndim - 1)), a.shape).copy()
    pa = np.power(np.maximum(a, 0.0), exponent)
    pb = np.power(np.maximum(b, 0.0), exponent)
    total = pa + pb
    return np.divide(pa, total, out=np.full(a.shape, 0.5), where=total > 0)


def dyad_territory(territory: np.ndarray, war_sides: np.ndarray) -> np.ndarray:
    """Side a's share of the territory the dyad's two sides hold, (R, W); 1/2 if none."""
    a, b = territory[:, war_sides[:, 0]], territory[:, war_sides[:, 1]]
    total = a + b
    return np.divide(a, total, out=np.full(a.shape, 0.5), where=total > 0)


def prior(
    share: np.ndarray,
    optimism: np.ndarray,
    side_of: np.ndarray,
    war_sides: np.ndarray,
    strength: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's Beta prior about each dyad share: mean the true share shifted toward its
    own side by its optimism, weight ``strength`` engagements (Blainey 1973; Johnson 2004).

    ``m_i = clip(p + o_i·[i on a] − o_i·[i on b], 0.01, 0.99)``, ``α = n0·m``,
    ``β = n0·(1 − m)``; actors on neither side of the dyad hold the true share.

    Args:
        share: the true dyad share p, (R, W).
        optimism: o_i, (R, A).
        side_of: each actor's side, -1 for none, (A,).
        war_sides: (W, 2).
        strength: n0, the prior's weight in engagements, (R,).

    Returns:
        α and β, (R, A, W) each.

    """
    sign = (side_of[:, None] == war_sides[None, :, 0]).astype(float) - (
        side_of[:, None] == war_sides[None, :, 1]
    )  # (A, W)
    mean = np.clip(share[:, None, :] + optimism[:, :, None] * sign, 0.01, 0.99)
    n0 = strength[:, None, None]
    return n0 * mean, n0 * (1.0 - mean)


def update_beliefs(
    alpha: np.ndarray,
    beta: np.ndarray,
    share: np.ndarray,
    uniforms: np.ndarray,
    discount: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One week's public battlefield signal and the discounted Bayesian update.

    The week's ``n_e`` engagements are Bernoulli trials won by side a with probability
    p (the true dyad share): ``s = Σ_e [u_e < p] ~ Binomial(n_e, p)``, the same signal for
    every actor. ``α ← φ α + s``, ``β ← φ β + (n_e − s)`` (φ = 1: Bayesian updating of a
    Beta prior; φ < 1 discounts old evidence). Source: Smith & Stam (2004); Slantchev
    (2003).

    Args:
        alpha: (R, A, W).
        beta: (R, A, W).
        share: the true dyad share p this week, (R, W).
        uniforms: the week's uniform draws, (R, W, n_e).
        discount: φ, (R,).

    """
    wins = (uniforms < share[:, :, None]).sum(axis=-1)  # (R, W) (small integer counts)
    phi = discount[:, None, None]
    return phi * alpha + wins[:, None, :], phi * beta + (uniforms.shape[-1] - wins)[:, None, :]


def horizon_weight(rate: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    """``1 − (1 − κ)^H``: how far territory moves toward the contest share in H steps
    under the territory law of docs/model.md, step 3, (R,).
    """
    return 1.0 - survival(1.0 - rate, horizon)


def survival(base: np.ndarray, steps: np.ndarray | float) -> np.ndarray:
    """``base ** steps`` elementwise, one row at a time (numpy's vectorised ``power`` may
    round differently by the array's length, and a row must not depend on its batch).
    """
    steps = np.broadcast_to(steps, base.shape)
    return np.array([math.pow(b, n) for b, n in zip(base.tolist(), steps.tolist(), strict=True)])


def expected_outcome(
    alpha: np.ndarray,
    beta: np.ndarray,
    territory: np.ndarray,
    weight: np.ndarray,
    war_value: np.ndarray,
) -> np.ndarray:
    """Each actor's expected war outcome x̄ on each war issue (normalised), (R, A, W).

    The actor expects the dyad share ``p̂ = α / (α + β)``; territory moves toward it, so
    at the planning horizon side a holds ``τ_H = τ + (p̂ − τ)·(1 − (1 − κ)^H)`` of the
    dyad's territory; fighting on is a lottery over the two sides' war outcomes,
    ``x̄ = τ_H w_a + (1 − τ_H) w_b`` (Fearon 1995, the costly lottery; Powell 2006).

    Args:
        alpha: (R, A, W).
        beta: (R, A, W).
        territory: τ, side a's share of the dyad's territory now, (R, W).
        weight: ``1 − (1 − κ)^H`` (``horizon_weight``), (R,).
        war_value: the outcomes (w_a, w_b) of each war issue, normalised, (W, 2).

    """
    expected = alpha / (alpha + beta)
    tau = territory[:, None, :]
    held = tau + (expected - tau) * weight[:, None, None]
    return war_value[:, 1] + held * (war_value[:, 0] - war_value[:, 1])


def cost_rate(previous: np.ndarray, weekly: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    """Moving average of each actor's weekly cost over the planning horizon, (R, A):
    ``m ← m + (cost this week − m) / H`` (an exponential moving average of span H).
    """
    return previous + (weekly - previous) / horizon[:, None]


def cost_term(
    rate: np.ndarray,
    horizon: np.ndarray,
    pain_tolerance: np.ndarray,
    salience: np.ndarray,
) -> np.ndarray:
    """The expected cost of fighting on for H more weeks, on the issue scale, (R, A, K):
    ``c_ik = H·m_i / (pain_tolerance_i · s_ik)`` (Fearon's c_i: the cost of war relative to
    the value of the issue; the cost that would halve the actor's resolve, weighed by the
    issue's salience). Infinite when the issue has no salience for the actor.

    Args:
        rate: the moving average of weekly cost m, as a fraction of the economy, (R, A).
        horizon: H, (R,).
        pain_tolerance: (R, A).
        salience: (R, A, K).

    """
    projected = (rate * horizon[:, None] / pain_tolerance)[:, :, None]
    return np.divide(
        projected * np.ones_like(salience),
        salience,
        out=np.full(salience.shape, np.inf),
        where=salience > 0,
    )


def dependence(
    strength: np.ndarray,
    contribution: np.ndarray,
    substitute: np.ndarray,
    target_side: np.ndarray,
    war_sides: np.ndarray,
    war_value: np.ndarray,
    decisiveness: np.ndarray,
    weight: np.ndarray,
) -> np.ndarray:
    """How far each edge's target's expected war outcome would fall without the edge's
    holder (its force and aid), net of what others on the target's side could substitute,
    on the issue scale, (R, E, W) (Hirschman 1945: dependence is the cost of losing the
    relationship, given the alternatives).

    Without the holder, the target's side has strength ``S − g + min(g, sub)`` where g is
    the holder's contribution and sub the surge capacity of the side's other actors. The
    fall is ``(1 − (1 − κ)^H) · |p − p_without| · |w_a − w_b|`` on each war issue whose
    dyad includes the target's side, 0 elsewhere.

    Args:
        strength: side strengths, (R, B).
        contribution: g, the holder's force and aid on the target's side, (R, E).
        substitute: sub, the surge capacity of the target side's other actors, (R, E).
        target_side: each edge's target's side, -1 for none, (E,).
        war_sides: (W, 2).
        war_value: (W, 2).
        decisiveness: γ, (R,).
        weight: ``1 − (1 − κ)^H``, (R,).

    """
    side = np.where(target_side >= 0, target_side, 0)
    own = strength[:, side]  # (R, E)
    without = own - contribution + np.minimum(contribution, substitute)
    out = np.zeros((*own.shape, len(war_sides)))
    for w, (a, b) in enumerate(war_sides):
        on_a, on_b = target_side == a, target_side == b
        if not (on_a.any() or on_b.any()):
            continue
        other = np.where(on_a, strength[:, [b]], strength[:, [a]])  # (R, E)
        fall = _share(own, other, decisiveness) - _share(without, other, decisiveness)
        stake = abs(war_value[w, 0] - war_value[w, 1])
        out[:, :, w] = np.where(on_a | on_b, fall * stake * weight[:, None], 0.0)
    return out
