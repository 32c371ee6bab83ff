"""The leverage network: the pairs (holder → target) where leverage can be non-zero.

Effective leverage is kept per edge, shape (R, E), not as a dense (R, A, A) matrix: most
actors hold leverage over few others (the Syria baseline: 33 of 289 pairs), so the step's
leverage and influence arithmetic scales with the edges. Sums over an actor's incoming
edges (``into``) add the edges' values one after another in edge order (the columns of
``incoming``), whole rows at a time, so they do not depend on the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Network:
    """E directed edges among A actors.

    Attributes:
        holder: each edge's holder i, shape (E,).
        target: each edge's target j, shape (E,).
        actors: A.
        incoming: for each target j, the indices of its edges from other actors, padded
            with E (a slot that holds 0), shape (A, D).

    """

    holder: np.ndarray
    target: np.ndarray
    actors: int
    incoming: np.ndarray

    @classmethod
    def of(cls, pairs: np.ndarray, actors: int) -> Network:
        """The network of the (holder, target) pairs where ``pairs`` (A, A) is true."""
        holder, target = np.nonzero(pairs)
        lists = [np.flatnonzero((target == j) & (holder != j)) for j in range(actors)]
        depth = max([len(x) for x in lists] + [1])
        incoming = np.full((actors, depth), len(holder), dtype=np.intp)
        for j, edges in enumerate(lists):
            incoming[j, : len(edges)] = edges
        return cls(holder, target, actors, incoming)

    @cached_property
    def edge_of(self) -> np.ndarray:
        """(A, A): the index of the edge from i to j, -1 where there is none."""
        out = np.full((self.actors, self.actors), -1, dtype=np.intp)
        out[self.holder, self.target] = np.arange(len(self.holder))
        return out

    @property
    def edges(self) -> int:
        """E, the number of edges."""
        return len(self.holder)

    def gather(self, dense: np.ndarray) -> np.ndarray:
        """The edges' values of dense (R, A, A) matrices, shape (R, E)."""
        return dense[:, self.holder, self.target]

    def dense(self, values: np.ndarray) -> np.ndarray:
        """Dense (R, A, A) matrices holding the edges' values (R, E), zero elsewhere."""
        out = np.zeros((values.shape[0], self.actors, self.actors))
        out[:, self.holder, self.target] = values
        return out

    def into(self, values: np.ndarray) -> np.ndarray:
        """Per target, the sum over its incoming edges from other actors of ``values``,
        given per edge in the order ``by_depth`` (E', ...), shape (A, ...).

        Each target's edges are added one after another in index order (the columns of
        ``incoming``), whole rows at a time: the same bits in any batch.
        """
        counts = self._counts
        total = np.zeros((self.actors, *values.shape[1:]))
        if counts:
            total[: counts[0]] = values[: counts[0]]
        start = counts[0] if counts else 0
        for n in counts[1:]:  # (targets ranked by in-degree: those with a d-th edge lead)
            total[:n] += values[start : start + n]
            start += n
        return total[self._unrank]

    @cached_property
    def by_depth(self) -> np.ndarray:
        """The edges from other actors in the order ``into`` takes them, shape (E',): the
        targets' first edges, then their second edges, and so on (the columns of
        ``incoming``), each time over the targets ranked by decreasing in-degree (so the
        targets that have a d-th edge are always the first ones).
        """
        ranked, _ = self._ranking
        columns = self.incoming[ranked].T
        return np.concatenate([column[column < len(self.holder)] for column in columns])

    @cached_property
    def _ranking(self) -> tuple[np.ndarray, np.ndarray]:
        """The targets by decreasing in-degree (ties in index order), and its inverse."""
        degree = (self.incoming < len(self.holder)).sum(axis=1)
        ranked = np.argsort(-degree, kind="stable")
        return ranked, np.argsort(ranked)

    @cached_property
    def _counts(self) -> list[int]:
        """How many targets have a first, second, ... incoming edge (non-zero counts)."""
        column_counts = (self.incoming < len(self.holder)).sum(axis=0)
        return [int(n) for n in column_counts if n > 0]

    @cached_property
    def _unrank(self) -> np.ndarray:
        return self._ranking[1]
