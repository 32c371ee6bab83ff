"""Costs, stress and civilian harm: plain functions over numpy arrays."""

from __future__ import annotations

import numpy as np

from sim.model.battlefield import side_totals


def upkeep(force: np.ndarray, unit_cost: np.ndarray, economy: np.ndarray) -> np.ndarray:
    """Force upkeep for one step as a fraction of each actor's economy."""
    return force * unit_cost / economy


def battle_losses(lost: np.ndarray, force: np.ndarray, side_matrix: np.ndarray,
                  loss_cost: float) -> np.ndarray:
    """Cost of territory lost, as a fraction of economy, split by force within each side.

    Args:
        lost: territory share each side lost this step (≥ 0), shape (B,).
        force: actors' force in the theatre, shape (A,).
        side_matrix: one-hot (A, B).
        loss_cost: cost per unit of territory share lost.

    """
    return losses_by_stake(lost, side_stake(force, side_matrix), side_matrix, loss_cost)


def side_stake(force: np.ndarray, side_matrix: np.ndarray) -> np.ndarray:
    """Each actor's share of its side's force (0 for actors on no side or a side without
    force), shape (..., A).
    """
    # (..., A): force of each actor's side (one term per sum: exact in any order)
    own_side = side_totals(force, side_matrix) @ side_matrix.T
    return np.divide(force, own_side, out=np.zeros_like(force), where=own_side > 0)


def losses_by_stake(lost: np.ndarray, stake: np.ndarray, side_matrix: np.ndarray,
                    loss_cost: float) -> np.ndarray:
    """``battle_losses`` given each actor's stake in its side (``side_stake``).

    ``lost``, ``stake`` and ``loss_cost`` may carry a leading batch dimension (runs).
    """
    return loss_cost * (lost @ side_matrix.T) * stake


def civilian_harm(strength: np.ndarray, strength0: float, harm: float,
                  factor: float) -> float:
    """Harm this step: ``harm`` × fighting intensity (total strength relative to step 0)
    × the reduction factor of safe zones.
    """
    if strength0 <= 0:
        return 0.0
    return float(harm * strength.sum() / strength0 * factor)


def civilian_harm_each(strength: np.ndarray, strength0: np.ndarray, harm: np.ndarray,
                       factor: np.ndarray) -> np.ndarray:
    """``civilian_harm`` for a batch of runs: strength (R, B), the rest (R,)."""
    positive = strength0 > 0
    return np.where(positive, harm * strength.sum(axis=-1) / np.where(positive, strength0, 1.0)
                    * factor, 0.0)
