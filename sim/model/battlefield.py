"""The contest for territory: plain functions over numpy arrays (side axis last)."""

from __future__ import annotations

import numpy as np


def side_totals(force: np.ndarray, side_matrix: np.ndarray) -> np.ndarray:
    """``Σ force_i`` over the actors on each side, shape (..., B).

    A batch of runs (force of shape (R, A)) is summed run by run, so that each run's sums
    are exactly those it gets alone (a matrix product over the batch may add in another
    order).
    """
    if force.ndim == 1:
        return force @ side_matrix
    return np.array([row @ side_matrix for row in force])


def side_strength(force: np.ndarray, side_matrix: np.ndarray, aid: np.ndarray,
                  alive: np.ndarray) -> np.ndarray:
    """``S_b = Σ force_i`` over actors on side b, plus aid; 0 for collapsed sides.

    Args:
        force: actors' force in the theatre, shape (..., A).
        side_matrix: one-hot (A, B).
        aid: force added to each side by donors, shape (..., B).
        alive: sides still fighting, shape (..., B).

    """
    return (side_totals(force, side_matrix) + aid) * alive


def contest_share(strength: np.ndarray, decisiveness: float) -> np.ndarray:
    """Tullock contest success function ``P_b = S_b^γ / Σ_c S_c^γ``.

    Equal strengths give equal shares; with no strength anywhere, every share is 0.
    """
    powered = np.maximum(strength, 0.0) ** decisiveness
    total = powered.sum(axis=-1, keepdims=True)
    return powered / np.where(total > 0, total, np.inf)


def move_territory(territory: np.ndarray, share: np.ndarray, rate: float,
                   shock: np.ndarray) -> np.ndarray:
    """``T_b + κ (P_b − T_b) + ε_b``, clipped at 0 (not yet renormalised)."""
    return np.maximum(territory + rate * (share - territory) + shock, 0.0)


def normalise(territory: np.ndarray, alive: np.ndarray | None) -> np.ndarray:
    """Renormalise shares to 1 over living sides (equal shares when none holds any).

    ``alive`` may be None when every side is alive.
    """
    t = territory if alive is None else territory * alive
    total = t.sum()
    if total > 0:
        return t / total
    alive = np.ones(t.shape, dtype=bool) if alive is None else alive
    return alive / max(alive.sum(), 1)


def apply_floors(territory: np.ndarray, floor: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Renormalise shares to 1 over living sides, keeping every side at or above its floor.

    Sides pushed up to their floor keep it; the others share the rest in proportion to
    their current territory. Floors that add up to more than 1 are scaled down.
    """
    t = normalise(territory, alive)
    if not floor.any():
        return t
    floor = floor * alive
    if floor.sum() > 1:
        floor = floor / floor.sum()
    fixed = np.zeros_like(alive, dtype=bool)
    for _ in range(len(t)):
        newly = (t < floor) & ~fixed
        if not newly.any():
            break
        fixed |= newly
        free = ~fixed & alive.astype(bool)
        rest = 1.0 - floor[fixed].sum()
        t = np.where(fixed, floor, t)
        free_total = t[free].sum()
        if free_total > 0:
            t[free] *= rest / free_total
    return t


def collapsed(territory: np.ndarray, alive: np.ndarray, threshold: float) -> np.ndarray:
    """Sides that fall below ``threshold`` this step (they lose militarily)."""
    return alive.astype(bool) & (territory < threshold)


def victor(territory: np.ndarray, threshold: float) -> int:
    """The side holding at least ``1 − threshold`` of the territory, or -1."""
    if territory.size == 0:
        return -1
    top = int(np.argmax(territory))
    return top if territory[top] >= 1.0 - threshold else -1
