"""Drawing a scenario's uncertain parameters for one replication (common random numbers).

Each parameter is drawn by inverse transform from one uniform number that depends only
on the run seed, the replication number and the parameter's path in the document. Two
scenarios run with the same seed therefore share the draws of every parameter they
have in common, however else they differ.
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
    return np.random.Generator(np.random.PCG64(
        np.random.SeedSequence(seed, spawn_key=(MODEL_STREAM, replication))))


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
