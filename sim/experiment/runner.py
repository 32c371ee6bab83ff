"""``sim.run`` and ``sim.resume``: a scenario's replications into a result set on disk."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.errors import Interrupted, LeverageError, ReplicationsFailed
from sim.experiment.executors import check_executor, make_executor
from sim.experiment.replication import Chunk
from sim.experiment.store import (
    ResultSetWriter,
    claim_out_dir,
    failed_replications,
    new_run_dir,
    now,
)
from sim.results import MANIFEST, SCENARIO_FILE, ResultSet, load
from sim.scenario import load_scenario
from sim.scenario.dump import dump_scenario
from sim.scenario.schema import Scenario

Progress = Callable[[int, int], None]


def run(scenario: Scenario | str | Path, *, replications: int | None = None,
        seed: int | None = None, out: str | Path | None = None,
        overrides: dict[str, Any] | list[str] | None = None, executor: str = "processes",
        workers: int | None = None, address: str | None = None, chunk_size: int | None = None,
        timeseries: bool = True, results_dir: str | Path = "results",
        progress: Progress | None = None, command: list[str] | None = None) -> ResultSet:
    """Run a scenario's replications and write a result set.

    Args:
        scenario: a scenario file or a loaded ``Scenario``.
        replications: how many (default: the scenario's ``replications``).
        seed: the run seed (default: the scenario's ``seed``).
        out: write exactly here (must not exist); default ``results/<name>/<run-id>/``.
        overrides: ``--set`` style overrides, applied when loading a file.
        executor: ``serial``, ``processes`` or ``dask``.
        workers: worker count (default: one per core).
        address: a Dask scheduler (``tcp://host:8786``); default a local cluster.
        chunk_size: replications per chunk (default: a few chunks per worker).
        timeseries: also keep the time series and leverage tables.
        results_dir: the folder of result sets when ``out`` is not given.
        progress: called with (replications done, total) as chunks finish.
        command: the command line to record in the manifest.

    Returns:
        The complete result set.

    Raises:
        ScenarioError: invalid scenario (nothing is written).
        Interrupted: Ctrl-C; the set is marked interrupted and can be resumed.
        ReplicationsFailed: some replications raised; the set records them.

    """
    check_executor(executor)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides=overrides)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    scenario = Scenario.model_validate({**scenario.to_data(), **updates}) if updates else scenario
    workers = workers or os.cpu_count() or 1
    n = scenario.replications
    size = chunk_size or max(1, min(1000, math.ceil(n / (workers * 16))))
    path = claim_out_dir(Path(out)) if out else new_run_dir(Path(results_dir), scenario.name)
    manifest = {
        "format": 1, "scenario": scenario.name, "seed": scenario.seed, "replications": n,
        "chunk_size": size, "chunks_total": math.ceil(n / size), "chunks_done": 0,
        "timeseries": timeseries, "status": "running",
        "command": command if command is not None else sys.argv, "versions": versions(),
        "git_commit": git_commit(), "started": now(), "finished": None,
    }
    writer = ResultSetWriter(path, manifest)
    writer.write_scenario(dump_scenario(scenario))
    writer.write_manifest()
    return _execute(writer, scenario, executor, workers, address, progress)


def resume(path: str | Path, *, executor: str = "processes", workers: int | None = None,
           address: str | None = None, progress: Progress | None = None) -> ResultSet:
    """Finish an interrupted or killed run; the outcomes equal an uninterrupted run's.

    Raises:
        LeverageError: not a result set, already complete, or being written by another run.

    """
    check_executor(executor)
    result = load(path)
    if result.complete:
        raise LeverageError(f"{path}: the run is already complete")
    scenario = load_scenario(Path(path) / SCENARIO_FILE)
    writer = ResultSetWriter(Path(path), result.manifest)
    return _execute(writer, scenario, executor, workers or os.cpu_count() or 1, address,
                    progress)


def _execute(writer: ResultSetWriter, scenario: Scenario, executor_name: str, workers: int,
             address: str | None, progress: Progress | None) -> ResultSet:
    m = writer.manifest
    size, n, seed = m["chunk_size"], m["replications"], m["seed"]
    chunks = [Chunk(i, i * size, min(n, (i + 1) * size)) for i in range(m["chunks_total"])]
    done = writer.chunks_on_disk()
    todo = [c for c in chunks if c.number not in done]
    finished = sum(c.stop - c.start for c in chunks if c.number in done)
    started = time.perf_counter()
    writer.write_manifest(status="running", executor=executor_name, workers=workers,
                          chunks_done=len(done))
    if progress:
        progress(finished, n)
    executor = None
    try:
        executor = make_executor(executor_name, workers, address) if todo else None
        if executor is not None:
            for result in executor.map(scenario, seed, todo, m["timeseries"]):
                writer.write_chunk(result)
                done.add(result.chunk.number)
                finished += result.chunk.stop - result.chunk.start
                writer.write_manifest(chunks_done=len(done))
                if progress:
                    progress(finished, n)
        writer.consolidate()
    except KeyboardInterrupt:
        _stop(executor)
        writer.write_manifest(status="interrupted", chunks_done=len(done))
        writer.close()
        raise Interrupted(writer.path) from None
    except BaseException:
        _stop(executor)
        writer.write_manifest(status="failed", chunks_done=len(done))
        writer.close()
        raise
    _stop(executor)
    elapsed = time.perf_counter() - started
    failures = failed_replications(writer.path)
    timings = dict(m.get("timings") or {})
    timings[f"session_{len(timings) + 1}_seconds"] = round(elapsed, 3)
    writer.write_manifest(status="failed" if failures else "complete", finished=now(),
                          failed_replications=[f["replication"] for f in failures],
                          timings=timings)
    writer.close()
    if failures:
        raise ReplicationsFailed(writer.path, len(failures))
    return load(writer.path)


def _stop(executor: Any) -> None:
    if executor is not None:
        executor.close()


def versions() -> dict[str, str]:
    """Versions of Python, this package and its key dependencies."""
    out = {"python": platform.python_version()}
    for dist in ("leverage-sim", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "scipy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


def git_commit() -> str | None:
    """The git commit of the working directory's repository, when there is one."""
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


__all__ = ["MANIFEST", "Interrupted", "ReplicationsFailed", "resume", "run"]
