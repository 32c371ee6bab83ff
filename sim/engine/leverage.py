"""Effective leverage and bargaining capability: plain functions over arrays (axis R)."""

from __future__ import annotations

import numpy as np


def drawdown(force: np.ndarray, force0: np.ndarray) -> np.ndarray:
    """Share of its initial force an actor has withdrawn (0 when it has not), (R, A)."""
    kept = np.divide(force, force0, out=np.ones_like(force), where=force0 > 0)
    return np.minimum(np.maximum(1.0 - kept, 0.0), 1.0)


def effective_leverage(structural: np.ndarray, same_side: np.ndarray, withdrawn: np.ndarray,
                       aid_gain: np.ndarray | None, sanction_gain: np.ndarray | None,
                       pressure: np.ndarray | None) -> np.ndarray:
    """``E = clip((L + L·d·same_side + aid + sanctions) · (1 + pressure), 0, 1)``, (R, A, A).

    A patron that draws down makes its threat to abandon its clients credible: its
    leverage over clients on its own side rises by ``L · d`` (Snyder 1984 on abandonment;
    docs/model.md, step 5). With no instruments and no drawdown, E equals L exactly.

    Args:
        structural: L[r, i, j], structural leverage of i over j, (R, A, A).
        same_side: 1 where i and j are on the same side, (A, A).
        withdrawn: each actor's drawdown d_i in [0, 1], (R, A).
        aid_gain: leverage donors gain from aid, (R, A, A), or None.
        sanction_gain: leverage senders gain from sanctions, (R, A, A), or None.
        pressure: proportional boost from pressure levers, (R, A, A), or None.

    """
    raised = withdrawn[..., :, None] * same_side
    raised += 1.0
    raised *= structural
    if aid_gain is not None:
        raised += aid_gain
    if sanction_gain is not None:
        raised += sanction_gain
    if pressure is not None:
        raised *= 1.0 + pressure
    np.maximum(raised, 0.0, out=raised)
    return np.minimum(raised, 1.0, out=raised)


def aid_leverage(aid: np.ndarray, recipients: np.ndarray, side_of: np.ndarray,
                 strength: np.ndarray) -> np.ndarray:
    """Donor i's gain over recipient j: its aid to j's side as a share of that side's
    strength, (R, A, A) (Sislin 1994 on arms transfers as influence).

    Args:
        aid: (R, A, B) force donor i adds to side b.
        recipients: (R, A, A) 1 where i aids j.
        side_of: (A,) side of each actor, -1 for none.
        strength: (R, B) side strengths including aid.

    """
    share = np.zeros(aid.shape[:-1] + (aid.shape[-1] + 1,))  # (R, A, B + 1); last: no side
    strength = strength[..., None, :]  # (R, 1, B)
    np.divide(aid, strength, out=share[..., :-1], where=strength > 0)
    return share[..., side_of] * recipients


def capability(force: np.ndarray, force_weight: float, economic: np.ndarray,
               given: np.ndarray) -> np.ndarray:
    """Bargaining power: ``capability`` where given, else ``w_f·force/Σforce + w_e·eco/Σeco``.

    Args:
        force: force in the theatre, (R, A).
        force_weight: w_f.
        economic: the economic part ``w_e·economy/Σeconomy`` (fixed for a run), (R, A).
        given: the scenario's capability, NaN where derived, (R, A).

    """
    total = force.sum(axis=-1, keepdims=True)
    share = np.divide(force, total, out=np.zeros_like(force), where=total > 0)
    return np.where(np.isnan(given), force_weight * share + economic, given)


def economic_part(economy: np.ndarray, economy_weight: float) -> np.ndarray:
    """``w_e·economy/Σeconomy``, (R, A)."""
    return economy_weight * economy / economy.sum(axis=-1, keepdims=True)
