"""``sim.run`` and ``sim.resume``: a scenario's replications into a result set on disk."""

from __future__ import annotations

import errno
import math
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.errors import Interrupted, LeverageError, ReplicationsFailed
from sim.experiment import integrity
from sim.experiment.executors import (
    Executor,
    WorkerLost,
    check_address,
    check_executor,
    make_executor,
)
from sim.experiment.preflight import (
    check_disk,
    check_out,
    check_results_dir,
    check_writable_set,
    plan_workers,
)
from sim.experiment.preflight import chunk_size as default_chunk_size
from sim.experiment.provenance import simulator, versions
from sim.experiment.replication import Chunk
from sim.experiment.signals import as_stopped, deferred, stop_on_signals
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


def run(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    out: str | Path | None = None,
    overrides: dict[str, Any] | list[str] | None = None,
    executor: str = "processes",
    workers: int | None = None,
    address: str | None = None,
    chunk_size: int | None = None,
    timeseries: bool = True,
    results_dir: str | Path = "results",
    progress: Progress | None = None,
    command: list[str] | None = None,
) -> ResultSet:
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
        LeverageError: an output location that cannot be written, too little free disk
            space, a Dask scheduler that cannot be reached (nothing is written).
        Interrupted: Ctrl-C, SIGTERM, SIGHUP, a dead worker or a full disk; the set is
            marked interrupted and can be resumed.
        ReplicationsFailed: some replications raised; the set records them.

    """
    check_executor(executor)
    if address:
        check_address(address)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides=overrides)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    scenario = Scenario.model_validate({**scenario.to_data(), **updates}) if updates else scenario
    n = scenario.replications
    workers = plan_workers(workers, executor, address, n)
    size = chunk_size or default_chunk_size(n, workers)
    workers = plan_workers(workers, executor, address, math.ceil(n / size))
    target = Path(out) if out else Path(results_dir)
    if out:
        check_out(target)
    else:
        check_results_dir(target)
    check_disk(target, scenario, n, timeseries)
    with stop_on_signals():
        pool = _executor(executor, workers, address, math.ceil(n / size))  # (before writing)
        try:
            path = (
                claim_out_dir(Path(out)) if out else new_run_dir(Path(results_dir), scenario.name)
            )
        except BaseException as exc:
            _stop(pool)
            raise _cannot_write(target, exc) if isinstance(exc, OSError) else exc from None
        manifest = {
            "format": FORMAT,
            "scenario": scenario.name,
            "seed": scenario.seed,
            "replications": n,
            "chunk_size": size,
            "chunks_total": math.ceil(n / size),
            "chunks_done": 0,
            "timeseries": timeseries,
            "status": "running",
            "command": command if command is not None else sys.argv,
            **provenance(),
            "started": now(),
            "finished": None,
            "timings": [],
            **scenario_fields(scenario),
            "schemas": {},
            "files": None,
        }
        writer = ResultSetWriter(path, manifest)
        try:
            writer.write_scenario(dump_scenario(scenario))
            writer.write_manifest()
        except BaseException as exc:
            raise _stopped_early(writer, pool, exc) from None
        return _execute(writer, scenario, pool, executor, workers, progress)


def resume(
    path: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    say: Say | None = None,
) -> ResultSet:
    """Finish an interrupted or killed run; the outcomes equal an uninterrupted run's.

    Before anything runs, the set is checked (``check_resumable``): its scenario and
    simulator must be those it started with, and every finished chunk must match its
    record; a chunk that does not is run again, and ``say`` is told so (one line per chunk;
    by default a warning). A run stopped while consolidating is consolidated again.

    Raises:
        LeverageError: not a result set, already complete, damaged manifest, scenario
            changed since the run started, being written by another run, not writable, or
            too big for the free disk space.

    """
    check_executor(executor)
    if address:
        check_address(address)
    result = load(path)
    if result.complete:
        raise LeverageError(f"{path}: the run is already complete")
    if result.files:
        raise LeverageError(
            f"{path}: the run is finished (status {result.manifest['status']}); start a new run"
        )
    check_manifest(result.manifest, result.path / MANIFEST, resume=True)
    check_writable_set(Path(path))
    scenario = check_resumable(result)
    m = result.manifest
    left = max(0, m["chunks_total"] - int(m.get("chunks_done") or 0))
    check_disk(
        Path(path), scenario, min(m["replications"], left * m["chunk_size"]), m["timeseries"]
    )
    workers = plan_workers(workers, executor, address, left)
    with stop_on_signals():
        pool = _executor(executor, workers, address, left)
        try:
            writer = ResultSetWriter(Path(path), result.manifest)
        except BaseException as exc:
            _stop(pool)
            raise _cannot_write(Path(path), exc) if isinstance(exc, OSError) else exc from None
        try:
            good, messages = integrity.check_chunks(writer.path, writer.manifest)
            for message in messages:
                (say or _warn)(f"{writer.path}: {message}")
            writer.adopt(good)
        except BaseException:
            _stop(pool)
            writer.close()
            raise
        return _execute(writer, scenario, pool, executor, workers, progress)


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
        raise LeverageError(
            f"{file}: changed since the run started and no longer loads "
            f"({first}); restore it to resume"
        ) from None
    data = _resolved(scenario)
    if recorded is not None and integrity.scenario_hash(data) != recorded:
        changes = (
            integrity.scenario_changes(m.get("resolved_scenario") or {}, data)
            if isinstance(m.get("resolved_scenario"), dict)
            else []
        )
        what = "; ".join(changes[:3]) + (
            f"; and {len(changes) - 3} more" if len(changes) > 3 else ""
        )
        what = what or "its hash differs from the manifest's"
        raise LeverageError(
            f"{file}: changed since the run started ({what}); a resumed run "
            "must use the scenario it started with: restore it, or start a "
            "new run"
        )
    if (m.get("seed"), m.get("replications")) != (scenario.seed, scenario.replications):
        raise LeverageError(
            f"{file}: seed and replications differ from the manifest's; restore it to resume"
        )
    before = m.get("simulator")
    if isinstance(before, dict):
        now_running = simulator()
        if before.get("engine") != now_running["engine"]:  # (other numbers: never mixed)
            raise LeverageError(
                f"{result.path}: the run started with engine version {before.get('engine')}, "
                f"this simulator has engine version {now_running['engine']}; resume it with "
                "the simulator that started it, or start a new run"
            )
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


# --- running the chunks, and stopping cleanly on a signal, a dead worker or a full disk ---

RESERVE_FILE = ".reserve"
RESERVE_BYTES = 64 * 2**10  # freed on a full disk, so that the manifest can still be updated
_CANNOT_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}


def _executor(name: str, workers: int, address: str | None, chunks: int) -> Executor:
    """The executor; a single chunk of the processes executor runs in this process (the
    same numbers, without starting a pool: ``sim run`` of one replication returns sooner).
    """
    if name == "processes" and chunks <= 1:
        return make_executor("serial", 1)
    return make_executor(name, workers, address)


def _execute(
    writer: ResultSetWriter,
    scenario: Scenario,
    pool: Executor,
    executor_name: str,
    workers: int,
    progress: Progress | None,
) -> ResultSet:
    """Run the chunks not on disk yet (a bounded window at a time), then consolidate.

    A stop signal, a dead worker or a full disk marks the set interrupted (finished
    chunks kept) and raises ``Interrupted``; any other error marks it failed. Each session
    (this one, and every resumed one) is recorded in the manifest's ``timings``.
    """
    m = writer.manifest
    size, n, seed, total = m["chunk_size"], m["replications"], m["seed"], m["chunks_total"]
    done: set[int] = set()
    live: Executor | None = pool
    try:
        done = writer.chunks_on_disk()
        todo = (
            Chunk(i, i * size, min(n, (i + 1) * size)) for i in range(total) if i not in done
        )  # (made as they are handed out: memory stays bounded)
        finished = sum(min(n, (i + 1) * size) - i * size for i in done if i < total)
        _reserve(writer.path)
        writer.begin_session(executor_name, workers)
        writer.write_manifest(
            status="running", executor=executor_name, workers=workers, chunks_done=len(done)
        )
        if progress:
            progress(finished, n)
        for result in pool.map(scenario, seed, todo, m["timeseries"]):
            writer.write_chunk(result)
            done.add(result.chunk.number)
            finished += result.chunk.stop - result.chunk.start
            writer.write_manifest(chunks_done=len(done))
            if progress:
                progress(finished, n)
        _stop(live)  # (the workers are done before the consolidation starts)
        live = None
        files = writer.consolidate()
    except KeyboardInterrupt as exc:
        stopped = as_stopped(exc)
        raise _interrupt(writer, live, len(done), stopped.reason, stopped.exit_code) from None
    except WorkerLost as exc:
        raise _interrupt(writer, live, len(done), str(exc), 1) from None
    except OSError as exc:
        if not _is_write_error(exc):
            _fail(writer, live, len(done))
            raise
        raise _interrupt(writer, live, len(done), _write_error(exc), 1, _advice(exc)) from None
    except BaseException:
        _fail(writer, live, len(done))
        raise
    with deferred():  # (the files are all written: a signal now would only leave it unsaid)
        _release(writer.path)
        failures = failed_replications(writer.path)
        status = "failed" if failures else "complete"
        writer.end_session(status)
        try:
            writer.finish(
                files,
                status=status,
                finished=now(),
                failed_replications=[f["replication"] for f in failures],
            )
        except OSError as exc:
            writer.close()
            if not _is_write_error(exc):
                raise
            raise Interrupted(writer.path, _write_error(exc), 1, _advice(exc)) from None
        writer.close()
    if failures:
        raise ReplicationsFailed(writer.path, len(failures))
    return load(writer.path)


def _reserve(path: Path) -> None:
    """Set aside a little disk space, given back when the disk fills (see ``_interrupt``)."""
    with open(path / RESERVE_FILE, "wb") as fh:
        fh.write(bytes(RESERVE_BYTES))
        fh.flush()
        os.fsync(fh.fileno())


def _release(path: Path) -> None:
    """Give back the reserved space, and remove what a stopped write left half-written."""
    (path / RESERVE_FILE).unlink(missing_ok=True)
    for tmp in [*path.glob(".*.tmp"), *path.glob("*/.*.tmp")]:
        tmp.unlink(missing_ok=True)


def _interrupt(
    writer: ResultSetWriter,
    pool: Executor | None,
    chunks_done: int,
    reason: str,
    exit_code: int,
    advice: str = "",
) -> Interrupted:
    """Stop the workers, mark the set interrupted (further signals ignored meanwhile)."""
    _mark(writer, pool, chunks_done, "interrupted")
    return Interrupted(writer.path, reason, exit_code, advice)


def _fail(writer: ResultSetWriter, pool: Executor | None, chunks_done: int) -> None:
    _mark(writer, pool, chunks_done, "failed")


def _mark(writer: ResultSetWriter, pool: Executor | None, chunks_done: int, status: str) -> None:
    """Stop the workers and record ``status``; a full disk even now leaves the set
    'running', and resumable.
    """
    with deferred():
        _stop(pool)
        _release(writer.path)
        writer.end_session(status)
        try:
            writer.write_manifest(status=status, chunks_done=chunks_done)
        except OSError:
            pass
        writer.close()


def _stopped_early(writer: ResultSetWriter, pool: Executor, exc: BaseException) -> BaseException:
    """A stop or a write error while the set's first files were written."""
    if isinstance(exc, KeyboardInterrupt):
        stopped = as_stopped(exc)
        return _interrupt(writer, pool, 0, stopped.reason, stopped.exit_code)
    if isinstance(exc, OSError) and _is_write_error(exc):
        return _interrupt(writer, pool, 0, _write_error(exc), 1, _advice(exc))
    _fail(writer, pool, 0)
    return exc


def _disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)


def _advice(exc: OSError) -> str:
    return "free some disk space" if _disk_full(exc) else "make it writable"


def _is_write_error(exc: OSError) -> bool:
    return _disk_full(exc) or exc.errno in _CANNOT_WRITE


def _write_error(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    if _disk_full(exc):
        what = "disk full (No space left on device)"
    return f"cannot write {exc.filename}: {what}" if exc.filename else what


def _cannot_write(where: Path, exc: OSError) -> LeverageError:
    return LeverageError(f"{exc.filename or where}: cannot write: {exc.strerror or exc}")


def _stop(executor: Executor | None) -> None:
    if executor is not None:
        executor.close()


__all__ = ["MANIFEST", "Interrupted", "ReplicationsFailed", "resume", "run"]
