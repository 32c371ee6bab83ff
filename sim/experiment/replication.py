"""Running replications: the unit of work the executors hand out (a chunk of them).

A chunk's replications run through the engine in batches (``batch_size``); a batch that
raises is run again one replication at a time, so that only the replications that fail are
recorded as failed (a replication's numbers do not depend on its batch).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from sim.engine import Blueprint, Engine, Streams
from sim.experiment import parts
from sim.outcomes import leverage_frame, outcome_columns, outcomes_table
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Chunk:
    """Replications ``start`` .. ``stop - 1`` of a run: chunk number ``number``.

    A chunk of a design (``sim sweep``) carries its parameter values instead of drawing
    them: ``values`` (one row per replication, columns in the order of
    ``Blueprint.paths``), and every replication uses the random streams of replication
    ``streams`` (common random numbers: the runs differ only by their parameters).
    """

    number: int
    start: int
    stop: int
    values: np.ndarray | None = field(default=None, compare=False)
    streams: int | None = None


@dataclass
class ChunkResult:
    """The tables of one chunk, each encoded as a chunk file (``parts``; empty tables when
    not recorded), and its failures. The workers encode the tables, so that the process
    writing the result set only has bytes to write.
    """

    chunk: Chunk
    tables: dict[str, bytes] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


#: bytes of engine arrays per batch (the batch size follows the scenario's size)
BATCH_BYTES = 48 * 2**20
MAX_BATCH = 1000


def batch_size(actors: int, sides: int, issues: int, horizon: int, record: bool) -> int:
    """How many replications run together: as many as fit ``BATCH_BYTES`` of the engine's
    largest arrays (about ten of R × A × A × K, and the time series when kept), at most
    ``MAX_BATCH``.
    """
    per = 10 * actors * actors * max(issues, 1) + 4 * horizon * max(sides, 1)
    if record:
        per += (horizon + 1) * (actors * (3 + issues) + sides + issues + 2)
    return int(max(1, min(MAX_BATCH, BATCH_BYTES // (8 * per))))


def run_engine(
    blueprint: Blueprint,
    seed: int,
    replications: np.ndarray,
    record: bool = True,
    chunk: Chunk | None = None,
) -> Engine:
    """Run replications ``replications`` of a scenario together, to their ends.

    Their parameters are drawn from streams keyed by (seed, replication, path), and their
    own randomness comes from independent streams spawned for (seed, replication); a
    chunk of a design gives its values and streams instead (``Chunk``).
    """
    if chunk is None or chunk.values is None:
        values = blueprint.draw_batch(seed, replications)
    else:
        values = chunk.values[np.asarray(replications, dtype=np.int64) - chunk.start]
    streams = (
        replications
        if chunk is None or chunk.streams is None
        else np.full(len(replications), chunk.streams)
    )
    return Engine(blueprint, values, Streams.of_run(seed, streams), record).run()


_BLUEPRINTS: dict[str, Blueprint] = {}


def _blueprint(scenario: Scenario) -> Blueprint:
    """One compiled blueprint per scenario per process (workers reuse it across chunks)."""
    key = scenario.model_dump_json()
    if key not in _BLUEPRINTS:
        _BLUEPRINTS.clear()
        _BLUEPRINTS[key] = Blueprint(scenario)
    return _BLUEPRINTS[key]


def run_chunk(scenario: Scenario, seed: int, chunk: Chunk, timeseries: bool = True) -> ChunkResult:
    """Run one chunk of replications; a replication that raises is recorded, not fatal.

    Args:
        scenario: the resolved scenario.
        seed: the run seed.
        chunk: which replications.
        timeseries: also return the time series and leverage tables.

    """
    blueprint = _blueprint(scenario)
    ix = blueprint.index
    size = batch_size(len(ix.actors), len(ix.sides), len(ix.issues), scenario.horizon, timeseries)
    errors: list[dict] = []
    done: list[tuple[np.ndarray, Engine]] = []
    numbers = np.arange(chunk.start, chunk.stop)
    for start in range(0, len(numbers), size):
        done.extend(
            _run_batch(blueprint, seed, numbers[start : start + size], timeseries, errors, chunk)
        )
    errors.sort(key=lambda error: error["replication"])
    if not done:  # (an engine of no replications: empty tables keep their columns)
        none = np.zeros(0, dtype=np.int64)
        done = [(none, run_engine(blueprint, seed, none, timeseries, chunk=chunk))]
    tables: dict[str, pa.Table | pd.DataFrame] = {"outcomes": _outcomes(done)}
    if timeseries:
        tables |= _series(blueprint, done)
    return ChunkResult(chunk, {name: parts.encode(table) for name, table in tables.items()}, errors)


def _run_batch(
    blueprint: Blueprint,
    seed: int,
    numbers: np.ndarray,
    record: bool,
    errors: list[dict],
    chunk: Chunk,
) -> list[tuple[np.ndarray, Engine]]:
    """Run these replications together; if that raises, each alone, recording in
    ``errors`` those that raise alone.
    """
    try:
        return [(numbers, run_engine(blueprint, seed, numbers, record, chunk=chunk))]
    except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the run goes on
        if len(numbers) == 1:
            errors.append(_failure(int(numbers[0]), exc))
            return []
    return [
        done
        for r in numbers
        for done in _run_batch(blueprint, seed, np.array([r]), record, errors, chunk)
    ]


def _outcomes(done: list[tuple[np.ndarray, Engine]]) -> pa.Table:
    tables = [outcomes_table(outcome_columns(engine, numbers)) for numbers, engine in done]
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _series(blueprint: Blueprint, done: list[tuple[np.ndarray, Engine]]) -> dict[str, pd.DataFrame]:
    ix, to_scale = blueprint.index, blueprint.to_scale
    model, actors, snapshots = [], [], []
    for numbers, e in done:
        last = e.state.last_step
        model.append(e.recorder.model_frame(last, numbers, ix.sides, ix.issues, to_scale))
        actors.append(e.recorder.actor_frame(last, numbers, ix.actors, ix.issues, to_scale))
        snapshots.append(
            (numbers, last, e.dense_leverage(e.structural), e.dense_leverage(e.state.leverage))
        )
    reps = np.concatenate([np.repeat(n, 2) for n, *_ in snapshots])
    steps = np.concatenate(
        [np.stack([np.zeros_like(last), last], axis=1).ravel() for _, last, *_ in snapshots]
    )
    matrices = np.concatenate(
        [
            np.stack([start, end], axis=1).reshape(-1, *start.shape[1:])
            for *_, start, end in snapshots
        ]
    )
    return {
        "timeseries": _concat(model),
        "actors": _concat(actors),
        "leverage": leverage_frame(ix.actors, reps, steps, matrices),
    }


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd  # (only the time series need pandas)

    return pd.concat(frames, ignore_index=True)


def _failure(replication: int, exc: Exception) -> dict:
    return {
        "replication": replication,
        "error": f"{type(exc).__name__}: {exc}",
        "traceback": "".join(traceback.format_exception(exc)),
    }
