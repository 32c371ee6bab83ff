"""The engine: a replication's numbers do not depend on the batch it runs in."""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from sim.engine import Blueprint
from sim.experiment import replication
from sim.experiment.replication import Chunk, run_chunk, run_engine
from sim.outcomes import outcome_columns
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [
    "syria_2016/baseline",
    "syria_2016/full_package",
    "syria_2016/safe_zone",
    "syria_2016/russia_redeploys",
    "syria_2016/sanctions_threat",
    "syria_2016/reacting_russia",
    "examples/patron_client",
    "validation/ec_emissions_1994",
]


def decode_for_tests(result):
    return {
        name: pa.ipc.open_file(pa.BufferReader(data)).read_all()
        for name, data in result.tables.items()
    }


def columns(engine, numbers):
    return outcome_columns(engine, numbers)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_replication_gets_the_same_numbers_alone_and_in_a_batch(name):
    bp = Blueprint(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    numbers = np.arange(3, 10)
    together = run_engine(bp, 5, numbers)
    batch = columns(together, numbers)
    for i, r in enumerate(numbers):
        alone = run_engine(bp, 5, np.array([r]))
        for key, value in columns(alone, np.array([r])).items():
            np.testing.assert_array_equal(value[0], batch[key][i], err_msg=key)
        a, t = alone.recorder, together.recorder
        last = int(alone.state.last_step[0])
        assert last == together.state.last_step[i]
        for series in ("territory", "forecast", "harm", "force", "position", "cost", "stress"):
            np.testing.assert_array_equal(
                getattr(a, series)[: last + 1, 0], getattr(t, series)[: last + 1, i], err_msg=series
            )


@pytest.mark.parametrize("size", [1, 7, 200])
def test_the_batch_size_changes_no_table(size, monkeypatch):
    scenario = load_scenario(ROOT / "scenarios/syria_2016/full_package.yaml")
    chunk = Chunk(0, 0, 30)
    reference = decode_for_tests(run_chunk(scenario, 9, chunk))
    monkeypatch.setattr(replication, "MAX_BATCH", size)
    other = decode_for_tests(run_chunk(scenario, 9, chunk))
    assert reference.keys() == other.keys()
    for name in reference:
        assert reference[name].to_pandas().equals(other[name].to_pandas()), name


def test_the_streams_of_a_run_are_the_spawned_children_of_each_replication():
    from sim.engine.streams import Streams

    numbers = [0, 3, 999, 2**32 - 1]
    for seed in (0, 7, 20160314):
        fast = Streams.of_run(seed, numbers)
        batches = [[rng.standard_normal(6) for rng in fast.batch(n)] for n in range(3)]
        for i, r in enumerate(numbers):
            parent = np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0, r)))
            )
            for n, reference in enumerate(parent.spawn(3)):
                expected = reference.standard_normal(6)
                np.testing.assert_array_equal(fast._child(i, n).standard_normal(6), expected)
                np.testing.assert_array_equal(batches[n][i], expected)
