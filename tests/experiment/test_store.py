"""Writing a result set: records, checksums, durable files, restartable consolidation."""

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.errors import Interrupted
from sim.experiment import integrity, store

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"
SETTINGS = {"replications": 8, "seed": 3, "chunk_size": 3, "executor": "serial"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return sim.run(EXAMPLE, out=tmp_path_factory.mktemp("ref") / "run", **SETTINGS)


def test_the_manifest_records_files_scenario_and_schemas(reference):
    m = json.loads((reference.path / "manifest.json").read_text())
    assert m["format"] == 2 and m["status"] == "complete"
    assert set(m["files"]) == {
        f"{t}.parquet" for t in ("outcomes", "timeseries", "actors", "leverage")
    }
    for name, record in m["files"].items():
        file = reference.path / name
        assert record["sha256"] == integrity.sha256_file(file)
        assert record["bytes"] == file.stat().st_size
    assert m["files"]["outcomes.parquet"]["rows"] == 8 == len(reference.outcomes)
    assert m["files"]["timeseries.parquet"]["rows"] == len(reference.timeseries)
    assert m["scenario_sha256"] == integrity.scenario_hash(m["resolved_scenario"])
    assert m["resolved_scenario"]["horizon"] == 52
    columns = integrity.sha256_bytes("\n".join(reference.outcomes.columns).encode())
    assert m["schemas"]["outcomes"] == columns
    assert [s["chunks_run"] for s in m["timings"]] == [3]
    names = {p.name for p in reference.path.iterdir()}
    assert not names & {"outcomes", "chunks.jsonl", ".lock"}


def test_a_chunk_record_says_range_rows_and_checksum(tmp_path, monkeypatch):
    monkeypatch.setattr(
        store.ResultSetWriter, "consolidate", lambda self: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(Interrupted):
        sim.run(EXAMPLE, out=tmp_path / "r", **SETTINGS)
    records = integrity.read_records(tmp_path / "r")
    assert sorted(records) == [0, 1, 2]
    last = records[2]
    assert (last["start"], last["stop"], last["failed"]) == (6, 8, 0)
    entry = last["tables"]["outcomes"]
    file = tmp_path / "r" / entry["file"]
    assert entry["file"] == "outcomes/part-00002.arrow" and entry["rows"] == 2
    assert entry["sha256"] == integrity.sha256_file(file) and entry["bytes"] == file.stat().st_size


def test_files_are_fsynced_before_they_are_renamed(tmp_path, monkeypatch):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the file descriptors")
    synced, renamed = [], []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(source, target):
        renamed.append((str(source), synced[-1] if synced else None))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    sim.run(EXAMPLE, out=tmp_path / "r", **SETTINGS)
    assert len(renamed) > 10
    for source, last_synced in renamed:  # each file renamed was the last one fsynced
        assert last_synced == source
    assert str(tmp_path / "r") in synced and str(tmp_path / "r" / "outcomes") in synced


@pytest.mark.parametrize("fault", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_an_interrupted_consolidation_keeps_the_chunks_and_is_done_again(
    tmp_path, monkeypatch, reference, fault
):
    real = store.ResultSetWriter._consolidate_table

    def stops_at_actors(self, name, numbers):
        if name == "actors":
            (self.path / ".actors.parquet.tmp").write_bytes(b"half")
            raise fault
        return real(self, name, numbers)

    monkeypatch.setattr(store.ResultSetWriter, "_consolidate_table", stops_at_actors)
    with pytest.raises(Interrupted):  # (a full disk, too, is an interruption: resumable)
        sim.run(EXAMPLE, out=tmp_path / "r", **SETTINGS)
    monkeypatch.undo()
    path = tmp_path / "r"
    m = json.loads((path / "manifest.json").read_text())
    assert m["status"] == "interrupted"
    assert m["files"] is None and (path / "outcomes.parquet").exists()
    assert len(list((path / "outcomes").iterdir())) == 3  # chunks kept
    assert len(sim.load(path).outcomes) == 8  # read from the chunks
    said = []
    result = sim.resume(path, executor="serial", say=said.append)
    assert said == [] and [s["chunks_run"] for s in result.manifest["timings"]] == [3, 0]
    for table in ("outcomes", "timeseries", "actors", "leverage"):
        pd.testing.assert_frame_equal(getattr(result, table), getattr(reference, table))
    assert not (path / ".actors.parquet.tmp").exists()


def test_a_finished_set_with_failures_is_not_resumed(tmp_path):
    result = sim.run(EXAMPLE, out=tmp_path / "r", **SETTINGS)
    manifest = {**result.manifest, "status": "failed"}
    (result.path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(sim.LeverageError, match="the run is finished"):
        sim.resume(result.path, executor="serial")


def test_scenario_changes_name_each_path():
    old = {"horizon": 52, "actors": {"a": {"force": 1}}, "levers": [{"x": 1}]}
    new = {"horizon": 30, "actors": {"b": {"force": 1}}, "levers": [{"x": 2}], "seed": 1}
    assert integrity.scenario_changes(old, new) == [
        "horizon: 52 -> 30",
        "actors.a: removed",
        "actors.b: added",
        "levers.0.x: 1 -> 2",
        "seed: added",
    ]


def test_a_chunk_damaged_after_the_check_stops_consolidation_with_one_error(
    tmp_path, monkeypatch, reference
):
    path = tmp_path / "r"
    with monkeypatch.context() as patch:
        patch.setattr(
            store.ResultSetWriter,
            "consolidate",
            lambda self: (_ for _ in ()).throw(KeyboardInterrupt),
        )
        with pytest.raises(Interrupted):
            sim.run(EXAMPLE, out=path, **SETTINGS)
    with monkeypatch.context() as patch:  # damaged between the check and the consolidation
        patch.setattr(integrity, "check_chunks", lambda p, m: (integrity.read_records(p), []))
        (path / "actors" / "part-00001.arrow").write_bytes(b"\0" * 64)
        with pytest.raises(
            sim.LeverageError,
            match=r"actors/part-00001.arrow: cannot be read "
            r".*sim run --resume",
        ):
            sim.resume(path, executor="serial")
    assert json.loads((path / "manifest.json").read_text())["status"] == "failed"
    said = []
    result = sim.resume(path, executor="serial", say=said.append)
    assert len(said) == 1 and "chunk 1 " in said[0]
    for table in ("outcomes", "timeseries", "actors", "leverage"):
        pd.testing.assert_frame_equal(getattr(result, table), getattr(reference, table))
