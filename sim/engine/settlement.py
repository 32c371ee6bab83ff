"""Settlement at the talks: plain functions over arrays (leading axis R)."""

from __future__ import annotations

import numpy as np


def within(
    x: np.ndarray, forecast: np.ndarray, rows: np.ndarray, tolerance: np.ndarray
) -> np.ndarray:
    """Whether each replication's chosen actors are within its tolerance of its forecast on
    every issue (``|x − forecast| ≤ tolerance``; True when no actor is chosen; NaN never
    agrees), shape (R,).

    Args:
        x: positions (R, A, K).
        forecast: (R, K).
        rows: (R, A) bool, the actors each replication tests (its veto players).
        tolerance: (R,), each replication's tolerance (≥ 0).

    """
    gap = np.where(rows[..., None], np.abs(x - forecast[:, None, :]), 0.0)  # (0 agrees)
    if gap.shape[1] * gap.shape[2] == 0:
        return np.ones(x.shape[0], dtype=bool)
    return gap.max(axis=(1, 2)) <= tolerance  # (NaN never agrees: the max is NaN)


def deciders(veto: np.ndarray, participants: np.ndarray) -> np.ndarray:
    """The actors whose agreement a settlement needs: the veto players, or every
    participant when nobody holds a veto, shape (R, A).
    """
    return np.broadcast_to(veto, participants.shape) if veto.any() else participants
