"""Drawing a scenario's uncertain parameters for one replication (common random numbers).

Each parameter is drawn by inverse transform from one uniform number that depends only
on the run seed, the replication number and the parameter's path in the document. Two
scenarios run with the same seed therefore share the draws of every parameter they
have in common, however else they differ.

``param_uniform`` defines the number: the first 64 bits numpy's ``SeedSequence`` makes
from the seed and the spawn key ``(PARAM_STREAM, path key, replication)``. ``Sampler``
computes the same numbers for every parameter of a replication at once, about fifty times
faster: the part of the ``SeedSequence`` hash that does not depend on the replication is
done once per (seed, path), the rest with a few array operations over all paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from hashlib import blake2b
from typing import Any

import numpy as np
from pydantic import BaseModel

from sim.scenario.params import Param

PARAM_STREAM = 1
MODEL_STREAM = 0


def path_key(path: str) -> int:
    """A stable 64-bit key for a parameter path (independent of Python's hash seed)."""
    return int.from_bytes(blake2b(path.encode(), digest_size=8).digest(), "little")


def param_uniform(seed: int, replication: int, path: str) -> float:
    """The uniform number in [0, 1) behind parameter ``path`` in ``replication``."""
    seq = np.random.SeedSequence(seed, spawn_key=(PARAM_STREAM, path_key(path), replication))
    return float(seq.generate_state(1, np.uint64)[0] >> np.uint64(11)) * 2.0**-53


def replication_rng(seed: int, replication: int) -> np.random.Generator:
    """The generator of a replication's own randomness (noise, triggers, incidents).

    Replication ``r`` gets the stream ``SeedSequence(seed).spawn(...)[r]`` would give, so
    it is independent of every other replication and of how they are scheduled.
    """
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(MODEL_STREAM, replication)))
    )


def walk_params(node: Any, path: tuple = ()) -> Iterator[tuple[str, Param]]:
    """Every ``Param`` in a scenario (or part of one), with its dotted document path."""
    if isinstance(node, Param):
        yield ".".join(str(p) for p in path), node
    elif isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield from walk_params(getattr(node, name), (*path, field.alias or name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk_params(value, (*path, key))
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from walk_params(value, (*path, i))


def random_params(scenario: BaseModel) -> list[tuple[str, Param]]:
    """The scenario's parameters drawn from distributions, with their paths."""
    return [(path, p) for path, p in walk_params(scenario) if p.random]


def draw(params: list[tuple[str, Param]], seed: int, replication: int) -> dict[str, float]:
    """Draw every uncertain parameter for one replication.

    Args:
        params: ``(path, Param)`` pairs, as from ``random_params``.
        seed: the run seed.
        replication: the replication number.

    Returns:
        ``{path: value}`` for every parameter.

    """
    return {path: p.draw(param_uniform(seed, replication, path)) for path, p in params}


# The hash of numpy's SeedSequence (numpy/random/bit_generator.pyx), on 32-bit words.
_MASK = 0xFFFFFFFF
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_POOL = 4


def _words(n: int) -> list[int]:
    """A non-negative integer as 32-bit words, least significant first (0 is one word)."""
    out = [n & _MASK]
    n >>= 32
    while n:
        out.append(n & _MASK)
        n >>= 32
    return out


def _mix(x: int, y: int) -> int:
    r = (_MIX_L * x - _MIX_R * y) & _MASK
    return r ^ (r >> 16)


def _pool_before(entropy: list[int]) -> tuple[list[int], int]:
    """SeedSequence's pool after mixing ``entropy`` (at least ``_POOL`` words), and the
    hash constant it has reached.
    """
    hc = _INIT_A

    def hashmix(value: int) -> int:
        nonlocal hc
        value ^= hc
        hc = (hc * _MULT_A) & _MASK
        value = (value * hc) & _MASK
        return value ^ (value >> 16)

    pool = [hashmix(w) for w in entropy[:_POOL]]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                pool[dst] = _mix(pool[dst], hashmix(pool[src]))
    for word in entropy[_POOL:]:
        for dst in range(_POOL):
            pool[dst] = _mix(pool[dst], hashmix(word))
    return pool, hc


class Sampler:
    """Draws the uncertain parameters of replications: the same values as ``draw``, faster.

    Args:
        params: ``(path, Param)`` pairs, as from ``random_params``.

    """

    def __init__(self, params: list[tuple[str, Param]]) -> None:
        self.params = params
        self.paths = [path for path, _ in params]
        self.keys = [path_key(path) for path in self.paths]
        kinds = [p.kind for _, p in params]
        uniform = [i for i, k in enumerate(kinds) if k == "uniform"]
        self._uniform = np.array(uniform, dtype=np.intp)
        self._lo = np.array([params[i][1].uniform[0] for i in uniform], dtype=float)
        self._span = np.array(
            [params[i][1].uniform[1] - params[i][1].uniform[0] for i in uniform], dtype=float
        )
        self._others = [(i, params[i][1]) for i, k in enumerate(kinds) if k != "uniform"]
        self._seed: int | None = None

    def _prepare(self, seed: int) -> None:
        """Hash every path's seed and stream words (all but the replication's)."""
        run = _words(seed)
        run += [0] * (_POOL - len(run))
        pools, consts = [], []
        for key in self.keys:
            pool, hc = _pool_before(run + _words(PARAM_STREAM) + _words(key))
            pools.append(pool)
            chain = [hc]
            for _ in range(2 * _POOL):  # room for two words of the replication number
                chain.append((chain[-1] * _MULT_A) & _MASK)
            consts.append(chain)
        self._pool = np.array(pools, dtype=np.uint32).T.copy()  # (4, P)
        self._consts = np.array(consts, dtype=np.uint32).T.copy()  # (9, P)
        self._seed = seed

    def uniforms(self, seed: int, replication: int) -> np.ndarray:
        """The uniform numbers behind every parameter in one replication, shape (P,)."""
        if not self.keys:
            return np.zeros(0)
        words = _words(replication)
        if len(words) > 2:
            return np.array([param_uniform(seed, replication, p) for p in self.paths])
        if self._seed != seed:
            self._prepare(seed)
        pool, c = self._pool, self._consts
        for n, word in enumerate(words):
            before, after = c[n * _POOL : (n + 1) * _POOL], c[n * _POOL + 1 : (n + 1) * _POOL + 1]
            value = (before ^ np.uint32(word)) * after
            value ^= value >> np.uint32(16)
            pool = pool * np.uint32(_MIX_L) - value * np.uint32(_MIX_R)
            pool ^= pool >> np.uint32(16)
        hb1 = (_INIT_B * _MULT_B) & _MASK
        hb2 = (hb1 * _MULT_B) & _MASK
        low = (pool[0] ^ np.uint32(_INIT_B)) * np.uint32(hb1)
        low ^= low >> np.uint32(16)
        high = (pool[1] ^ np.uint32(hb1)) * np.uint32(hb2)
        high ^= high >> np.uint32(16)
        bits = (high.astype(np.uint64) << np.uint64(21)) | (low.astype(np.uint64) >> np.uint64(11))
        return bits.astype(float) * 2.0**-53

    def uniforms_batch(self, seed: int, replications: np.ndarray) -> np.ndarray:
        """``uniforms`` for several replications at once, shape (R, P): row r holds exactly
        the numbers ``uniforms(seed, replications[r])`` gives.
        """
        replications = np.asarray(replications, dtype=np.int64)
        if not self.keys or not len(replications):
            return np.zeros((len(replications), len(self.keys)))
        if replications.min() < 0 or replications.max() >= 2**32:
            return np.array([self.uniforms(seed, int(r)) for r in replications])
        if self._seed != seed:
            self._prepare(seed)
        c = self._consts
        word = replications.astype(np.uint32)[:, None, None]  # (R, 1, 1): one word each
        # (the number reads only the pool's first two words: the others are not mixed)
        value = (c[:2] ^ word) * c[1:3]  # (R, 2, P)
        value ^= value >> np.uint32(16)
        pool = self._pool[:2] * np.uint32(_MIX_L) - value * np.uint32(_MIX_R)
        pool ^= pool >> np.uint32(16)
        hb1 = (_INIT_B * _MULT_B) & _MASK
        hb2 = (hb1 * _MULT_B) & _MASK
        low = (pool[:, 0] ^ np.uint32(_INIT_B)) * np.uint32(hb1)
        low ^= low >> np.uint32(16)
        high = (pool[:, 1] ^ np.uint32(hb1)) * np.uint32(hb2)
        high ^= high >> np.uint32(16)
        bits = (high.astype(np.uint64) << np.uint64(21)) | (low.astype(np.uint64) >> np.uint64(11))
        return bits.astype(float) * 2.0**-53

    def draw_batch(self, seed: int, replications: np.ndarray) -> np.ndarray:
        """Every parameter's value in several replications, shape (R, P), columns in the
        order of ``paths``: row r holds the values of ``draw(seed, replications[r])``.
        """
        return self.values(self.uniforms_batch(seed, replications))

    def values(self, u: np.ndarray) -> np.ndarray:
        """Every parameter's value at quantiles ``u`` (inverse transform), shape (N, P),
        columns in the order of ``paths``.
        """
        lo, span = np.zeros(u.shape[-1]), np.ones(u.shape[-1])  # (other kinds: overwritten)
        lo[self._uniform], span[self._uniform] = self._lo, self._span
        values = lo + u * span  # (the uniform columns; every column in one operation)
        for i, p in self._others:
            values[:, i] = (
                _triangular(u[:, i], *p.triangular)
                if p.kind == "triangular"
                else [p.draw(float(x)) for x in u[:, i]]
            )
        return values

    def draw(self, seed: int, replication: int) -> dict[str, float]:
        """``{path: value}`` for every parameter in one replication."""
        u = self.uniforms(seed, replication)
        values = np.empty_like(u)
        values[self._uniform] = self._lo + u[self._uniform] * self._span
        out: list[Any] = values.tolist()
        for i, p in self._others:
            out[i] = p.draw(float(u[i]))
        return dict(zip(self.paths, out, strict=True))


def _triangular(u: np.ndarray, lo: float, mode: float, hi: float) -> np.ndarray:
    """``Param.draw`` of a triangular distribution for many quantiles (the same numbers)."""
    if hi == lo:
        return np.full(u.shape, float(lo))
    cut = (mode - lo) / (hi - lo)
    below = lo + np.sqrt(u * (hi - lo) * (mode - lo))
    above = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
    return np.where(u < cut, below, above)


def spawned_words(
    seed: int, replications: np.ndarray, stream: int, child: int, n_words: int
) -> np.ndarray:
    """``SeedSequence(seed, spawn_key=(stream, r, child)).generate_state(n_words, uint32)``
    for every r of ``replications`` (each < 2**32) at once, shape (R, n_words).

    The same hash as numpy's ``SeedSequence`` (see ``Sampler``): the words before r are
    mixed once, r and ``child`` with a few array operations over all replications.
    """
    run = _words(seed)
    run += [0] * (_POOL - len(run))
    base, hc = _pool_before(run + _words(stream))
    pool = np.tile(np.array(base, dtype=np.uint32), (len(replications), 1))  # (R, 4)
    r = np.asarray(replications, dtype=np.uint32)
    for word in (r, np.full(r.shape, child, dtype=np.uint32)):
        for dst in range(_POOL):  # pool[dst] = mix(pool[dst], hashmix(word))
            value = (word ^ np.uint32(hc)) * np.uint32((hc * _MULT_A) & _MASK)
            hc = (hc * _MULT_A) & _MASK
            value ^= value >> np.uint32(16)
            mixed = pool[:, dst] * np.uint32(_MIX_L) - value * np.uint32(_MIX_R)
            pool[:, dst] = mixed ^ (mixed >> np.uint32(16))
    out = np.empty((len(replications), n_words), dtype=np.uint32)
    hb = _INIT_B
    for i in range(n_words):
        following = (hb * _MULT_B) & _MASK
        value = (pool[:, i % _POOL] ^ np.uint32(hb)) * np.uint32(following)
        out[:, i] = value ^ (value >> np.uint32(16))
        hb = following
    return out
