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
