"""The leverage network: the pairs (holder → target) where leverage can be non-zero.

Effective leverage is kept per edge, shape (R, E), not as a dense (R, A, A) matrix: most
actors hold leverage over few others (the Syria baseline: 33 of 289 pairs), so the step's
leverage and influence arithmetic scales with the edges. Sums over an actor's incoming
edges run along the last axis of an (..., A, D) gather (D: the largest in-degree, padded
with a zero), one replication's row at a time.
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
        """Per target, the sum of ``values`` (..., E) over its incoming edges from other
        actors, shape (..., A).
        """
        padded = np.concatenate([values, np.zeros(values.shape[:-1] + (1,))], axis=-1)
        total = padded[..., self.incoming[:, 0]]
        for targets, edges in self._deeper:  # (in index order: the same bits in any batch)
            total[..., targets] += padded[..., edges]
        return total

    @cached_property
    def _deeper(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each further column of ``incoming``: the targets with an edge there, and
        those edges (so each addition touches only the targets that have one).
        """
        out = []
        for column in self.incoming.T[1:]:
            targets = np.flatnonzero(column < len(self.holder))
            out.append((targets, column[targets]))
        return out
