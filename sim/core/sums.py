"""Sums whose order of addition is fixed, so a replication's numbers do not depend on its batch.

numpy's ``sum`` chooses how to add (pairwise blocks, or element by element along another
axis) from the shape and memory layout of the whole array, so the same row summed alone
and inside a batch can differ in the last bit. ``fixed_sum`` adds strictly in index
order (``np.add.accumulate`` is sequential by definition).
"""

from __future__ import annotations

import numpy as np


def fixed_sum(a: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """``a.sum(axis)``, added in index order along ``axis`` (0 for an empty axis).

    Args:
        a: the array.
        axis: the axis to sum over.
        keepdims: keep the summed axis with length 1.

    """
    if a.shape[axis] == 0:
        return np.zeros_like(a).sum(axis=axis, keepdims=keepdims)
    last = np.take(np.add.accumulate(a, axis=axis), [-1], axis=axis)
    return last if keepdims else np.squeeze(last, axis=axis)
