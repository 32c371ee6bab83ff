"""Stopping a run (Ctrl-C, SIGTERM, SIGHUP, kill -9, a killed worker) and resuming it gives
the uninterrupted outcomes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"
ARGS = [
    "--replications",
    "240",
    "--seed",
    "5",
    "--chunk-size",
    "4",
    "--workers",
    "2",
    "--no-timeseries",
    "--quiet",
]


def sim_cmd(*args):
    return [sys.executable, "-m", "sim", *args]


def wait_for_chunks(path: Path, proc: subprocess.Popen, at_least: int = 2) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        folder = path / "outcomes"
        if folder.is_dir() and len(list(folder.glob("part-*.arrow"))) >= at_least:
            return
        if proc.poll() is not None:
            pytest.fail(f"run ended before it could be interrupted: {proc.returncode}")
        time.sleep(0.05)
    pytest.fail("no chunk written")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    subprocess.run(sim_cmd("run", str(EXAMPLE), *ARGS, "--out", str(out)), check=True)
    return sim.load(out).outcomes


def default_signals():
    """In the child: the stop signals as a user's shell leaves them (not ignored)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def start(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        sim_cmd("run", str(EXAMPLE), *ARGS, "--out", str(out)),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_signals,
    )


def resume_equals(out: Path, reference: pd.DataFrame) -> None:
    done = subprocess.run(
        sim_cmd("run", "--resume", str(out), "--quiet"), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result = sim.load(out)
    assert result.manifest["status"] == "complete"
    pd.testing.assert_frame_equal(result.outcomes, reference)


@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGKILL, None)],
)
def test_stop_then_resume_equals_an_uninterrupted_run(tmp_path, reference, sig, code):
    out = tmp_path / "run"
    proc = start(out)
    wait_for_chunks(out, proc)
    os.killpg(proc.pid, sig)  # as Ctrl-C, `timeout` or a closed terminal do: the whole group
    stderr = proc.communicate(timeout=60)[1]
    manifest = json.loads((out / "manifest.json").read_text())
    if code is not None:
        assert proc.returncode == code
        assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
        assert stderr.strip().endswith(f"finish with: sim run --resume {out}")
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert manifest["status"] == "interrupted"
        assert not (out / ".lock").exists()
    else:
        assert manifest["status"] == "running"
    assert 0 < manifest["chunks_done"] < manifest["chunks_total"]
    resume_equals(out, reference)


def children(pid: int) -> list[int]:
    """The worker processes of ``pid``: its children running the same command."""
    found = []
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and (stat.parent / "cmdline").read_bytes() == command:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_killed_worker_stops_the_run_which_resumes_to_the_same_numbers(tmp_path, reference):
    out = tmp_path / "run"
    proc = start(out)
    wait_for_chunks(out, proc)
    workers = children(proc.pid)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    stderr = proc.communicate(timeout=60)[1]  # (before: a hang for ever)
    assert proc.returncode == 1
    assert stderr.startswith("a worker process died") and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]  # all stopped
    resume_equals(out, reference)
