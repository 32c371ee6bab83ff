"""Stopping a run (Ctrl-C, kill -9) and resuming it gives the uninterrupted outcomes."""

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
ARGS = ["--replications", "240", "--seed", "5", "--chunk-size", "4", "--workers", "2",
        "--no-timeseries", "--quiet"]


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


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_stop_then_resume_equals_an_uninterrupted_run(tmp_path, reference, sig):
    out = tmp_path / "run"
    proc = subprocess.Popen(sim_cmd("run", str(EXAMPLE), *ARGS, "--out", str(out)),
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for_chunks(out, proc)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    else:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    manifest = json.loads((out / "manifest.json").read_text())
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "Traceback" not in proc.stderr.read()
        assert manifest["status"] == "interrupted"
    else:
        assert manifest["status"] == "running"
    assert 0 < manifest["chunks_done"] < manifest["chunks_total"]
    done = subprocess.run(sim_cmd("run", "--resume", str(out), "--quiet"), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    result = sim.load(out)
    assert result.manifest["status"] == "complete"
    pd.testing.assert_frame_equal(result.outcomes, reference)
