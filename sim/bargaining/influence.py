"""Friedkin–Johnsen opinion dynamics on the leverage network (the default model).

Reference: Friedkin & Johnsen (1990), "Social influence and opinions", J. Math.
Sociology 15(3–4); Friedkin & Johnsen, *Social Influence Network Theory* (2011).
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.base import BargainingInputs, BargainingModel, register
from sim.bargaining.network import Network


def influence_terms(
    leverage: np.ndarray, network: Network, salience: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The unnormalised influence weights on the network's edges and each actor's total.

    Actor j weighs itself by its salience ``s_jk`` and every other actor i by
    ``E[i, j] · s_ik``; W is that, with each actor's weights normalised to 1. The arrays
    have the replication axis last (``rows_last``): gathers along the edges and actors
    then copy whole rows. The edges are those between different actors, in the order
    ``network.by_depth``.

    Args:
        leverage: effective leverage on those edges, shape (E', R).
        network: the edges (holder i → target j).
        salience: shape (A, K, R).

    Returns:
        ``E[i, j] · s_ik`` per edge, shape (E', K, R), and each actor's total weight
        ``s_jk + Σ_i E[i, j] · s_ik``, shape (A, K, R).

    """
    edge = salience[network.holder[network.by_depth]]  # E[i, j] · s_ik, in place:
    np.multiply(leverage[:, None, :], edge, out=edge)
    total = network.into(edge)
    np.add(salience, total, out=total)
    return edge, total


def edges_by_depth(leverage: np.ndarray, network: Network) -> np.ndarray:
    """Leverage on the edges (R, E) as (E', R): the edges between different actors, in the
    order ``network.by_depth``, the replication axis last.
    """
    return leverage.T[network.by_depth]


def rows_last(a: np.ndarray) -> np.ndarray:
    """An (R, ...) array as a contiguous (..., R) one (the replication axis last)."""
    return np.ascontiguousarray(np.moveaxis(a, 0, -1))


def influence_weights(leverage: np.ndarray, network: Network, salience: np.ndarray) -> np.ndarray:
    """The row-normalised influence weights as dense matrices (for analysis and tests).

    An actor with no weight at all keeps its own position (weight 1 on itself).

    Args:
        leverage: effective leverage on the network's edges, shape (R, E).
        network: the edges.
        salience: shape (R, A, K).

    Returns:
        W with W[r, k, j, i] the weight actor j gives actor i on issue k, (R, K, A, A).

    """
    edges = network.by_depth
    edge, total = influence_terms(edges_by_depth(leverage, network), network, rows_last(salience))
    edge, total = np.moveaxis(edge, -1, 0), np.moveaxis(total, -1, 0)  # (R, E', K), (R, A, K)
    r, a, k = total.shape
    w = np.zeros((r, k, a, a))
    w[..., network.target[edges], network.holder[edges]] = np.swapaxes(edge, -1, -2)
    diag = np.arange(a)
    total = np.swapaxes(total, -1, -2)  # (R, K, A)
    empty = total <= 0
    w[..., diag, diag] = np.where(empty, 1.0, np.swapaxes(salience, -1, -2))
    return w / np.where(empty, 1.0, total)[..., None]


def pull(x: np.ndarray, leverage: np.ndarray, network: Network, salience: np.ndarray) -> np.ndarray:
    """``Σ_i W_ji x_i``: where the actors' influences pull each actor, shape (R, A, K).

    Args:
        x: positions, shape (R, A, K).
        leverage: effective leverage on the network's edges, shape (R, E).
        network: the edges.
        salience: shape (R, A, K).

    """
    s, x = rows_last(salience), rows_last(x)  # (A, K, R)
    edges = network.by_depth
    edge, total = influence_terms(edges_by_depth(leverage, network), network, s)
    empty = total <= 0
    divisor = np.where(empty, 1.0, total)
    own = np.where(empty, 1.0, s / divisor)  # W_jj
    others = divisor[network.target[edges]]  # W_ji x_i, computed in place:
    np.divide(edge, others, out=others)
    others *= x[network.holder[edges]]
    own *= x
    own += network.into(others)
    return np.ascontiguousarray(np.moveaxis(own, -1, 0))


def susceptibility(resolve: np.ndarray, stress: np.ndarray) -> np.ndarray:
    """``λ = 1 − resolve / (1 + stress)``: resolve halves when stress reaches 1."""
    return 1.0 - resolve / (1.0 + stress)


def friedkin_johnsen_step(pulled: np.ndarray, x0: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """One update ``x(t+1) = Λ W x(t) + (I − Λ) x(0)``, per issue.

    Source: Friedkin & Johnsen (1990; 2011).

    Args:
        pulled: ``W x(t)`` (``pull``), shape (R, A, K).
        x0: initial positions, shape (R, A, K).
        lam: susceptibilities, shape (R, A).

    """
    lam = lam[..., None]
    return lam * pulled + (1.0 - lam) * x0


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
        pulled = pull(inputs.x, inputs.leverage, inputs.network, inputs.salience)
        lam = susceptibility(inputs.resolve, inputs.stress)
        return friedkin_johnsen_step(pulled, inputs.x0, lam)
