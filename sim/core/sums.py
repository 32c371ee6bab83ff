"""Sums whose order of addition is fixed, so a replication's numbers do not depend on its batch.

numpy's ``sum`` chooses how to add (pairwise blocks, or element by element along another
axis) from the shape and memory layout of the whole array, so the same row summed alone
and inside a batch can differ in the last bit. ``fixed_sum`` adds in an order that depends
only on the length of the summed axis: up to ``SHORT`` terms one after another; more as
a pairwise tree, the two halves of the terms added elementwise (an odd last term joining
the first), over and over, one vectorised add per level for all rows at once.
"""

from __future__ import annotations

import numpy as np

#: up to this many terms are added one after another (fewer array operations than a tree)
SHORT = 8


def fixed_sum(a: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """``a.sum(axis)``, added in an order fixed by the axis's length (0 for an empty axis).

    Args:
        a: the array.
        axis: the axis to sum over.
        keepdims: keep the summed axis with length 1.

    """
    if a.shape[axis] == 0:
        return np.zeros_like(a).sum(axis=axis, keepdims=keepdims)
    if a.shape[axis] <= SHORT:  # (a few terms: added one after another, in index order)
        terms = np.moveaxis(a, axis, 0)
        total = terms[0].copy()
        for term in terms[1:]:
            total += term
        return np.expand_dims(total, axis) if keepdims else total
    terms = np.ascontiguousarray(np.moveaxis(a, axis, 0))  # (the terms as whole blocks)
    while len(terms) > 1:
        n = len(terms)
        half = n // 2
        summed = terms[:half] + terms[half : 2 * half]
        if n % 2:  # (an odd term out joins the first)
            summed[0] += terms[-1]
        terms = summed
    total = terms[0]
    return np.expand_dims(total, axis) if keepdims else total
