"""Running replications: the unit of work the executors hand out (a chunk of them)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

import pandas as pd

from sim.model.inputs import Blueprint
from sim.model.model import LeverageModel
from sim.outcomes import leverage_rows, outcomes
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
    """The tables of one chunk (empty tables when not recorded), and its failures."""

    chunk: Chunk
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def run_replication(blueprint: Blueprint, seed: int, replication: int) -> LeverageModel:
    """Run replication ``replication`` of a scenario to its end.

    Its parameters are drawn from streams keyed by (seed, replication, path), and its own
    randomness comes from an independent stream spawned for (seed, replication).
    """
    model = LeverageModel(blueprint, blueprint.draw(seed, replication),
                          replication_rng(seed, replication))
    return model.run()


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

    Args:
        scenario: the resolved scenario.
        seed: the run seed.
        chunk: which replications.
        timeseries: also return the time series and leverage tables.

    """
    blueprint = _blueprint(scenario)
    rows, series, actors, leverage, errors = [], [], [], [], []
    for r in range(chunk.start, chunk.stop):
        try:
            model = run_replication(blueprint, seed, r)
            row = outcomes(model, r)
            if timeseries:
                series.append(model.timeseries(r))
                actors.append(model.actor_series(r))
                leverage.append(leverage_rows(model, r))
        except Exception as exc:  # noqa: BLE001 - recorded with its traceback, the run goes on
            errors.append({"replication": r, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc()})
            continue
        rows.append(row)
    tables = {"outcomes": pd.DataFrame(rows)}
    if timeseries:
        for name, frames in (("timeseries", series), ("actors", actors),
                             ("leverage", leverage)):
            tables[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return ChunkResult(chunk, tables, errors)
