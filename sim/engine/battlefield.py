"""The contest for territory: plain functions over arrays with a leading replication axis.

Shapes: R replications, A actors, B sides. Every sum runs along the last axis, one
replication's row at a time, so a replication's numbers do not depend on its batch.
"""

from __future__ import annotations

import numpy as np

from sim.core.sums import fixed_sum


def side_totals(force: np.ndarray, members: np.ndarray) -> np.ndarray:
    """``Σ force_i`` over the actors on each side, shape (R, B).

    Args:
        force: (R, A).
        members: for each side, the indices of its actors, padded with A (a zero),
            shape (B, M) (``Index.members``).

    """
    padded = np.concatenate([force, np.zeros((force.shape[0], 1))], axis=-1)
    return fixed_sum(padded[:, members])


def side_strength(totals: np.ndarray, aid: np.ndarray | None, alive: np.ndarray) -> np.ndarray:
    """``S_b = Σ force_i`` over actors on side b, plus aid; 0 for collapsed sides, (R, B).

    Args:
        totals: each side's force in the theatre (``side_totals``), (R, B).
        aid: force added to each side by donors, (R, B), or None.
        alive: sides still fighting, (R, B) bool.

    """
    return (totals if aid is None else totals + aid) * alive


def contest_share(strength: np.ndarray, decisiveness: np.ndarray) -> np.ndarray:
    """Tullock contest success function ``P_b = S_b^γ / Σ_c S_c^γ``, shape (R, B).

    Source: Tullock (1980), "Efficient rent seeking"; Hirshleifer (1989) on the
    decisiveness γ. Equal strengths give equal shares; with no strength anywhere, every
    share is 0.

    Args:
        strength: (R, B).
        decisiveness: γ, (R,).

    """
    # (the exponent as a full array: numpy takes shortcuts, such as sqrt for 0.5, when an
    # exponent is the same number for the whole operation, which would make one row alone
    # differ from the same row in a batch)
    exponent = np.repeat(decisiveness[:, None], strength.shape[-1], axis=-1)
    powered = np.power(np.maximum(strength, 0.0), exponent)
    total = fixed_sum(powered, keepdims=True)
    return powered / np.where(total > 0, total, np.inf)


def move_territory(
    territory: np.ndarray, share: np.ndarray, rate: np.ndarray, shock: np.ndarray
) -> np.ndarray:
    """``T_b + κ (P_b − T_b) + ε_b``, clipped at 0 (not yet renormalised), (R, B)."""
    return np.maximum(territory + rate[:, None] * (share - territory) + shock, 0.0)


def normalise(territory: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Renormalise shares to 1 over living sides (equal shares when none holds any)."""
    t = territory * alive
    total = fixed_sum(t, keepdims=True)
    even = alive / np.maximum(alive.sum(axis=-1, keepdims=True), 1)
    return np.where(total > 0, t / np.where(total > 0, total, 1.0), even)


def apply_floors(territory: np.ndarray, floor: np.ndarray | None, alive: np.ndarray) -> np.ndarray:
    """Renormalise shares to 1 over living sides, keeping every side at or above its floor.

    Sides pushed up to their floor keep it; the others share the rest in proportion to
    their current territory. Floors that add up to more than 1 are scaled down.

    Args:
        territory: (R, B).
        floor: (R, B), or None for no floors.
        alive: (R, B) bool.

    """
    t = normalise(territory, alive)
    if floor is None or not floor.any():
        return t
    floor = floor * alive
    total = fixed_sum(floor, keepdims=True)
    floor = np.where(total > 1, floor / np.where(total > 1, total, 1.0), floor)
    fixed = np.zeros(t.shape, dtype=bool)
    for _ in range(t.shape[-1]):
        newly = (t < floor) & ~fixed
        changed = newly.any(axis=-1, keepdims=True)
        if not changed.any():
            break
        fixed |= newly
        free = ~fixed & alive
        rest = 1.0 - fixed_sum(floor * fixed, keepdims=True)
        pinned = np.where(fixed, floor, t)
        free_total = fixed_sum(pinned * free, keepdims=True)
        scaled = np.where(
            free & (free_total > 0),
            pinned * (rest / np.where(free_total > 0, free_total, 1.0)),
            pinned,
        )
        t = np.where(changed, scaled, t)
    return t


def collapsed(territory: np.ndarray, alive: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Sides that fall below ``threshold`` (R,) this step (they lose militarily), (R, B)."""
    return alive & (territory < threshold[:, None])


def victor(territory: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """The side holding at least ``1 − threshold`` of the territory, or -1, shape (R,)."""
    if territory.shape[-1] == 0:
        return np.full(territory.shape[0], -1)
    top = territory.argmax(axis=-1)
    held = np.take_along_axis(territory, top[:, None], axis=-1)[:, 0]
    return np.where(held >= 1.0 - threshold, top, -1)
