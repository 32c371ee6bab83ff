import json
import math

import pandas as pd
import pyarrow.parquet as pq
import pytest

import sim
from sim.errors import LeverageError, ReplicationsFailed
from sim.experiment import replication, store
from sim.results import find_result_sets
from tests.factories import make_scenario, scenario_data

LEVERS = [
    {"type": "deployment", "actor": "patron", "to": {"uniform": [0.3, 0.9]}},
    {"type": "talks", "participants": ["patron", "client", "outsider", "rebels"]},
]


def scenario(**changes):
    data = scenario_data()
    data["actors"]["patron"]["resolve"] = {"uniform": [0.3, 0.9]}
    data["actors"]["rebels"]["force"] = {"triangular": [50, 70, 120]}
    settings = {
        "actors": data["actors"],
        "levers": LEVERS,
        "battlefield": {"noise": 0.01},
        "replications": 12,
        **changes,
    }
    return make_scenario(**settings)


def test_result_set_layout_and_manifest(tmp_path):
    result = sim.run(scenario(), out=tmp_path / "run", executor="serial", chunk_size=5)
    names = {p.name for p in result.path.iterdir()}
    assert names == {
        "manifest.json",
        "scenario.yaml",
        "outcomes.parquet",
        "timeseries.parquet",
        "actors.parquet",
        "leverage.parquet",
    }
    m = json.loads((result.path / "manifest.json").read_text())
    assert m["status"] == "complete" and m["chunks_done"] == m["chunks_total"] == 3
    assert m["seed"] == 7 and m["replications"] == 12
    assert {"python", "mesa", "numpy", "leverage-sim"} <= set(m["versions"])
    assert result.outcomes["replication"].tolist() == list(range(12))
    assert {"param.actors.patron.resolve", "param.levers.0.to", "param.actors.rebels.force"} <= set(
        result.outcomes.columns
    )
    assert result.timeseries.groupby("replication")["step"].min().eq(0).all()
    assert set(result.leverage.columns) == {"replication", "step", "holder", "target", "value"}
    loaded = sim.load(result.path)
    assert loaded.scenario == sim.Scenario.model_validate(scenario().to_data())


def test_outcomes_do_not_depend_on_the_executor_or_chunking(tmp_path):
    serial = sim.run(scenario(), out=tmp_path / "a", executor="serial", chunk_size=12)
    procs = sim.run(scenario(), out=tmp_path / "b", executor="processes", workers=2, chunk_size=5)
    pd.testing.assert_frame_equal(serial.outcomes, procs.outcomes)
    pd.testing.assert_frame_equal(serial.actors, procs.actors)


def test_chunks_are_merged_into_bounded_row_groups_in_replication_order(tmp_path, monkeypatch):
    whole = sim.run(scenario(), out=tmp_path / "a", executor="serial", chunk_size=2)
    monkeypatch.setattr(store, "ROW_GROUP_BYTES", 1)  # every chunk its own row group
    split = sim.run(scenario(), out=tmp_path / "b", executor="serial", chunk_size=2)
    assert pq.ParquetFile(whole.path / "outcomes.parquet").num_row_groups == 1
    assert pq.ParquetFile(split.path / "outcomes.parquet").num_row_groups == 6
    pd.testing.assert_frame_equal(whole.outcomes, split.outcomes)
    assert split.outcomes["replication"].tolist() == list(range(12))
    assert not (split.path / "outcomes").exists()


def test_dask_gives_the_same_outcomes(tmp_path):
    pytest.importorskip("dask.distributed")
    serial = sim.run(scenario(), out=tmp_path / "a", executor="serial")
    dask = sim.run(scenario(), out=tmp_path / "b", executor="dask", workers=2, chunk_size=4)
    pd.testing.assert_frame_equal(serial.outcomes, dask.outcomes)


def test_no_timeseries_keeps_only_outcomes(tmp_path):
    result = sim.run(scenario(), out=tmp_path / "r", executor="serial", timeseries=False)
    assert not (result.path / "timeseries.parquet").exists()
    assert len(result.outcomes) == 12 and result.timeseries.empty


def test_common_random_numbers_across_scenarios(tmp_path):
    a = sim.run(scenario(), out=tmp_path / "a", executor="serial")
    sanctions = {
        "type": "sanctions",
        "senders": ["outsider"],
        "targets": ["patron"],
        "intensity": {"uniform": [0.001, 0.003]},
    }
    b = sim.run(
        make_scenario(**{**scenario().to_data(), "levers": [*LEVERS, sanctions], "name": "other"}),
        out=tmp_path / "b",
        executor="serial",
    )
    shared = [c for c in a.outcomes.columns if c.startswith("param.")]
    pd.testing.assert_frame_equal(a.outcomes[shared], b.outcomes[shared])
    assert "param.levers.2.intensity" in b.outcomes


def test_replications_and_seed_override_the_scenario(tmp_path):
    result = sim.run(scenario(), out=tmp_path / "r", replications=3, seed=11, executor="serial")
    assert len(result.outcomes) == 3 and result.manifest["seed"] == 11
    assert result.scenario.seed == 11 and result.scenario.replications == 3


def test_out_must_be_new(tmp_path):
    (tmp_path / "r").mkdir()
    with pytest.raises(LeverageError, match="already exists"):
        sim.run(scenario(), out=tmp_path / "r", executor="serial")


def test_runs_started_together_get_their_own_folders(tmp_path):
    paths = {
        sim.run(scenario(replications=1), results_dir=tmp_path, executor="serial").path
        for _ in range(3)
    }
    assert len(paths) == 3
    assert len(find_result_sets(tmp_path)) == 3


@pytest.mark.parametrize("batch", [1, 5])
def test_the_batch_size_does_not_change_the_results(tmp_path, monkeypatch, batch):
    whole = sim.run(scenario(), out=tmp_path / "whole", executor="serial")
    monkeypatch.setattr(replication, "MAX_BATCH", batch)
    batched = sim.run(scenario(), out=tmp_path / "batched", executor="serial")
    for table in ("outcomes", "timeseries", "actors", "leverage"):
        pd.testing.assert_frame_equal(
            getattr(whole, table), getattr(batched, table), check_exact=True
        )


@pytest.mark.parametrize("batch", [1, 5, 200])
def test_a_failing_replication_is_recorded_and_the_run_goes_on(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(replication, "MAX_BATCH", batch)
    original = replication.run_engine

    def flaky(blueprint, seed, numbers, record=True, chunk=None):
        if 4 in numbers:  # a batch holding replication 4 fails, and so does 4 alone
            raise RuntimeError("boom")
        return original(blueprint, seed, numbers, record, chunk=chunk)

    monkeypatch.setattr(replication, "run_engine", flaky)
    with pytest.raises(ReplicationsFailed, match="1 replication"):
        sim.run(scenario(), out=tmp_path / "r", executor="serial")
    result = sim.load(tmp_path / "r")
    assert result.manifest["status"] == "failed"
    assert result.manifest["failed_replications"] == [4]
    assert 4 not in result.outcomes["replication"].tolist() and len(result.outcomes) == 11
    errors = [json.loads(x) for x in (tmp_path / "r" / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["replication"] == 4 and "RuntimeError: boom" in errors[0]["traceback"]


def test_resume_refuses_a_complete_run(tmp_path):
    result = sim.run(scenario(), out=tmp_path / "r", executor="serial")
    with pytest.raises(LeverageError, match="already complete"):
        sim.resume(result.path)


def test_outcomes_have_the_documented_names(tmp_path):
    trig = {
        "name": "back",
        "when": {"metric": "step", "op": ">", "value": 3},
        "then": {"type": "pressure", "sender": "patron", "target": "client"},
    }
    result = sim.run(scenario(triggers=[trig]), out=tmp_path / "r", executor="serial")
    cols = set(result.outcomes.columns)
    expected = {
        "replication",
        "settled",
        "settlement_step",
        "settlement_position.tenure",
        "forecast.tenure",
        "territory.gov",
        "territory.reb",
        "victory",
        "triggered.back",
        "triggered_step.back",
        "incident",
        "civilian_harm",
        "coalition_cohesion",
        "cost.patron",
        "stress.patron",
        "position.patron.tenure",
    }
    assert expected <= cols
    assert math.isnan(result.outcomes["coalition_cohesion"].iloc[0])


def test_unknown_or_missing_executor_fails_before_writing(tmp_path, monkeypatch):
    with pytest.raises(LeverageError, match="unknown executor 'threads'"):
        sim.run(scenario(), out=tmp_path / "a", executor="threads")
    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)
    with pytest.raises(LeverageError, match=r"pip install 'leverage-sim\[dask\]'"):
        sim.run(scenario(), out=tmp_path / "b", executor="dask")
    assert not any(tmp_path.iterdir())


def test_empty_tables_keep_their_documented_columns(tmp_path):
    """No leverage anywhere: the leverage table is empty but keeps its columns and types,
    so ``groupby(['holder', 'target'])`` works."""
    data = scenario_data()
    for actor in data["actors"].values():
        actor["leverage"] = {}
    result = sim.run(
        make_scenario(actors=data["actors"]), out=tmp_path / "r", executor="serial", replications=3
    )
    leverage = result.leverage
    assert leverage.empty
    assert list(leverage.columns) == ["replication", "step", "holder", "target", "value"]
    assert leverage.groupby(["holder", "target"])["value"].mean().empty
    assert str(leverage["value"].dtype) == "float64"
