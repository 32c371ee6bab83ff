"""Faults are a clean stop, never a hang: a full disk, unwritable places, too little disk,
too many workers, a Dask scheduler that is not there, Ctrl-C under Dask, a worker's
MemoryError. Each ends in one line, a non-zero exit and a set that is interrupted (and
resumes to the uninterrupted numbers) or nothing written at all.
"""

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.errors import Interrupted, LeverageError
from sim.experiment import executors, preflight, store

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"
FAST = ["--replications", "20", "--seed", "3", "--executor", "serial", "--quiet"]


def cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True, **kwargs
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def mount(*args) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *map(str, args)], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs (root only, where the machine allows mounts)."""
    place = tmp_path / "disk"
    place.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", place):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount rights)")
    yield place
    subprocess.run(["umount", "-l", str(place)], check=False)


@pytest.fixture
def read_only():
    """Make a folder read-only: chmod for a user; a read-only bind mount for root (who
    ignores file modes).
    """
    made = []

    def make(path: Path) -> None:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            if not (mount("--bind", path, path) and mount("-o", "remount,bind,ro", path, path)):
                subprocess.run(["umount", str(path)], check=False, capture_output=True)
                pytest.skip("as root, a read-only folder needs a read-only bind mount")
            made.append(("mount", path))
        else:
            path.chmod(0o555)
            made.append(("mode", path))

    yield make
    for kind, path in made:
        if kind == "mount":
            subprocess.run(["umount", str(path)], check=False)
        else:
            path.chmod(0o755)


# --- a full disk ---------------------------------------------------------------------------

DISK_ARGS = [
    "--replications",
    "1000",
    "--seed",
    "8",
    "--chunk-size",
    "4",
    "--workers",
    "2",
    "--no-timeseries",
    "--quiet",
]


def fill(folder: Path) -> Path:
    """Fill the disk holding ``folder``; the file that does it."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(bytes(2**16))
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_disk_stops_the_run_resumably(small_disk, tmp_path):
    out = small_disk / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", str(EXAMPLE), *DISK_ARGS, "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list((out / "outcomes").glob("part-*"))) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "no chunk written"
        time.sleep(0.02)
    filler = fill(small_disk)
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == 1  # (before: a 61-line traceback, status running)
    assert one_line(stderr).startswith(
        f"disk full (No space left on device): finished chunks kept in {out}; free some disk space"
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]  # nothing half-written
    assert not (out / ".lock").exists()
    filler.unlink()  # space returns
    done = cli("run", "--resume", out, "--quiet")
    assert done.returncode == 0, done.stderr
    reference = sim.run(
        EXAMPLE,
        replications=1000,
        seed=8,
        out=tmp_path / "reference",
        executor="serial",
        timeseries=False,
    )
    pd.testing.assert_frame_equal(sim.load(out).outcomes, reference.outcomes)


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_consolidating_marks_the_set_interrupted(tmp_path, monkeypatch):
    scenario = sim.load_scenario(EXAMPLE)
    monkeypatch.setattr(store.ResultSetWriter, "consolidate", enospc)
    with pytest.raises(Interrupted, match="disk full") as caught:
        sim.run(
            scenario,
            replications=8,
            chunk_size=4,
            out=tmp_path / "run",
            executor="serial",
            timeseries=False,
        )
    assert caught.value.exit_code == 1
    assert sim.load(tmp_path / "run").manifest["status"] == "interrupted"
    monkeypatch.undo()
    assert sim.resume(tmp_path / "run", executor="serial").complete


# --- places that cannot be written ---------------------------------------------------------


def test_out_under_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    done = cli("run", EXAMPLE, *FAST, "--out", tmp_path / "file" / "run")
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        f"--out {tmp_path / 'file' / 'run'}: {tmp_path / 'file'} is a file, not a folder"
    )


def test_a_results_dir_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(LeverageError, match=r"^--results-dir .*file: is a file, not a folder$"):
        sim.run(EXAMPLE, replications=2, results_dir=tmp_path / "file", executor="serial")


@pytest.mark.parametrize("option", ["out", "results_dir"])
def test_a_read_only_parent_is_refused(tmp_path, read_only, option):
    parent = tmp_path / "locked"
    parent.mkdir()
    read_only(parent)
    flag = "--" + option.replace("_", "-")
    with pytest.raises(LeverageError) as caught:
        sim.run(EXAMPLE, replications=2, executor="serial", **{option: parent / "run"})
    assert str(caught.value) == (
        f"{flag} {parent / 'run'}: cannot write in {parent} "
        "(permission denied or a read-only file system)"
    )
    assert list(parent.iterdir()) == []


def test_resuming_a_read_only_set_is_refused(tmp_path, read_only, monkeypatch):
    out = tmp_path / "run"
    monkeypatch.setattr(store.ResultSetWriter, "consolidate", enospc)
    with pytest.raises(Interrupted):
        sim.run(
            sim.load_scenario(EXAMPLE),
            replications=8,
            chunk_size=4,
            out=out,
            executor="serial",
            timeseries=False,
        )
    before = (out / "manifest.json").read_text()
    read_only(out)
    with pytest.raises(LeverageError) as caught:  # (before: a 45-line traceback)
        sim.resume(out, executor="serial")
    assert str(caught.value) == (
        f"{out}: cannot write to this result set (permission denied "
        "or a read-only file system); cannot resume it"
    )
    assert (out / "manifest.json").read_text() == before


# --- too little disk, too many workers -----------------------------------------------------

Usage = namedtuple("Usage", "total used free")


def test_a_run_that_needs_more_disk_than_is_free_is_refused_before_starting(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight.shutil, "disk_usage", lambda path: Usage(10**9, 0, 10**6))
    with pytest.raises(
        LeverageError,
        match=r"not enough disk space: 1000 replications need "
        r"about .* but 1.0 MB is free",
    ):
        sim.run(EXAMPLE, replications=1000, out=tmp_path / "run", executor="serial")
    assert not (tmp_path / "run").exists()


def test_a_billion_replications_are_refused_before_anything_is_written(tmp_path):
    scenario = sim.load_scenario(EXAMPLE)
    if preflight.disk_needed(scenario, 10**9, False) < shutil.disk_usage(tmp_path).free:
        pytest.skip("this disk could hold a billion replications")
    done = cli(
        "run", EXAMPLE, "--replications", 10**9, "--no-timeseries", "--out", tmp_path / "run"
    )
    assert done.returncode == 2
    assert "not enough disk space: 1000000000 replications" in one_line(done.stderr)
    assert not (tmp_path / "run").exists()


def test_the_disk_estimate_is_an_upper_bound_of_the_right_order(tmp_path):
    scenario = sim.load_scenario(EXAMPLE)
    result = sim.run(scenario, replications=40, seed=2, out=tmp_path / "run", executor="serial")
    used = sum(p.stat().st_size for p in result.path.glob("*.parquet")) / 40
    estimate = preflight.bytes_per_replication(scenario, timeseries=True)
    assert used < estimate < 10 * used


def test_more_workers_than_cores_are_capped_with_a_warning(tmp_path):
    cores = os.cpu_count() or 1
    done = cli(
        "run",
        EXAMPLE,
        "--replications",
        200,
        "--workers",
        500,
        "--quiet",
        "--out",
        tmp_path / "run",
    )
    assert done.returncode == 0, done.stderr
    assert one_line(done.stderr) == (
        f"warning: --workers 500 is more than the {cores} cores of this machine; using {cores}"
    )
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["workers"] <= cores
    assert manifest["chunk_size"] >= min(200, preflight.MIN_CHUNK)  # (before: 1)


@pytest.mark.parametrize(
    ("replications", "workers", "size"),
    [(1500, 500, 20), (1500, 2, 47), (10, 2, 10), (10**7, 2, 1000)],
)
def test_default_chunk_sizes_stay_sensible(replications, workers, size):
    assert preflight.chunk_size(replications, workers) == size


def test_workers_are_capped_at_the_chunks_to_run():
    assert preflight.plan_workers(2, "processes", None, 1) == 1
    assert preflight.plan_workers(None, "serial", None, 10) == 1
    assert preflight.plan_workers(64, "dask", "tcp://cluster:8786", 1000) == 64


# --- a worker's MemoryError ----------------------------------------------------------------


def test_a_memory_error_in_a_worker_interrupts_the_run_resumably(tmp_path, monkeypatch):
    real = executors.run_chunk

    def short_of_memory(scenario, seed, chunk, timeseries):
        if chunk.number == 2:
            raise MemoryError
        return real(scenario, seed, chunk, timeseries)

    scenario = sim.load_scenario(EXAMPLE)
    monkeypatch.setattr(executors, "run_chunk", short_of_memory)
    with pytest.raises(Interrupted, match="a worker ran out of memory") as caught:
        sim.run(
            scenario,
            replications=24,
            seed=4,
            chunk_size=4,
            out=tmp_path / "run",
            executor="processes",
            workers=1,
            timeseries=False,
        )
    assert caught.value.exit_code == 1
    assert sim.load(tmp_path / "run").manifest["status"] == "interrupted"
    monkeypatch.undo()
    resumed = sim.resume(tmp_path / "run", executor="serial")
    whole = sim.run(
        scenario,
        replications=24,
        seed=4,
        out=tmp_path / "whole",
        executor="serial",
        timeseries=False,
    )
    pd.testing.assert_frame_equal(resumed.outcomes, whole.outcomes)


# --- Dask: an absent scheduler, bad addresses, Ctrl-C ------------------------------------


def test_a_dask_scheduler_that_is_not_there_writes_nothing(tmp_path):
    pytest.importorskip("dask.distributed")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    done = cli(
        "run",
        EXAMPLE,
        *FAST[:4],
        "--executor",
        "dask",
        "--address",
        f"tcp://127.0.0.1:{port}",
        "--out",
        tmp_path / "run",
    )
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(
        f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
    )
    assert not (tmp_path / "run").exists()  # (before: an empty 'failed' set)


def test_a_malformed_dask_address_writes_nothing(tmp_path):  # (the kinds: test_executors)
    address = "tcp://host:notaport"
    pytest.importorskip("dask.distributed")
    done = cli(
        "run",
        EXAMPLE,
        *FAST[:4],
        "--executor",
        "dask",
        "--address",
        address,
        "--out",
        tmp_path / "run",
    )
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"--address {address!r}: ")
    assert not (tmp_path / "run").exists()


def default_signals():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def test_ctrl_c_stops_a_dask_run_quietly(tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(EXAMPLE),
            "--replications",
            "100000",
            "--seed",
            "5",
            "--chunk-size",
            "10",
            "--workers",
            "1",
            "--executor",
            "dask",
            "--no-timeseries",
            "--quiet",
            "--out",
            str(out),
        ],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_signals,
    )
    deadline = time.monotonic() + 120
    while not list((out / "outcomes").glob("part-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "no chunk written"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole group (before: swallowed)
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130
    assert one_line(stderr).startswith("interrupted (Ctrl-C): finished chunks kept in")
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
