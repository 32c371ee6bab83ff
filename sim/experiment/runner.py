"""``sim.run`` and ``sim.resume``: a scenario's replications into a result set on disk."""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.errors import Interrupted, LeverageError, ReplicationsFailed
from sim.experiment import integrity
from sim.experiment.executors import check_executor, make_executor
from sim.experiment.provenance import simulator, versions
from sim.experiment.replication import Chunk
from sim.experiment.store import (
    ResultSetWriter,
    claim_out_dir,
    failed_replications,
    new_run_dir,
    now,
)
from sim.results import MANIFEST, SCENARIO_FILE, ResultSet, check_manifest, load
from sim.scenario import load_scenario
from sim.scenario.dump import dump_scenario
from sim.scenario.schema import Scenario

Progress = Callable[[int, int], None]
Say = Callable[[str], None]
FORMAT = 2


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
        "format": FORMAT, "scenario": scenario.name, "seed": scenario.seed, "replications": n,
        "chunk_size": size, "chunks_total": math.ceil(n / size), "chunks_done": 0,
        "timeseries": timeseries, "status": "running",
        "command": command if command is not None else sys.argv, **provenance(),
        "started": now(), "finished": None, "timings": [], **scenario_fields(scenario),
        "schemas": {}, "files": None,
    }
    writer = ResultSetWriter(path, manifest)
    writer.write_scenario(dump_scenario(scenario))
    writer.write_manifest()
    return _execute(writer, scenario, executor, workers, address, progress)


def resume(path: str | Path, *, executor: str = "processes", workers: int | None = None,
           address: str | None = None, progress: Progress | None = None,
           say: Say | None = None) -> ResultSet:
    """Finish an interrupted or killed run; the outcomes equal an uninterrupted run's.

    Before anything runs, the set is checked (``check_resumable``): its scenario and
    simulator must be those it started with, and every finished chunk must match its
    record; a chunk that does not is run again, and ``say`` is told so (one line per chunk;
    by default a warning). A run stopped while consolidating is consolidated again.

    Raises:
        LeverageError: not a result set, already complete, damaged manifest, scenario
            changed since the run started, or being written by another run.

    """
    check_executor(executor)
    result = load(path)
    if result.complete:
        raise LeverageError(f"{path}: the run is already complete")
    if result.files:
        raise LeverageError(f"{path}: the run is finished (status {result.manifest['status']}); "
                            "start a new run")
    check_manifest(result.manifest, result.path / MANIFEST, resume=True)
    scenario = check_resumable(result)
    writer = ResultSetWriter(Path(path), result.manifest)
    try:
        good, messages = integrity.check_chunks(writer.path, writer.manifest)
        for message in messages:
            (say or _warn)(f"{writer.path}: {message}")
        writer.adopt(good)
    except BaseException:
        writer.close()
        raise
    return _execute(writer, scenario, executor, workers or os.cpu_count() or 1, address,
                    progress)


def _resolved(scenario: Scenario) -> dict[str, Any]:
    """The scenario's data as its ``scenario.yaml`` holds it (``extends`` resolved)."""
    data = scenario.to_data()
    data.pop("extends", None)
    return data


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


def check_resumable(result: ResultSet) -> Scenario:
    """The scenario of an unfinished set, once it is the one the run started with.

    Raises:
        LeverageError: the set's scenario file was changed (saying what changed) or no
            longer loads, or another version of the simulator wrote the set.

    """
    file = result.path / SCENARIO_FILE
    m = result.manifest
    recorded = m.get("scenario_sha256")
    try:
        scenario = load_scenario(file)
    except LeverageError as exc:
        if recorded is None:
            raise
        first = exc.lines()[0] if exc.lines() else str(exc)
        raise LeverageError(f"{file}: changed since the run started and no longer loads "
                            f"({first}); restore it to resume") from None
    data = _resolved(scenario)
    if recorded is not None and integrity.scenario_hash(data) != recorded:
        changes = integrity.scenario_changes(m.get("resolved_scenario") or {}, data) \
            if isinstance(m.get("resolved_scenario"), dict) else []
        what = "; ".join(changes[:3]) + (f"; and {len(changes) - 3} more"
                                         if len(changes) > 3 else "")
        what = what or "its hash differs from the manifest's"
        raise LeverageError(f"{file}: changed since the run started ({what}); a resumed run "
                            "must use the scenario it started with: restore it, or start a "
                            "new run")
    if (m.get("seed"), m.get("replications")) != (scenario.seed, scenario.replications):
        raise LeverageError(f"{file}: seed and replications differ from the manifest's; "
                            "restore it to resume")
    before = m.get("simulator")
    if isinstance(before, dict):
        now_running = simulator()
        if before.get("engine") != now_running["engine"]:  # (other numbers: never mixed)
            raise LeverageError(
                f"{result.path}: the run started with engine version {before.get('engine')}, "
                f"this simulator has engine version {now_running['engine']}; resume it with "
                "the simulator that started it, or start a new run")
    return scenario


def provenance() -> dict[str, Any]:
    """The manifest's provenance fields: library versions and the simulator's version and
    commit (``git_commit`` is the simulator's, null when not run from a checkout).
    """
    about = simulator()
    return {"versions": versions(), "simulator": about, "git_commit": about["git_commit"]}


def scenario_fields(scenario: Scenario) -> dict[str, Any]:
    """The manifest's record of the resolved scenario: its hash and its data (to say what
    changed, should the set's scenario file be edited before a resume).
    """
    data = _resolved(scenario)
    return {"scenario_sha256": integrity.scenario_hash(data), "resolved_scenario": data}


def _execute(writer: ResultSetWriter, scenario: Scenario, executor_name: str, workers: int,
             address: str | None, progress: Progress | None) -> ResultSet:
    m = writer.manifest
    size, n, seed = m["chunk_size"], m["replications"], m["seed"]
    chunks = [Chunk(i, i * size, min(n, (i + 1) * size)) for i in range(m["chunks_total"])]
    done = writer.chunks_on_disk()
    todo = [c for c in chunks if c.number not in done]
    finished = sum(c.stop - c.start for c in chunks if c.number in done)
    writer.begin_session(executor_name, workers)
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
        _stop(executor)
        executor = None
        files = writer.consolidate()
    except KeyboardInterrupt:
        _stop(executor)
        writer.end_session("interrupted")
        writer.write_manifest(status="interrupted", chunks_done=len(done))
        writer.close()
        raise Interrupted(writer.path) from None
    except BaseException:
        _stop(executor)
        writer.end_session("failed")
        writer.write_manifest(status="failed", chunks_done=len(done))
        writer.close()
        raise
    failures = failed_replications(writer.path)
    status = "failed" if failures else "complete"
    writer.end_session(status)
    writer.finish(files, status=status, finished=now(),
                  failed_replications=[f["replication"] for f in failures])
    writer.close()
    if failures:
        raise ReplicationsFailed(writer.path, len(failures))
    return load(writer.path)


def _stop(executor: Any) -> None:
    if executor is not None:
        executor.close()


__all__ = ["MANIFEST", "Interrupted", "ReplicationsFailed", "resume", "run"]
