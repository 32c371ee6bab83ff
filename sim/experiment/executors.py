"""Executors: where chunks of replications run (serial, local processes, Dask).

The parallel executors keep a bounded window of chunks in flight (``WINDOW_PER_WORKER``
per worker) and hand out the next chunk as one finishes, so that the memory of the
process writing the result set does not grow with the number of chunks. A worker that
dies (killed, out of memory) stops the run with ``WorkerLost`` instead of a hang.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import socket
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Protocol

from sim.errors import LeverageError
from sim.experiment.replication import Chunk, ChunkResult, run_chunk
from sim.experiment.signals import ignore_in_worker, ignored_by_children
from sim.scenario.schema import Scenario

EXECUTORS = ("serial", "processes", "dask")
WINDOW_PER_WORKER = 3
ADDRESS_SCHEMES = ("tcp", "tls")
CONNECT_TIMEOUT = 10  # seconds, to reach a Dask scheduler
_ADDRESS = re.compile(
    r"^(?P<scheme>[a-z]+)://(?P<host>\[[0-9a-fA-F:.]+\]|[^/:\[\]]+)"
    r":(?P<port>[^/]*)/?$"
)


class WorkerLost(Exception):
    """A worker process died (killed, out of memory) or ran out of memory in a chunk."""


class Executor(Protocol):
    """Runs chunks and yields their results as they finish (in any order)."""

    def map(
        self, scenario: Scenario, seed: int, chunks: Iterable[Chunk], timeseries: bool
    ) -> Iterator[ChunkResult]:
        """Run every chunk; yield each result when it is done."""
        ...

    def close(self) -> None:
        """Stop the workers (also on interruption)."""
        ...


class SerialExecutor:
    """Runs chunks one after another in this process."""

    def map(
        self, scenario: Scenario, seed: int, chunks: Iterable[Chunk], timeseries: bool
    ) -> Iterator[ChunkResult]:
        """Run the chunks in order."""
        for chunk in chunks:
            try:
                yield run_chunk(scenario, seed, chunk, timeseries)
            except MemoryError:
                raise WorkerLost(
                    f"out of memory in replications {chunk.start}-{chunk.stop - 1}"
                ) from None

    def close(self) -> None:
        """Nothing to stop."""


def _work(scenario: Scenario, seed: int, chunk: Chunk, timeseries: bool) -> ChunkResult:
    """One chunk, in a worker process."""
    return run_chunk(scenario, seed, chunk, timeseries)


def _started() -> int:
    return os.getpid()


class ProcessExecutor:
    """Runs chunks in a pool of local worker processes (``concurrent.futures``).

    The workers ignore stop signals (the parent stops them) and are started at once, before
    a progress bar's thread exists (they are forked where the platform allows).
    """

    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=context, initializer=ignore_in_worker)
        self._pending: set[Future] = set()
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking a process with threads; the only threads
            # here are native pools (BLAS, Arrow) that reset themselves after a fork.
            warnings.filterwarnings(
                "ignore", "This process .* is multi-threaded", DeprecationWarning
            )
            self.pool.submit(_started).result()

    def map(
        self, scenario: Scenario, seed: int, chunks: Iterable[Chunk], timeseries: bool
    ) -> Iterator[ChunkResult]:
        """Hand out chunks to the workers (a bounded window); yield results as they finish.

        Raises:
            WorkerLost: a worker died, or a chunk ran out of memory.

        """
        todo = iter(chunks)
        window = max(1, WINDOW_PER_WORKER * self.workers)
        pending = self._pending
        try:
            for chunk in islice(todo, window):
                pending.add(self.pool.submit(_work, scenario, seed, chunk, timeseries))
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.discard(future)
                    result = future.result()
                    for chunk in islice(todo, 1):
                        pending.add(self.pool.submit(_work, scenario, seed, chunk, timeseries))
                    yield result
        except BrokenProcessPool:
            raise WorkerLost("a worker process died (killed, or out of memory)") from None
        except MemoryError:
            raise WorkerLost("a worker ran out of memory") from None

    def close(self) -> None:
        """Kill the workers (they ignore stop signals); what did not run is dropped.

        (Futures are not cancelled first: Python 3.11's pool then fails to mark them broken.)
        """
        kill = getattr(self.pool, "kill_workers", None)  # Python 3.14
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        if kill is not None:
            kill()
        else:
            for process in processes:
                if process.is_alive():
                    process.kill()
        for process in processes:
            process.join()
        self.pool.shutdown(wait=True)
        self._pending.clear()


class DaskExecutor:
    """Runs chunks on a Dask cluster: a local one, or an existing one at ``address``."""

    def __init__(self, workers: int, address: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise LeverageError(
                "the dask executor needs the 'dask' extra: pip install 'leverage-sim[dask]'"
            ) from None
        self.cluster = None
        self._futures: set = set()
        try:
            if address:
                check_address(address)
                self.client = Client(address, timeout=f"{CONNECT_TIMEOUT}s")
            else:
                with ignored_by_children():  # (this process stops them)
                    self.cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self.client = Client(self.cluster)
        except OSError as exc:
            raise LeverageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = workers

    def _slots(self) -> int:
        """How many chunks the cluster runs at once (its threads; at least one)."""
        try:
            info = self.client.scheduler_info()
            threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        except Exception:  # noqa: BLE001 - only a window size
            threads = 0
        return max(1, threads or self.workers)

    def map(
        self, scenario: Scenario, seed: int, chunks: Iterable[Chunk], timeseries: bool
    ) -> Iterator[ChunkResult]:
        """Submit a bounded window of chunks, the next as one finishes; yield the results."""
        from dask.distributed import as_completed

        scattered = self.client.scatter(scenario, broadcast=True)
        todo = iter(chunks)

        def submit(chunk: Chunk) -> object:
            future = self.client.submit(
                run_chunk,
                scattered,
                seed,
                chunk,
                timeseries,
                key=f"chunk-{seed}-{chunk.number}-{os.getpid()}",
                pure=False,
            )
            self._futures.add(future)
            return future

        running = as_completed([submit(c) for c in islice(todo, WINDOW_PER_WORKER * self._slots())])
        for future in running:
            self._futures.discard(future)
            try:
                result = future.result()
            except MemoryError:
                raise WorkerLost("a worker ran out of memory") from None
            except Exception as exc:
                if type(exc).__name__ == "KilledWorker":
                    raise WorkerLost("a Dask worker died (killed, or out of memory)") from None
                if isinstance(exc, OSError | CancelledError):  # (the scheduler is gone)
                    raise WorkerLost(
                        f"lost the Dask cluster ({type(exc).__name__}: {exc})"
                    ) from None
                raise
            for chunk in islice(todo, 1):
                running.add(submit(chunk))
            yield result

    def close(self) -> None:
        """Cancel outstanding work and close the client (and the local cluster)."""
        if self._futures:
            self.client.cancel(list(self._futures))
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_address(address: str) -> None:
    """Fail with one line for an address that is not ``tcp://HOST:PORT``.

    Raises:
        LeverageError: a malformed address.

    """
    match = _ADDRESS.match(address)
    expected = "expected tcp://HOST:PORT"
    if not match:
        raise LeverageError(f"--address {address!r}: not a Dask scheduler address; {expected}")
    if match["scheme"] not in ADDRESS_SCHEMES:
        raise LeverageError(
            f"--address {address!r}: unsupported scheme {match['scheme']!r}; {expected}"
        )
    port = match["port"]
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise LeverageError(
            f"--address {address!r}: the port {port!r} is not a number from 1 to 65535; {expected}"
        )


def probe_address(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Check that something listens at a Dask address (a plain TCP connection).

    Raises:
        LeverageError: a malformed address, or nothing answers there.

    """
    check_address(address)
    match = _ADDRESS.match(address)
    assert match is not None
    host = match["host"].strip("[]")
    try:
        with socket.create_connection((host, int(match["port"])), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise LeverageError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def check_executor(name: str) -> None:
    """Fail early, before anything is written, for an unknown or unavailable executor."""
    if name not in EXECUTORS:
        raise LeverageError(f"unknown executor {name!r}; expected one of {', '.join(EXECUTORS)}")
    if name == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise LeverageError(
                "the dask executor needs the 'dask' extra: pip install 'leverage-sim[dask]'"
            ) from None


def make_executor(name: str, workers: int, address: str | None = None) -> Executor:
    """The executor called ``name`` with ``workers`` workers (connected, workers started)."""
    if name == "serial":
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers)
    if name == "dask":
        if address:
            probe_address(address)
        return DaskExecutor(workers, address)
    raise LeverageError(f"unknown executor {name!r}; expected one of {', '.join(EXECUTORS)}")
