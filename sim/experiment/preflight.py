"""Checks made before a run starts: where it writes, how much disk it needs, how many workers.

Everything here runs before the result set's folder is created, so that a run that cannot
succeed says why in one line and leaves nothing behind.

The disk estimate (``bytes_per_replication``) counts the values a replication writes, at
8 bytes each, from the scenario's size: the outcomes row (one value per outcome column and
per number in the scenario, an upper bound on its uncertain parameters), and with time
series one row per step (``horizon + 1``) in the time series, one per step and actor in the
actors table and at most two leverage matrices (``actors^2`` entries of 5 values). While
a run finishes, its chunk files (compressed Arrow) and the consolidated Parquet files
exist side by side, so the run needs up to about twice that; the estimate counts 2x plus
a margin, which is conservative (compression usually saves a good part) but of the right
order (a run that fits comfortably is never refused).
"""

from __future__ import annotations

import math
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.errors import LeverageError, LeverageWarning
from sim.scenario.schema import Scenario

VALUE_BYTES = 8
MIN_CHUNK = 20  # replications; smaller chunks cost more in overhead than they gain
MAX_CHUNK = 1000
CHUNKS_PER_WORKER = 16
MARGIN_BYTES = 2**20  # the manifest, the scenario, file overheads


def _numbers(data: Any) -> Iterator[float]:
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _numbers(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _numbers(value)


def bytes_per_replication(scenario: Scenario, timeseries: bool) -> int:
    """An upper estimate of the bytes one replication adds to a result set (see the module).

    Args:
        scenario: the resolved scenario.
        timeseries: whether the time series, actors and leverage tables are kept.

    """
    actors, issues = len(scenario.actors), len(scenario.issues)
    sides = max(2, len(scenario.sides), len({a.side for a in scenario.actors.values()}))
    params = sum(1 for _ in _numbers(scenario.to_data()))
    outcomes = (
        8 + 3 * issues + sides + 2 * len(scenario.triggers) + 3 * actors + actors * issues + params
    )
    values = outcomes
    if timeseries:
        steps = scenario.horizon + 1
        values += steps * (4 + sides + issues)  # timeseries
        values += steps * actors * (6 + issues)  # actors (the actor's name counted as one)
        values += 2 * actors * actors * 5  # leverage at the first and last step
    return values * VALUE_BYTES


def disk_needed(scenario: Scenario, replications: int, timeseries: bool) -> int:
    """The bytes a run of ``replications`` may need on disk at its peak (see the module)."""
    return 2 * replications * bytes_per_replication(scenario, timeseries) + MARGIN_BYTES


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError  # pragma: no cover


def existing_ancestor(path: Path) -> Path:
    """``path`` itself or its nearest ancestor that exists."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(where: Path, scenario: Scenario, replications: int, timeseries: bool) -> None:
    """Refuse a run whose result set would not fit on the disk holding ``where``.

    Raises:
        LeverageError: the estimate exceeds the free space.

    """
    if replications <= 0:
        return
    place = existing_ancestor(where)
    try:
        free = shutil.disk_usage(place).free
    except OSError:
        return  # cannot tell; the run itself will say if the disk fills
    needed = disk_needed(scenario, replications, timeseries)
    if needed > free:
        per = _size(bytes_per_replication(scenario, timeseries))
        hint = (
            "fewer replications, --no-timeseries, or another --results-dir/--out"
            if timeseries
            else "fewer replications, or another --results-dir/--out"
        )
        raise LeverageError(
            f"{where}: not enough disk space: {replications} replications need about "
            f"{_size(needed)} (up to {per} each, twice while the files are consolidated) "
            f"but {_size(free)} is free on {place}; use {hint}"
        )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def check_new_folder(path: Path, option: str) -> None:
    """Check that a folder ``path`` can be created (it may exist when it is a parent).

    Raises:
        LeverageError: a file is in the way, or the place is not writable.

    """
    place = existing_ancestor(path)
    if not place.is_dir():
        raise LeverageError(f"{option} {path}: {place} is a file, not a folder")
    if not _writable(place):
        raise LeverageError(
            f"{option} {path}: cannot write in {place} (permission denied "
            "or a read-only file system)"
        )


def check_out(out: Path) -> None:
    """Check an ``--out`` folder: new, and creatable.

    Raises:
        LeverageError: it exists, a file is in the way, or its parent is not writable.

    """
    if out.exists():
        raise LeverageError(
            f"{out}: already exists; --out needs a new folder "
            "(use --resume to finish an interrupted run)"
        )
    check_new_folder(out, "--out")


def check_results_dir(results_dir: Path) -> None:
    """Check the ``--results-dir`` folder: a folder (or creatable) and writable.

    Raises:
        LeverageError: it is a file, or cannot be written.

    """
    if results_dir.exists() and not results_dir.is_dir():
        raise LeverageError(f"--results-dir {results_dir}: is a file, not a folder")
    check_new_folder(results_dir, "--results-dir")


def check_writable_set(path: Path) -> None:
    """Check that a result set can be written (to resume it).

    Raises:
        LeverageError: the folder, or a folder or file in it, cannot be written.

    """
    path = Path(path)
    for item in [path, *sorted(path.iterdir())]:
        if item.name.startswith(".") and item != path:
            continue
        if not os.access(item, os.W_OK | (os.X_OK if item.is_dir() else 0)):
            raise LeverageError(
                f"{item}: cannot write to this result set (permission denied "
                "or a read-only file system); cannot resume it"
            )


def plan_workers(requested: int | None, executor: str, address: str | None, chunks: int) -> int:
    """The workers worth starting: at most one per core on this machine (warning when more
    were asked for), at most one per chunk, at least one.

    Args:
        requested: ``--workers`` (None: one per core).
        executor: the executor's name.
        address: a Dask scheduler's address (its workers are not on this machine).
        chunks: how many chunks are left to run.

    """
    cores = os.cpu_count() or 1
    workers = requested or cores
    if executor == "serial":
        return 1
    if executor == "dask" and address:
        return max(1, min(workers, chunks))
    if workers > cores:
        warnings.warn(
            f"--workers {workers} is more than the {cores} cores of this machine; using {cores}",
            LeverageWarning,
            stacklevel=2,
        )
        workers = cores
    return max(1, min(workers, max(chunks, 1)))


def chunk_size(replications: int, workers: int) -> int:
    """The default chunk size: about ``CHUNKS_PER_WORKER`` chunks per worker, within
    ``MIN_CHUNK`` .. ``MAX_CHUNK`` replications (never more than the run).
    """
    size = math.ceil(replications / (max(workers, 1) * CHUNKS_PER_WORKER))
    return max(1, min(replications, max(MIN_CHUNK, min(MAX_CHUNK, size))))
