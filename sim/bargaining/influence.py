"""Friedkin–Johnsen opinion dynamics on the leverage network (the default model).

Reference: Friedkin & Johnsen (1990), "Social influence and opinions", J. Math.
Sociology 15(3–4); Friedkin & Johnsen, *Social Influence Network Theory* (2011).
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.base import BargainingInputs, BargainingModel, register


def influence_weights(leverage: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Row-normalised influence weights per issue.

    Actor j weighs itself by its salience ``s_jk`` and every other actor i by
    ``E[i, j] · s_ik``; rows are normalised to 1 (an actor with no weight at all keeps
    its own position).

    Args:
        leverage: effective leverage E[r, i, j] of i over j, shape (R, A, A).
        salience: shape (R, A, K).

    Returns:
        W with W[r, k, j, i] the weight actor j gives actor i on issue k, (R, K, A, A).

    """
    s_t = np.swapaxes(salience, -1, -2)  # (R, K, A)
    w = np.swapaxes(leverage, -1, -2)[:, None, :, :] * s_t[:, :, None, :]  # E[i, j] · s_ik
    diag = np.arange(leverage.shape[-1])
    w[..., diag, diag] = s_t
    total = w.sum(axis=-1, keepdims=True)
    positive = total > 0
    if positive.all():
        return w / total
    empty = total[..., 0] <= 0
    w[..., diag, diag] = np.where(empty, 1.0, w[..., diag, diag])
    return w / np.where(positive, total, 1.0)


def susceptibility(resolve: np.ndarray, stress: np.ndarray) -> np.ndarray:
    """``λ = 1 − resolve / (1 + stress)``: resolve halves when stress reaches 1."""
    return 1.0 - resolve / (1.0 + stress)


def friedkin_johnsen_step(x: np.ndarray, x0: np.ndarray, weights: np.ndarray,
                          lam: np.ndarray) -> np.ndarray:
    """One update ``x(t+1) = Λ W x(t) + (I − Λ) x(0)``, per issue.

    Leading dimensions, if any, are a batch of independent runs; each run's numbers are
    the same whatever the batch (the sum runs over the last axis, one run's row at a time,
    in the memory order of ``weights``).

    Args:
        x: positions, shape (..., A, K).
        x0: initial positions, shape (..., A, K).
        weights: W, shape (..., K, A, A).
        lam: susceptibilities, shape (..., A).

    """
    pulled = (weights * np.swapaxes(x, -1, -2)[..., None, :]).sum(axis=-1)  # (..., K, A)
    lam = lam[..., None]
    return lam * np.swapaxes(pulled, -1, -2) + (1.0 - lam) * x0


def equilibrium(x0: np.ndarray, weights: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """The fixed point ``x* = (I − ΛW)⁻¹ (I − Λ) x(0)`` for fixed W and Λ, per issue.

    Args:
        x0: initial positions of one replication, (A, K).
        weights: W of that replication, (K, A, A).
        lam: its susceptibilities, (A,).

    """
    n, k = x0.shape
    out = np.empty_like(x0)
    for issue in range(k):
        a = np.eye(n) - lam[:, None] * weights[issue]
        out[:, issue] = np.linalg.solve(a, (1.0 - lam) * x0[:, issue])
    return out


@register
class Influence(BargainingModel):
    """Positions move toward those who hold leverage over the actor, weighted by their
    salience, anchored to the actor's initial position by its resolve.
    """

    name = "influence"
    reference = "Friedkin & Johnsen (1990, 2011)"

    def update(self, inputs: BargainingInputs) -> np.ndarray:
        """One Friedkin–Johnsen step on the current effective leverage."""
        weights = influence_weights(inputs.leverage, inputs.salience)
        lam = susceptibility(inputs.resolve, inputs.stress)
        return friedkin_johnsen_step(inputs.x, inputs.x0, weights, lam)
