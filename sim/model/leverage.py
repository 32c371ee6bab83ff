"""Effective leverage and bargaining capability: plain functions over numpy arrays."""

from __future__ import annotations

import numpy as np


def drawdown(force: np.ndarray, force0: np.ndarray) -> np.ndarray:
    """Share of its initial force an actor has withdrawn (0 when it has not)."""
    kept = np.divide(force, force0, out=np.ones_like(force), where=force0 > 0)
    return np.minimum(np.maximum(1.0 - kept, 0.0), 1.0)


def effective_leverage(structural: np.ndarray, same_side: np.ndarray, withdrawn: np.ndarray,
                       aid_gain: np.ndarray, sanction_gain: np.ndarray,
                       pressure: np.ndarray) -> np.ndarray:
    """``E = clip((L + L·d·same_side + aid + sanctions) · (1 + pressure), 0, 1)``.

    Args:
        structural: L[i, j], structural leverage of i over j, shape (A, A).

    Every array may carry a leading batch dimension (runs).
        same_side: 1 where i and j are on the same side, shape (A, A).
        withdrawn: each actor's drawdown d_i in [0, 1], shape (A,). A patron that draws
            down makes its threat to abandon its clients credible: its leverage over
            clients on its own side rises by ``L · d``.
        aid_gain: leverage donors gain from aid, shape (A, A).
        sanction_gain: leverage senders gain from sanctions, shape (A, A).
        pressure: proportional boost from pressure levers, shape (A, A).

    With no instruments and no drawdown, E equals L exactly.

    """
    raised = withdrawn[..., :, None] * same_side  # (computed in place: one (A, A) array)
    raised += 1.0
    raised *= structural
    raised += aid_gain
    raised += sanction_gain
    raised *= 1.0 + pressure
    np.maximum(raised, 0.0, out=raised)
    return np.minimum(raised, 1.0, out=raised)


def aid_leverage(aid: np.ndarray, recipients: np.ndarray, side_of: np.ndarray,
                 strength: np.ndarray) -> np.ndarray:
    """Donor i's gain over recipient j: its aid to j's side as a share of that side's strength.

    Args:
        aid: (A, B) force donor i adds to side b.
        recipients: (A, A) 1 where i aids j.
        side_of: (A,) side of each actor, -1 for none.
        strength: (B,) side strengths including aid.

    ``aid``, ``recipients`` and ``strength`` may carry a leading batch dimension (runs).

    """
    share = np.zeros(aid.shape[:-1] + (aid.shape[-1] + 1,))  # (A, B + 1); last: no side
    strength = strength[..., None, :]  # (..., 1, B)
    np.divide(aid, strength, out=share[..., :-1], where=strength > 0)
    return share[..., side_of] * recipients


def capability(force: np.ndarray, economy: np.ndarray, given: np.ndarray,
               weights: np.ndarray) -> np.ndarray:
    """Bargaining power: ``capability`` where given, else ``w_f·force/Σforce + w_e·eco/Σeco``."""
    return force_capability(force, weights[0], weights[1] * economy / economy.sum(), given)


def force_capability(force: np.ndarray, force_weight: float, economic: np.ndarray,
                     given: np.ndarray | None) -> np.ndarray:
    """``capability`` with its economic part ``w_e·eco/Σeco`` given (it stays the same for
    a whole run); ``given`` may be None when no actor's capability is given. Every array
    may carry a leading batch dimension (runs; ``force_weight`` then has shape (R, 1)).
    """
    total = force.sum(axis=-1, keepdims=True)
    share = np.divide(force, total, out=np.zeros_like(force), where=total > 0)
    derived = force_weight * share + economic
    return derived if given is None else np.where(np.isnan(given), derived, given)
