"""`--resume` checks a set before running anything: damaged chunks run again, an edited
scenario or another simulator is refused, and every session is recorded.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim import runner
from sim.errors import Interrupted, LeverageError
from sim.experiment import integrity, store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "examples" / "patron_client.yaml"
SETTINGS = {"replications": 12, "seed": 11, "chunk_size": 3, "executor": "serial"}


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return sim.run(EXAMPLE, out=tmp_path_factory.mktemp("ref") / "run", **SETTINGS)


@pytest.fixture(scope="module")
def stopped_template(tmp_path_factory):
    """A set whose every chunk is written, stopped (Ctrl-C) before consolidation."""
    path = tmp_path_factory.mktemp("stopped") / "run"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            store.ResultSetWriter,
            "consolidate",
            lambda self: (_ for _ in ()).throw(KeyboardInterrupt),
        )
        with pytest.raises(Interrupted):
            sim.run(EXAMPLE, out=path, **SETTINGS)
    return path


@pytest.fixture
def stopped(stopped_template, tmp_path):
    path = tmp_path / "run"
    shutil.copytree(stopped_template, path)
    return path


def resume(path):
    said = []
    result = sim.resume(path, executor="serial", say=said.append)
    return result, said


def assert_same(result, reference):
    assert result.manifest["status"] == "complete"
    for table in ("outcomes", "timeseries", "actors", "leverage"):
        pd.testing.assert_frame_equal(getattr(result, table), getattr(reference, table))


def test_a_stopped_set_is_consolidated_without_running_chunks_again(stopped, reference):
    manifest = json.loads((stopped / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["chunks_done"] == 4
    result, said = resume(stopped)
    assert said == []
    assert_same(result, reference)
    sessions = result.manifest["timings"]
    assert [s["ended"] for s in sessions] == ["interrupted", "complete"]
    assert [s["chunks_run"] for s in sessions] == [4, 0]
    assert all(s["executor"] == "serial" and s["seconds"] >= 0 for s in sessions)
    assert not (stopped / "outcomes").exists() and not (stopped / "chunks.jsonl").exists()


def _flip_bit(file: Path, at: int) -> None:
    data = bytearray(file.read_bytes())
    data[at] ^= 0x01
    file.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("missing_timeseries", "timeseries/part-00001.arrow is missing"),
        ("bit_flip", "outcomes/part-00001.arrow does not match its checksum"),
        ("truncated", "outcomes/part-00001.arrow has"),
        ("empty", "actors/part-00001.arrow has 0 bytes"),
        ("garbage", "leverage/part-00001.arrow does not match its checksum"),
        ("unrecorded", "not recorded as finished"),
        ("torn_record", "not recorded as finished"),
        ("errors_lost", "failures recorded"),
    ],
)
def test_a_damaged_chunk_is_run_again_saying_so(stopped, reference, damage, reason):
    chunk = stopped / "outcomes" / "part-00001.arrow"
    if damage == "missing_timeseries":
        (stopped / "timeseries" / "part-00001.arrow").unlink()
    elif damage == "bit_flip":
        _flip_bit(chunk, chunk.stat().st_size // 2)
    elif damage == "truncated":
        chunk.write_bytes(chunk.read_bytes()[:-100])
    elif damage == "empty":
        (stopped / "actors" / "part-00001.arrow").write_bytes(b"")
    elif damage == "garbage":
        file = stopped / "leverage" / "part-00001.arrow"
        file.write_bytes(b"x" * file.stat().st_size)
    elif damage in ("unrecorded", "torn_record"):
        lines = (stopped / "chunks.jsonl").read_text().splitlines()
        kept = [line for line in lines if json.loads(line)["chunk"] != 1]
        torn = [line[:40] for line in lines if json.loads(line)["chunk"] == 1]
        (stopped / "chunks.jsonl").write_text(
            "\n".join(kept + (torn if damage == "torn_record" else [])) + "\n"
        )
    elif damage == "errors_lost":
        lines = (stopped / "chunks.jsonl").read_text().splitlines()
        records = [json.loads(line) for line in lines]
        records[1]["failed"] = 1
        records[1]["tables"]["outcomes"]["rows"] -= 1
        integrity.write_records(stopped, records)
    result, said = resume(stopped)
    assert len(said) == 1
    assert said[0].startswith(f"{stopped}: chunk 1 (replications 3-5): ")
    assert reason in said[0] and said[0].endswith("running it again")
    assert_same(result, reference)
    assert [s["chunks_run"] for s in result.manifest["timings"]] == [4, 1]


def test_a_chunk_never_started_is_run_without_a_message(stopped, reference):
    records = integrity.read_records(stopped)
    integrity.write_records(stopped, [r for k, r in records.items() if k != 3])
    for table in ("outcomes", "timeseries", "actors", "leverage"):
        (stopped / table / "part-00003.arrow").unlink()
    result, said = resume(stopped)
    assert said == []
    assert_same(result, reference)


def test_a_damaged_chunk_warns_when_no_one_listens(stopped, reference):
    (stopped / "timeseries" / "part-00002.arrow").unlink()
    with pytest.warns(UserWarning, match="chunk 2 .*timeseries/part-00002.arrow is missing"):
        result = sim.resume(stopped, executor="serial")
    assert_same(result, reference)


def test_the_cli_says_which_chunks_it_runs_again(stopped, reference):
    (stopped / "timeseries" / "part-00001.arrow").unlink()
    _flip_bit(stopped / "outcomes" / "part-00002.arrow", 200)
    done = cli("run", "--resume", stopped, "--executor", "serial", "--quiet")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert "chunk 1 " in lines[0] and "timeseries/part-00001.arrow is missing" in lines[0]
    assert "chunk 2 " in lines[1] and "does not match its checksum" in lines[1]
    assert_same(sim.load(stopped), reference)


def test_an_edited_scenario_is_refused_before_running(stopped):
    file = stopped / "scenario.yaml"
    file.write_text(file.read_text().replace("\nhorizon: 52", "\nhorizon: 30"))
    before = {p: p.stat().st_mtime_ns for p in stopped.rglob("*")}
    with pytest.raises(
        LeverageError,
        match=r"scenario.yaml: changed since the run started "
        r"\(horizon: 52 -> 30\)",
    ):
        resume(stopped)
    assert {p: p.stat().st_mtime_ns for p in stopped.rglob("*")} == before


def test_an_edited_scenario_cli_is_one_line(stopped):
    file = stopped / "scenario.yaml"
    text = file.read_text().replace("\nhorizon: 52", "\nhorizon: 30")
    file.write_text(text.replace("name: patron_client", "name: other"))
    done = cli("run", "--resume", stopped, "--quiet")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f'{file}: changed since the run started (name: "patron_client" -> "other"; '
        "horizon: 52 -> 30); a resumed run must use the scenario it started with: restore "
        "it, or start a new run"
    ]
    assert json.loads((stopped / "manifest.json").read_text())["status"] == "interrupted"


def test_a_scenario_edited_into_an_invalid_one_is_refused(stopped):
    file = stopped / "scenario.yaml"
    file.write_text(file.read_text().replace("\nhorizon: 52", "\nhorizon: -3"))
    with pytest.raises(
        LeverageError, match="changed since the run started and no longer loads .*horizon"
    ):
        resume(stopped)


def test_a_comment_in_the_scenario_is_not_a_change(stopped, reference):
    file = stopped / "scenario.yaml"
    file.write_text("# checked by hand\n" + file.read_text())
    result, said = resume(stopped)
    assert said == []
    assert_same(result, reference)


def test_another_engine_version_is_refused(stopped, monkeypatch):
    real = runner.simulator()
    monkeypatch.setattr(runner, "simulator", lambda: {**real, "engine": 99})
    with pytest.raises(
        LeverageError, match="started with engine version 2, this simulator has engine version 99"
    ):
        resume(stopped)


def test_a_new_commit_of_the_same_engine_may_resume(stopped, reference, monkeypatch):
    real = runner.simulator()
    monkeypatch.setattr(
        runner, "simulator", lambda: {**real, "version": "9.9", "git_commit": "0" * 40}
    )
    result, _ = resume(stopped)
    assert_same(result, reference)


def test_new_chunks_with_other_columns_are_refused(stopped):
    manifest = json.loads((stopped / "manifest.json").read_text())
    manifest["schemas"]["outcomes"] = "0" * 64
    (stopped / "manifest.json").write_text(json.dumps(manifest))
    records = integrity.read_records(stopped)
    integrity.write_records(stopped, [r for k, r in records.items() if k != 3])
    with pytest.raises(LeverageError, match="other columns than the set's"):
        resume(stopped)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("[1, 2]", "damaged manifest: expected a JSON object, found list"),
        ('{"status": "interrupted"', "damaged manifest: not valid JSON"),
        ("drop:chunk_size", "damaged manifest: chunk_size: field required"),
        ("drop:status", "damaged manifest: status: field required"),
        ('set:seed="x"', "damaged manifest: seed: input should be a valid integer"),
    ],
)
def test_a_damaged_manifest_is_one_error(stopped, manifest, message):
    file = stopped / "manifest.json"
    if manifest.startswith("drop:"):
        data = json.loads(file.read_text())
        del data[manifest[5:]]
        manifest = json.dumps(data)
    elif manifest.startswith("set:"):
        key, value = manifest[4:].split("=")
        manifest = json.dumps({**json.loads(file.read_text()), key: json.loads(value)})
    file.write_text(manifest)
    with pytest.raises(LeverageError, match=message):
        resume(stopped)
    done = cli("run", "--resume", stopped, "--quiet")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr


def test_provenance_is_the_simulators_not_the_working_directorys(tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(other),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        check=True,
    )
    theirs = subprocess.run(
        ["git", "-C", str(other), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    done = cli(
        "run",
        EXAMPLE,
        "--replications",
        2,
        "--executor",
        "serial",
        "--out",
        tmp_path / "r",
        "--quiet",
        cwd=other,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    ours = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    from importlib.metadata import version

    assert manifest["simulator"]["version"] == version("leverage-sim")
    assert manifest["git_commit"] != theirs
    if ours.returncode == 0 and (ROOT / "sim").is_dir():  # run from the checkout
        assert manifest["git_commit"] == manifest["simulator"]["git_commit"] == ours.stdout.strip()
    assert manifest["timings"][0]["executor"] == "serial"


def test_a_set_written_before_chunk_records_runs_its_chunks_again(stopped, reference):
    manifest = json.loads((stopped / "manifest.json").read_text())
    for key in ("scenario_sha256", "resolved_scenario", "schemas", "simulator"):
        del manifest[key]
    (stopped / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    (stopped / "chunks.jsonl").unlink()
    result, said = resume(stopped)
    assert said == [
        f"{stopped}: written before chunks were recorded: its 4 chunk(s) on disk "
        "cannot be checked; running them again"
    ]
    assert_same(result, reference)
