"""The tables of a finished engine: outcomes (one row per replication) and leverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

import sim.outcomes.columns  # noqa: F401 - registers the outcomes
from sim.outcomes.registry import OUTCOMES, Columns

if TYPE_CHECKING:
    import pandas as pd

    from sim.engine.engine import Engine


def outcome_columns(engine: Engine, replications: np.ndarray) -> Columns:
    """Every registered outcome of a finished engine, column by column, in registry order.

    Args:
        engine: an engine that has run.
        replications: each row's replication number, (R,).

    """
    columns: Columns = {"replication": np.asarray(replications, dtype=np.int64)}
    for name in OUTCOMES:
        columns.update(OUTCOMES[name].compute(engine))
    return columns


def outcomes_table(columns: Columns, rows: np.ndarray | None = None) -> pa.Table:
    """The outcomes table as an Arrow table (``rows``: the rows to keep, default all)."""
    keep = slice(None) if rows is None else rows
    return pa.Table.from_arrays([to_arrow(v[keep]) for v in columns.values()], names=list(columns))


_TYPES = {"f": pa.float64(), "i": pa.int64()}


def to_arrow(values: np.ndarray) -> pa.Array:
    """A numpy column as an Arrow array, built from its buffers (the same array as
    ``pa.array``, which imports pandas the first time it is called: 0.2 s of every
    process that only runs replications).
    """
    n = len(values)
    if values.dtype.kind in _TYPES and values.dtype.itemsize == 8:
        data = np.ascontiguousarray(values)
        return pa.Array.from_buffers(_TYPES[values.dtype.kind], n, [None, pa.py_buffer(data)])
    if values.dtype == bool:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
    if values.dtype == object and all(isinstance(v, str) for v in values):
        encoded = [v.encode() for v in values]
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return pa.Array.from_buffers(
            pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        )
    return pa.array(values)


LEVERAGE_SCHEMA = pa.schema(
    [
        ("replication", pa.int64()),
        ("step", pa.int64()),
        ("holder", pa.string()),
        ("target", pa.string()),
        ("value", pa.float64()),
    ]
)


def leverage_frame(
    actors: tuple[str, ...], replications: np.ndarray, steps: np.ndarray, matrices: np.ndarray
) -> pd.DataFrame:
    """The non-zero entries of leverage matrices: replication, step, holder, target, value.

    Args:
        actors: the actor names.
        replications: each matrix's replication number, (n,).
        steps: each matrix's step, (n,).
        matrices: effective leverage, (n, A, A).

    An empty result keeps the documented columns and types.

    """
    which, holder, target = np.nonzero(matrices)
    names = np.array(actors, dtype=object)
    import pandas as pd  # (only the time series need pandas)

    frame = pd.DataFrame(
        {
            "replication": np.asarray(replications, dtype=np.int64)[which],
            "step": np.asarray(steps, dtype=np.int64)[which],
            "holder": names[holder].astype(object),
            "target": names[target].astype(object),
            "value": matrices[which, holder, target].astype(float),
        }
    )
    return frame.astype({"holder": object, "target": object})
