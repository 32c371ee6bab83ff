"""Executors: where chunks of replications run (serial, local processes, Dask)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from typing import Protocol

from sim.errors import LeverageError
from sim.experiment.replication import Chunk, ChunkResult, run_chunk
from sim.scenario.schema import Scenario

EXECUTORS = ("serial", "processes", "dask")


class Executor(Protocol):
    """Runs chunks and yields their results as they finish (in any order)."""

    def map(self, scenario: Scenario, seed: int, chunks: list[Chunk], timeseries: bool
            ) -> Iterator[ChunkResult]:
        """Run every chunk; yield each result when it is done."""
        ...

    def close(self) -> None:
        """Stop the workers (also on interruption)."""
        ...


class SerialExecutor:
    """Runs chunks one after another in this process."""

    def map(self, scenario: Scenario, seed: int, chunks: list[Chunk], timeseries: bool
            ) -> Iterator[ChunkResult]:
        """Run the chunks in order."""
        for chunk in chunks:
            yield run_chunk(scenario, seed, chunk, timeseries)

    def close(self) -> None:
        """Nothing to stop."""


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk_args(args: tuple) -> ChunkResult:
    return run_chunk(*args)


class ProcessExecutor:
    """Runs chunks in a pool of local worker processes (they ignore Ctrl-C; we stop them)."""

    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.pool = context.Pool(workers, initializer=_ignore_sigint)

    def map(self, scenario: Scenario, seed: int, chunks: list[Chunk], timeseries: bool
            ) -> Iterator[ChunkResult]:
        """Hand out chunks to the workers; yield results as they finish."""
        args = [(scenario, seed, chunk, timeseries) for chunk in chunks]
        yield from self.pool.imap_unordered(_run_chunk_args, args)

    def close(self) -> None:
        """Terminate the workers."""
        self.pool.terminate()
        self.pool.join()


class DaskExecutor:
    """Runs chunks on a Dask cluster: a local one, or an existing one at ``address``."""

    def __init__(self, workers: int, address: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise LeverageError("the dask executor needs the 'dask' extra: "
                                "pip install 'leverage-sim[dask]'") from None
        self.cluster = None
        try:
            if address:
                self.client = Client(address, timeout="10s")
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
        except OSError as exc:
            raise LeverageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    def map(self, scenario: Scenario, seed: int, chunks: list[Chunk], timeseries: bool
            ) -> Iterator[ChunkResult]:
        """Submit every chunk; yield results as they finish."""
        from dask.distributed import as_completed

        scattered = self.client.scatter(scenario, broadcast=True)
        futures = [self.client.submit(run_chunk, scattered, seed, chunk, timeseries,
                                      key=f"chunk-{seed}-{chunk.number}-{os.getpid()}",
                                      pure=False)
                   for chunk in chunks]
        self._futures = futures
        for future in as_completed(futures):
            yield future.result()

    def close(self) -> None:
        """Cancel outstanding work and close the client (and the local cluster)."""
        futures = getattr(self, "_futures", [])
        if futures:
            self.client.cancel(futures)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_executor(name: str) -> None:
    """Fail early, before anything is written, for an unknown or unavailable executor."""
    if name not in EXECUTORS:
        raise LeverageError(f"unknown executor {name!r}; expected one of {', '.join(EXECUTORS)}")
    if name == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise LeverageError("the dask executor needs the 'dask' extra: "
                                "pip install 'leverage-sim[dask]'") from None


def make_executor(name: str, workers: int, address: str | None = None) -> Executor:
    """The executor called ``name`` with ``workers`` workers."""
    if name == "serial":
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers)
    if name == "dask":
        return DaskExecutor(workers, address)
    raise LeverageError(f"unknown executor {name!r}; expected one of {', '.join(EXECUTORS)}")
