"""Executors: bounded windows of chunks, dead workers, Dask addresses."""

import os
import socket
from pathlib import Path

import pytest

import sim
from sim.errors import LeverageError
from sim.experiment import executors
from sim.experiment.executors import (
    WINDOW_PER_WORKER,
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    WorkerLost,
    check_address,
    make_executor,
    probe_address,
)
from sim.experiment.replication import Chunk

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"


@pytest.fixture(scope="module")
def scenario():
    return sim.load_scenario(EXAMPLE)


class Counted:
    """Chunks of one replication each, counting how many were taken."""

    def __init__(self, count: int) -> None:
        self.taken = 0
        self.count = count

    def __iter__(self):
        for i in range(self.count):
            self.taken += 1
            yield Chunk(i, i, i + 1)


def test_processes_keep_a_bounded_window_of_chunks(scenario):
    chunks = Counted(10_000)
    pool = ProcessExecutor(2)
    try:
        results = pool.map(scenario, 1, chunks, False)
        first = next(results)
        assert chunks.taken <= WINDOW_PER_WORKER * 2 + 1  # (before: every task made up front)
        rest = [next(results) for _ in range(5)]
    finally:
        pool.close()
    serial = list(SerialExecutor().map(scenario, 1, [r.chunk for r in [first, *rest]], False))
    assert [r.tables for r in serial] == [r.tables for r in [first, *rest]]


def test_a_dead_worker_raises_worker_lost_instead_of_hanging(scenario, monkeypatch):
    def die(scenario, seed, chunk, timeseries):
        os._exit(1)

    monkeypatch.setattr(executors, "run_chunk", die)
    pool = ProcessExecutor(2)
    try:
        with pytest.raises(WorkerLost, match="a worker process died"):
            list(pool.map(scenario, 1, Counted(20), False))
    finally:
        pool.close()


def test_a_memory_error_in_a_worker_raises_worker_lost(scenario, monkeypatch):
    def no_memory(scenario, seed, chunk, timeseries):
        raise MemoryError

    monkeypatch.setattr(executors, "run_chunk", no_memory)
    pool = ProcessExecutor(1)
    try:
        with pytest.raises(WorkerLost, match="out of memory"):
            list(pool.map(scenario, 1, Counted(3), False))
    finally:
        pool.close()


def test_dask_keeps_a_bounded_window_of_chunks(scenario):
    pytest.importorskip("dask.distributed")
    chunks = Counted(1_000_000)  # (before: a million futures submitted up front)
    pool = DaskExecutor(1, None)
    try:
        results = pool.map(scenario, 1, chunks, False)
        next(results)
        assert chunks.taken <= WINDOW_PER_WORKER * 1 + 1
        assert len(pool._futures) <= WINDOW_PER_WORKER
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("foo", "not a Dask scheduler address"),
        ("http://127.0.0.1:8786", "unsupported scheme 'http'"),
        ("tcp://host:notaport", "the port 'notaport' is not a number"),
        ("tcp://host:0", "the port '0' is not a number"),
        ("tcp://host", "not a Dask scheduler address"),
    ],
)
def test_malformed_dask_addresses_are_refused(address, message):
    with pytest.raises(LeverageError, match=message):
        check_address(address)


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:8786", "tcp://scheduler.example:1", "tls://[::1]:8786"]
)
def test_well_formed_dask_addresses_pass(address):
    check_address(address)


def test_a_dask_address_where_nothing_listens_is_refused():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(
        LeverageError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"
    ):
        probe_address(f"tcp://127.0.0.1:{port}", timeout=5)


def test_make_executor_checks_a_dask_address_before_connecting():
    with pytest.raises(LeverageError, match="expected tcp://HOST:PORT"):
        make_executor("dask", 1, "foo")
