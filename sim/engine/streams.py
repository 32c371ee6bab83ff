"""Each replication's own random streams: territory noise, incidents, trigger draws,
ceasefire breakdowns, lever draws.

Replication r of a run with seed s draws from ``SeedSequence(s, spawn_key=(0, r))``
(``sim.scenario.sample.replication_rng``) and its first five children: noise (0),
incidents (1), triggers (2), ceasefires (3) and levers (4: the draws levers declare, such
as a sanctions threat's decision to impose), the children ``Generator.spawn`` makes, in
that order (each added as a new stream, so the others' numbers did not change). So
every replication's randomness is independent of the others and of how they are batched
or scheduled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from sim.scenario.sample import MODEL_STREAM, spawned_words

NOISE, EVENTS, TRIGGERS, CEASEFIRES, LEVER_DRAWS = 0, 1, 2, 3, 4


_MULT = 0x2360ED051FC65DA44385DF649FCCF645  # PCG64's 128-bit multiplier
_MASK128 = (1 << 128) - 1


def pcg64_state(seed: list[int]) -> dict:
    """The state of ``PCG64(seq)``, from ``seq.generate_state(4, uint64)`` (``seed``).

    PCG64 seeds itself from four 64-bit words, the initial state (0, 1) and the stream
    (2, 3), each pair high word first, then ``pcg_setseq_128_srandom_r`` (O'Neill 2014;
    numpy's ``pcg64.c``).
    """
    initstate, initseq = seed[0] << 64 | seed[1], seed[2] << 64 | seed[3]
    inc = (initseq << 1 | 1) & _MASK128
    state = (inc + initstate) & _MASK128  # (0 * MULT + inc, then + initstate)
    state = (state * _MULT + inc) & _MASK128
    return {
        "bit_generator": "PCG64",
        "state": {"state": state, "inc": inc},
        "has_uint32": 0,
        "uinteger": 0,
    }


def _seeds(words: np.ndarray) -> list[list[int]]:
    """(R, 8) uint32 words as (R, 4) 64-bit words (little-endian pairs), Python ints."""
    return (
        words[:, 0::2].astype(np.uint64) | words[:, 1::2].astype(np.uint64) << np.uint64(32)
    ).tolist()


class Streams:
    """The streams of R replications.

    Args:
        parents: each replication's own ``SeedSequence`` (row order).

    """

    def __init__(
        self, parents: Sequence[np.random.SeedSequence], run: tuple[int, np.ndarray] | None = None
    ) -> None:
        self.parents = list(parents)
        self.run = run  # (seed, replication numbers): the streams are computed directly
        self._generator = np.random.Generator(np.random.PCG64(0))

    @classmethod
    def of_run(cls, seed: int, replications: Sequence[int]) -> Streams:
        """The streams of replications ``replications`` of a run with seed ``seed``."""
        numbers = np.asarray(replications, dtype=np.int64)
        if len(numbers) and (numbers.min() < 0 or numbers.max() >= 2**32):
            return cls(
                [np.random.SeedSequence(seed, spawn_key=(MODEL_STREAM, int(r))) for r in numbers]
            )
        return cls([], (seed, numbers))

    @classmethod
    def of_generators(cls, rngs: Sequence[np.random.Generator]) -> Streams:
        """The streams spawned from generators handed down by a caller (one per row)."""
        return cls([rng.bit_generator.seed_seq for rng in rngs])

    def __len__(self) -> int:
        return len(self.run[1]) if self.run is not None else len(self.parents)

    def batch(self, n: int) -> Iterator[np.random.Generator] | None:
        """Every row's stream ``n`` in row order (the same numbers as ``_child``), or None
        when the streams are not those of a run. One generator is re-seeded for each row:
        draw what a row needs before taking the next.
        """
        if self.run is None:
            return None
        seed, numbers = self.run
        words = spawned_words(seed, numbers, MODEL_STREAM, n, 8)
        return self._rows(words)

    def normals(
        self, n: int, shape: tuple[int, ...], then: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each row's first standard normal numbers of its stream ``n``, shape (R, *shape),
        and the ``then`` uniform numbers it draws next, shape (R, then) (row r:
        ``stream.standard_normal(shape)``, then ``stream.random(then)``).
        """
        out = np.empty((len(self), *shape))
        after = np.empty((len(self), then))
        for row, more, rng in zip(out, after, self._each(n), strict=True):
            rng.standard_normal(out=row)
            if then:
                rng.random(out=more)
        return out, after

    def uniforms(self, n: int, count: int) -> np.ndarray:
        """Each row's first ``count`` uniform numbers of its stream ``n``, shape (R, count)
        (row r: ``stream.random(count)``).
        """
        out = np.empty((len(self), count))
        for row, rng in zip(out, self._each(n), strict=True):
            rng.random(out=row)
        return out

    def _each(self, n: int) -> Iterator[np.random.Generator]:
        """Every row's stream ``n``, in row order (draw what a row needs before the next)."""
        return self.batch(n) or (self._child(r, n) for r in range(len(self)))

    def _rows(self, words: np.ndarray) -> Iterator[np.random.Generator]:
        rng = self._generator
        for seed in _seeds(words):
            rng.bit_generator.state = pcg64_state(seed)
            yield rng

    def _child(self, r: int, n: int) -> np.random.Generator:
        if self.run is not None:
            seed, numbers = self.run
            bits = np.random.PCG64(0)
            bits.state = pcg64_state(
                _seeds(spawned_words(seed, numbers[r : r + 1], MODEL_STREAM, n, 8))[0]
            )
            return np.random.Generator(bits)
        parent = self.parents[r]
        seq = np.random.SeedSequence(
            parent.entropy, spawn_key=(*parent.spawn_key, n), pool_size=parent.pool_size
        )
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

    def ceasefires(self, r: int) -> np.random.Generator:
        """Row ``r``'s ceasefire stream (weekly breakdown draws)."""
        return self._child(r, CEASEFIRES)

    def levers(self, r: int) -> np.random.Generator:
        """Row ``r``'s lever stream."""
        return self._child(r, LEVER_DRAWS)


class LeverDraws:
    """Uniform numbers for the levers that declare ``draws``, from each replication's lever
    stream (child 4): ``per_row`` numbers per replication drawn when first needed, then
    handed out in order (each lever takes the next ones of the rows where it can start), so
    a row's numbers do not depend on its batch. Scenarios without such levers never draw.

    Args:
        streams: the replications' streams.
        per_row: the most numbers a replication can need in the run.

    """

    def __init__(self, streams: Streams, per_row: int) -> None:
        self.streams = streams
        self.per_row = per_row
        self.table: np.ndarray | None = None
        self.used = np.zeros(len(streams), dtype=np.int64)

    def take(self, rows: np.ndarray, n: int) -> np.ndarray:
        """The next ``n`` numbers of each row in ``rows`` (bool, (R,)), shape (R, n), NaN in
        the other rows.
        """
        out = np.full((len(rows), n), np.nan)
        if not n or not rows.any():
            return out
        if self.table is None:
            r = len(self.streams)
            self.table = np.zeros((r, self.per_row))
            rngs = self.streams.batch(LEVER_DRAWS) or (self.streams.levers(i) for i in range(r))
            for i, rng in enumerate(rngs):
                self.table[i] = rng.random(self.per_row)
        which = np.flatnonzero(rows)
        taken = self.used[which, None] + np.arange(n)
        out[which] = self.table[which[:, None], taken]
        self.used[which] += n
        return out
