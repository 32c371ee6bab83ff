"""Each replication's own random streams: territory noise, incidents, trigger draws.

Replication r of a run with seed s draws from ``SeedSequence(s, spawn_key=(0, r))``
(``sim.scenario.sample.replication_rng``) and its first three children: noise (0),
incidents (1) and triggers (2), the children ``Generator.spawn`` makes, in that order. So
every replication's randomness is independent of the others and of how they are batched
or scheduled.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.scenario.sample import MODEL_STREAM

NOISE, EVENTS, TRIGGERS = 0, 1, 2


class Streams:
    """The streams of R replications.

    Args:
        parents: each replication's own ``SeedSequence`` (row order).

    """

    def __init__(self, parents: Sequence[np.random.SeedSequence]) -> None:
        self.parents = list(parents)

    @classmethod
    def of_run(cls, seed: int, replications: Sequence[int]) -> Streams:
        """The streams of replications ``replications`` of a run with seed ``seed``."""
        return cls([np.random.SeedSequence(seed, spawn_key=(MODEL_STREAM, int(r)))
                    for r in replications])

    @classmethod
    def of_generators(cls, rngs: Sequence[np.random.Generator]) -> Streams:
        """The streams spawned from generators handed down by a caller (one per row)."""
        return cls([rng.bit_generator.seed_seq for rng in rngs])

    def _child(self, r: int, n: int) -> np.random.Generator:
        parent = self.parents[r]
        seq = np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, n),
                                     pool_size=parent.pool_size)
        return np.random.Generator(np.random.PCG64(seq))

    def noise(self, r: int) -> np.random.Generator:
        """Row ``r``'s territory noise stream."""
        return self._child(r, NOISE)

    def events(self, r: int) -> np.random.Generator:
        """Row ``r``'s incident stream."""
        return self._child(r, EVENTS)

    def triggers(self, r: int) -> np.random.Generator:
        """Row ``r``'s trigger stream."""
        return self._child(r, TRIGGERS)
