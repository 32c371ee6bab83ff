"""Running a design: given parameter values, one model run each, through the executors.

``sim sweep`` (and designs to come) evaluate a matrix of parameter values ``X`` as
``Y = f(X)`` (SALib's contract): the rows run in chunks through the same engine, the
same ``run_chunk`` and the same executors as ``sim run``; every run uses the random
streams of one replication (common random numbers), and a run that raises is recorded
with its traceback while the others go on.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from sim.experiment import parts
from sim.experiment.executors import make_executor
from sim.experiment.replication import Chunk
from sim.scenario.schema import Scenario

CHUNKS_PER_WORKER = 4


def run_design(
    scenario: Scenario,
    seed: int,
    values: np.ndarray,
    *,
    executor: str = "processes",
    workers: int = 1,
    address: str | None = None,
    streams: int = 0,
) -> tuple[pa.Table, list[dict]]:
    """Run the scenario once per row of ``values``.

    Args:
        scenario: the resolved scenario.
        seed: the run seed (the streams of replication ``streams`` of this seed are used
            by every run).
        values: one row per run, columns in the order of ``Blueprint.paths``.
        executor: ``serial``, ``processes`` or ``dask`` (``serial`` when one chunk).
        workers: worker count.
        address: a Dask scheduler.
        streams: the replication whose random streams every run uses.

    Returns:
        The outcomes table, one row per run that finished (``replication`` is the row of
        ``values``), and the failures (``replication``, ``error``, ``traceback``).

    """
    n = len(values)
    size = max(1, math.ceil(n / (max(workers, 1) * CHUNKS_PER_WORKER)))
    chunks = [
        Chunk(i, start, min(n, start + size), values[start : start + size], streams)
        for i, start in enumerate(range(0, n, size))
    ]
    pool = make_executor(executor if len(chunks) > 1 else "serial", workers, address)
    tables, failures = [], []
    try:
        for result in pool.map(scenario, seed, chunks, False):
            tables.append(parts.decode(result.tables["outcomes"]))
            failures += result.errors
    finally:
        pool.close()
    table = pa.concat_tables(tables) if tables else pa.table({})
    if table.num_rows:
        table = table.sort_by("replication")
    return table, sorted(failures, key=lambda f: f["replication"])
