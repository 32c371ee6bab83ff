"""Settlement at the talks: plain functions over numpy arrays."""

from __future__ import annotations

import numpy as np


def veto_agree(x: np.ndarray, forecast: np.ndarray, veto: np.ndarray,
               tolerance: float) -> bool:
    """True when every veto player is within ``tolerance`` of the forecast on every issue.

    Args:
        x: positions (A, K), normalised.
        forecast: (K,), normalised.
        veto: (A,) bool; when no actor holds a veto, every actor given counts.
        tolerance: largest distance accepted.

    """
    return within(x[veto] if veto.any() else x, forecast, tolerance)


def within(positions: np.ndarray, forecast: np.ndarray, tolerance: float) -> bool:
    """True when every position (A, K) is within ``tolerance`` of the forecast (K,) on
    every issue (``|x − forecast| ≤ tolerance``, tested as the largest and the smallest
    difference; NaN never agrees).
    """
    if positions.size == 0:
        return True
    gap = positions - forecast
    return bool(gap.max() <= tolerance and -gap.min() <= tolerance)


def within_each(x: np.ndarray, forecast: np.ndarray, rows: np.ndarray,
                tolerance: np.ndarray) -> np.ndarray:
    """``within`` for a batch of runs: whether each run's positions on its chosen rows are
    within its tolerance of its forecast (True when no row is chosen).

    Args:
        x: positions (R, A, K).
        forecast: (R, K).
        rows: (R, A) bool, the rows each run tests.
        tolerance: (R,), each run's tolerance (≥ 0).

    """
    gap = np.where(rows[..., None], x - forecast[:, None, :], 0.0)  # (a 0 always agrees)
    return (gap.max(axis=(1, 2)) <= tolerance) & (-gap.min(axis=(1, 2)) <= tolerance)
