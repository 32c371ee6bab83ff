"""Effective leverage and bargaining capability: plain functions over arrays (axis R)."""

from __future__ import annotations

import numpy as np

from sim.core.sums import fixed_sum


def effective_leverage(
    structural: np.ndarray,
    patron_gain: np.ndarray | None,
    aid_gain: np.ndarray | None,
    pressure: np.ndarray | None,
) -> np.ndarray:
    """``E = clip((L + D·C + aid) · (1 + pressure), 0, 1)`` on the leverage network's edges
    (holder i → target j), shape (R, E).

    ``D·C`` is a patron's leverage from the threat to abandon its client: the client's
    dependence D (how far its expected war outcome would fall without the patron,
    ``war.dependence``) times the credibility C of the threat (Hirschman 1945; Snyder 1984;
    Crawford 2003; docs/model.md, step 5). With no instruments and no credible threat,
    E equals L exactly. Sanctions add no term: they act through costs, the economy, the
    war's cost terms and the threat stage (docs/model.md, "Sanction threats and economic
    erosion").

    Args:
        structural: L, structural leverage of each edge's holder over its target, (R, E).
        patron_gain: D·C, (R, E), or None.
        aid_gain: leverage donors gain from aid, (R, E), or None.
        pressure: proportional boost from pressure levers, (R, E), or None.

    """
    raised = structural.copy()
    for gain in (patron_gain, aid_gain):
        if gain is not None:
            raised += gain
    if pressure is not None:
        raised *= 1.0 + pressure
    np.maximum(raised, 0.0, out=raised)
    return np.minimum(raised, 1.0, out=raised)


def aid_leverage(
    aid: np.ndarray,
    recipients: np.ndarray,
    holder: np.ndarray,
    target_side: np.ndarray,
    strength: np.ndarray,
) -> np.ndarray:
    """Donor i's gain over recipient j on each edge: its aid to j's side as a share of
    that side's strength, (R, E) (Sislin 1994 on arms transfers as influence).

    Args:
        aid: (R, A, B) force donor i adds to side b.
        recipients: (R, E) 1 where the edge's holder aids its target.
        holder: each edge's holder, (E,).
        target_side: the side of each edge's target, -1 for none, (E,).
        strength: (R, B) side strengths including aid.

    """
    marked = np.flatnonzero(recipients.any(axis=0))  # (elsewhere the gain is 0: skipped)
    side = np.where(target_side >= 0, target_side, 0)[marked]
    given = aid[:, holder[marked], side]  # (R, marked edges)
    whole = strength[:, side]
    share = np.divide(
        given, whole, out=np.zeros_like(given), where=(whole > 0) & (target_side[marked] >= 0)
    )
    gain = np.zeros_like(recipients)
    gain[:, marked] = share * recipients[:, marked]
    return gain


def capability(
    force: np.ndarray, force_weight: float, economic: np.ndarray, given: np.ndarray | None
) -> np.ndarray:
    """Bargaining power: ``capability`` where given, else ``w_f·force/Σforce + w_e·eco/Σeco``.

    Args:
        force: force in the theatre, (R, A).
        force_weight: w_f.
        economic: the economic part ``w_e·economy/Σeconomy`` (fixed for a run), (R, A).
        given: the scenario's capability, NaN where derived, (R, A), or None when every
            actor's is derived.

    """
    total = fixed_sum(force, keepdims=True)
    share = np.divide(force, total, out=np.zeros_like(force), where=total > 0)
    derived = force_weight * share + economic
    return derived if given is None else np.where(np.isnan(given), derived, given)


def economic_part(economy: np.ndarray, economy_weight: float) -> np.ndarray:
    """``w_e·economy/Σeconomy``, (R, A)."""
    return economy_weight * economy / fixed_sum(economy, keepdims=True)
