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
#: terms whose rows are at least this long are added where they lie (no contiguous copy)
ROW = 64


def fixed_sum(a: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """``a.sum(axis)``, added in an order fixed by the axis's length (0 for an empty axis).

    Args:
        a: the array.
        axis: the axis to sum over.
        keepdims: keep the summed axis with length 1.

    """
    ax = axis % a.ndim
    n = a.shape[ax]
    if n == 0:
        return np.zeros_like(a).sum(axis=axis, keepdims=keepdims)
    lead = (slice(None),) * ax  # (the terms are a[lead + (i,)]: views, no copies)
    if n <= SHORT:  # (a few terms: added one after another, in index order)
        total = a[(*lead, 0)].copy() if n == 1 else a[(*lead, 0)] + a[(*lead, 1)]
        for i in range(2, n):
            total += a[(*lead, i)]
    else:
        terms = a.transpose(ax, *(i for i in range(a.ndim) if i != ax))  # (a view)
        if not _long_rows(a, ax):  # (the terms as whole blocks, in an array of our own)
            terms = terms.copy()
        else:  # (the first level makes one)
            half = n // 2
            summed = terms[:half] + terms[half : 2 * half]
            if n % 2:  # (an odd term out joins the first)
                summed[0] += terms[n - 1]
            terms, n = summed, half
        while n > 1:  # (each level in place, in the first half)
            half = n // 2
            np.add(terms[:half], terms[half : 2 * half], out=terms[:half])
            if n % 2:
                terms[0] += terms[n - 1]
            n = half
        total = terms[0]
    return np.expand_dims(total, ax) if keepdims else total


def _long_rows(a: np.ndarray, axis: int) -> bool:
    """Whether each term ``a[..., i, ...]`` along ``axis`` is made of long contiguous runs
    (its fastest-varying axis has at least ``ROW`` elements side by side), so that adding
    terms needs no copy first.
    """
    inner = [
        (abs(stride), n)
        for i, (stride, n) in enumerate(zip(a.strides, a.shape, strict=True))
        if i != axis and n > 1
    ]
    stride, n = min(inner, default=(0, 0))
    return stride == a.itemsize and n >= ROW
