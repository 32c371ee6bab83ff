"""Running replications: the unit of work the executors hand out (a chunk of them)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from sim.experiment import parts
from sim.model.ensemble import Ensemble, batch_size
from sim.model.inputs import Blueprint
from sim.model.model import LeverageModel
from sim.model.recorder import actor_frame, model_frame
from sim.outcomes import leverage_frame, leverage_snapshots, outcomes, outcomes_table
from sim.scenario.sample import replication_rng
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Chunk:
    """Replications ``start`` .. ``stop - 1`` of a run: chunk number ``number``."""

    number: int
    start: int
    stop: int


@dataclass
class ChunkResult:
    """The tables of one chunk, each encoded as a chunk file (``parts``; empty tables when
    not recorded), and its failures. The workers encode the tables, so that the process
    writing the result set only has bytes to write.
    """

    chunk: Chunk
    tables: dict[str, bytes] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def make_replication(blueprint: Blueprint, seed: int, replication: int, record: bool = True
                     ) -> LeverageModel:
    """Replication ``replication`` of a scenario, ready to run.

    Its parameters are drawn from streams keyed by (seed, replication, path), and its own
    randomness comes from an independent stream spawned for (seed, replication). With
    ``record`` False it keeps no time series (outcomes only).
    """
    return LeverageModel(blueprint, blueprint.draw(seed, replication),
                         replication_rng(seed, replication), record)


def run_replication(blueprint: Blueprint, seed: int, replication: int, record: bool = True
                    ) -> LeverageModel:
    """Run replication ``replication`` of a scenario to its end (``make_replication``)."""
    return make_replication(blueprint, seed, replication, record).run()


_BLUEPRINTS: dict[str, Blueprint] = {}


def _blueprint(scenario: Scenario) -> Blueprint:
    """One compiled blueprint per scenario per process (workers reuse it across chunks)."""
    key = scenario.model_dump_json()
    if key not in _BLUEPRINTS:
        _BLUEPRINTS.clear()
        _BLUEPRINTS[key] = Blueprint(scenario)
    return _BLUEPRINTS[key]


def run_chunk(scenario: Scenario, seed: int, chunk: Chunk, timeseries: bool = True
              ) -> ChunkResult:
    """Run one chunk of replications; a replication that raises is recorded, not fatal.

    The replications are stepped together in batches (``Ensemble``: the same numbers as
    one by one; ``batch_size`` says how many), or one by one for scenarios so large that
    batching does not pay. Each table is built once for the whole chunk from the runs'
    arrays, then encoded.

    Args:
        scenario: the resolved scenario.
        seed: the run seed.
        chunk: which replications.
        timeseries: also return the time series and leverage tables.

    """
    blueprint = _blueprint(scenario)
    size = batch_size(len(blueprint.index.actors), len(blueprint.index.issues))
    errors: list[dict] = []
    rows, runs, leverage = [], [], []
    for start in range(chunk.start, chunk.stop, size):
        for r, model in _run_batch(blueprint, seed, range(start, min(chunk.stop, start + size)),
                                   timeseries, errors):
            try:
                row = outcomes(model, r)
            except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the run goes on
                errors.append(_failure(r, exc))
                continue
            rows.append(row)
            if timeseries:
                runs.append((r, model.recorder))
                leverage.extend(leverage_snapshots(model, r))
    errors.sort(key=lambda error: error["replication"])
    tables: dict[str, pa.Table | pd.DataFrame] = {"outcomes": outcomes_table(rows)}
    if timeseries:
        ix, to_scale = blueprint.index, blueprint.to_scale
        tables |= {
            "timeseries": model_frame(runs, ix.sides, ix.issues, to_scale) if runs
            else pd.DataFrame(),
            "actors": actor_frame(runs, ix.actors, ix.issues, to_scale) if runs
            else pd.DataFrame(),
            "leverage": leverage_frame(ix.actors, leverage) if runs else pd.DataFrame(),
        }
    return ChunkResult(chunk, {name: parts.encode(table) for name, table in tables.items()},
                       errors)


def _run_batch(blueprint: Blueprint, seed: int, numbers: range, record: bool,
               errors: list[dict]) -> list[tuple[int, LeverageModel]]:
    """Run these replications to their ends, stepped together; those that raise (made or
    stepped) are added to ``errors`` and left out.
    """
    made: list[tuple[int, LeverageModel]] = []
    for r in numbers:
        try:
            made.append((r, make_replication(blueprint, seed, r, record)))
        except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the run goes on
            errors.append(_failure(r, exc))
    ensemble = Ensemble([model for _, model in made],
                        lambda i, exc: errors.append(_failure(made[i][0], exc)))
    ensemble.run()
    return [pair for i, pair in enumerate(made) if i not in ensemble.failed]


def _failure(replication: int, exc: Exception) -> dict:
    return {"replication": replication, "error": f"{type(exc).__name__}: {exc}",
            "traceback": "".join(traceback.format_exception(exc))}
