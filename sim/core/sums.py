"""Sums whose order of addition is fixed, so a replication's numbers do not depend on its batch.

numpy's ``sum`` chooses how to add (pairwise blocks, or element by element along another
axis) from the shape and memory layout of the whole array, so the same row summed alone
and inside a batch can differ in the last bit. ``fixed_sum`` adds strictly in index
order: one vectorised add per term, over all rows at once.
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
    n = a.shape[axis]
    if n == 0:
        return np.zeros_like(a).sum(axis=axis, keepdims=keepdims)
    terms = np.moveaxis(a, axis, 0)
    total = terms[0].copy()
    for term in terms[1:]:  # (one add per term, over all rows at once)
        total += term
    return np.expand_dims(total, axis) if keepdims else total
