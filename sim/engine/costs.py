"""Costs, stress and civilian harm: plain functions over arrays (leading axis R)."""

from __future__ import annotations

import numpy as np

from sim.core.sums import fixed_sum


def upkeep_rate(unit_cost: np.ndarray, economy: np.ndarray) -> np.ndarray:
    """Upkeep of one unit of force for one step, as a fraction of the economy, (R, A)."""
    return unit_cost / economy


def per_actor(side_values: np.ndarray, side_of: np.ndarray) -> np.ndarray:
    """Each actor's side's value (0 for actors on no side), (R, A), from (R, B)."""
    padded = np.concatenate([side_values, np.zeros((side_values.shape[0], 1))], axis=-1)
    return padded[:, side_of]  # (side -1 reads the zero column)


def side_stake(force: np.ndarray, side_totals: np.ndarray, side_of: np.ndarray) -> np.ndarray:
    """Each actor's share of its side's force (0 for actors on no side or a side without
    force), (R, A).

    Args:
        force: (R, A).
        side_totals: each side's total force, (R, B).
        side_of: (A,), side index or -1.

    """
    own_side = per_actor(side_totals, side_of)
    return np.divide(force, own_side, out=np.zeros_like(force), where=own_side > 0)


def battle_losses(
    lost: np.ndarray, stake: np.ndarray, side_of: np.ndarray, loss_cost: np.ndarray
) -> np.ndarray:
    """Cost of territory lost, as a fraction of economy, split by stake within each side:
    ``loss_cost · (territory its side lost) · (its share of the side's force)``, (R, A).

    Args:
        lost: territory share each side lost this step (≥ 0), (R, B).
        stake: each actor's share of its side's force (``side_stake``), (R, A).
        side_of: (A,), side index or -1.
        loss_cost: cost per unit of territory share lost, (R,).

    """
    return loss_cost[:, None] * per_actor(lost, side_of) * stake


def civilian_harm(
    strength: np.ndarray, strength0: np.ndarray, harm: np.ndarray, factor: np.ndarray
) -> np.ndarray:
    """Harm this step: ``harm`` × fighting intensity (total strength relative to step 0)
    × the reduction factor of safe zones, shape (R,).

    Args:
        strength: side strengths, (R, B).
        strength0: total strength at step 0, (R,); no harm where it is 0.
        harm: harm per step at the initial intensity, (R,).
        factor: product of the safe zones' reductions, (R,).

    """
    positive = strength0 > 0
    return np.where(
        positive, harm * fixed_sum(strength) / np.where(positive, strength0, 1.0) * factor, 0.0
    )
