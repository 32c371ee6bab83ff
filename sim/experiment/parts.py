"""Chunk files: one table of one chunk, as an Arrow IPC file (LZ4-compressed).

Workers encode their chunk's tables (cheap: no Parquet encoding per chunk); the process
writing the result set stores the bytes as they come and, when the run completes,
streams the chunks into one Parquet file per table with large row groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd

SUFFIX = ".arrow"
GLOB = f"part-*{SUFFIX}"
_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


def name(number: int) -> str:
    """The file name of chunk ``number``."""
    return f"part-{number:05d}{SUFFIX}"


def number(path: Path) -> int:
    """The chunk number of a chunk file."""
    return int(path.stem.split("-")[1])


def encode(table: pa.Table | pd.DataFrame) -> bytes:
    """A table (a DataFrame's without its index) as the bytes of a chunk file."""
    if not isinstance(table, pa.Table):  # (a pandas DataFrame)
        table = pa.Table.from_pandas(table, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def read(path: Path) -> pa.Table:
    """The table in a chunk file."""
    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def shape(data: bytes) -> tuple[int, list[str]]:
    """The rows and column names of the table in the bytes of a chunk file (read from its
    metadata, without decoding the table where pyarrow allows).
    """
    reader = pa.ipc.open_file(pa.py_buffer(data))
    count = getattr(reader, "count_rows", None)
    rows = count() if count is not None else reader.read_all().num_rows
    return rows, reader.schema.names


def decode(data: bytes) -> pa.Table:
    """The table in the bytes of a chunk file."""
    return pa.ipc.open_file(pa.py_buffer(data)).read_all()
