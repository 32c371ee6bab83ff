"""Writing a result set: a fresh folder, chunk files written atomically, the manifest.

While a run goes on, each table is a folder of chunk files (``outcomes/part-00003.arrow``,
see ``parts``) and ``manifest.json`` says ``running``. At the end the chunks are streamed
into one Parquet file per table and the manifest says ``complete``. A run that stops early
keeps its chunks, and ``sim run --resume`` finishes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import LeverageError
from sim.experiment import parts
from sim.experiment.replication import ChunkResult
from sim.results import MANIFEST, SCENARIO_FILE, TABLES

ERRORS_FILE = "errors.jsonl"
ROW_GROUP_BYTES = 64 * 2**20  # in memory, before encoding
LOCK_FILE = ".lock"


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_dir(results: Path, scenario: str) -> Path:
    """Create ``results/<scenario>/<run-id>/``; two runs never get the same folder."""
    parent = results / scenario
    parent.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = parent / f"{stamp}-{secrets.token_hex(3)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def claim_out_dir(path: Path) -> Path:
    """Create ``path`` for ``--out``; it must not exist yet."""
    if path.exists():
        raise LeverageError(f"{path}: already exists; --out needs a new folder "
                            "(use --resume to finish an interrupted run)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir()
    except FileExistsError:
        raise LeverageError(f"{path}: already exists") from None
    return path


class ResultSetWriter:
    """Writes one result set; holds a lock on the folder while it does."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self._lock = open(path / LOCK_FILE, "w")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise LeverageError(f"{path}: another run is writing this result set") from None

    def write_manifest(self, **changes: Any) -> None:
        """Update the manifest atomically (write a temporary file, then rename)."""
        self.manifest.update(changes)
        tmp = self.path / f".{MANIFEST}.tmp"
        tmp.write_text(json.dumps(self.manifest, indent=2, default=str) + "\n")
        os.replace(tmp, self.path / MANIFEST)

    def write_scenario(self, text: str) -> None:
        """Save the resolved scenario beside the results."""
        (self.path / SCENARIO_FILE).write_text(text)

    def chunks_on_disk(self) -> set[int]:
        """Chunks whose files are all written (a chunk's outcomes file is written last)."""
        folder = self.path / "outcomes"
        if not folder.is_dir():
            return set()
        return {parts.number(p) for p in folder.glob(parts.GLOB)}

    def write_chunk(self, result: ChunkResult) -> None:
        """Write a chunk's tables (outcomes last, so its presence marks the chunk done)."""
        number = result.chunk.number
        for name in sorted(result.tables, key=lambda t: t == "outcomes"):
            folder = self.path / name
            folder.mkdir(exist_ok=True)
            target = folder / parts.name(number)
            tmp = folder / f".{target.name}.tmp"
            tmp.write_bytes(result.tables[name])
            os.replace(tmp, target)
        if result.errors:
            with open(self.path / ERRORS_FILE, "a") as fh:
                for error in result.errors:
                    fh.write(json.dumps({**error, "chunk": number}) + "\n")

    def consolidate(self) -> None:
        """Stream each table's chunk files into one Parquet file, then drop the chunks.

        Chunks are gathered into row groups of about ``ROW_GROUP_BYTES`` (memory stays
        bounded however many replications there are).
        """
        for name in TABLES:
            folder = self.path / name
            if not folder.is_dir():
                continue
            tmp = self.path / f".{name}.parquet.tmp"
            writer, schema, pending, size = None, None, [], 0
            for part in sorted(folder.glob(parts.GLOB)):
                table = parts.read(part)
                if table.num_rows == 0:
                    continue
                if writer is None:
                    schema = table.schema
                    writer = pq.ParquetWriter(tmp, schema)
                pending.append(table if table.schema.equals(schema) else table.cast(schema))
                size += table.nbytes
                if size >= ROW_GROUP_BYTES:
                    writer.write_table(pa.concat_tables(pending))
                    pending, size = [], 0
            if writer is None:
                pd.DataFrame().to_parquet(tmp)
            else:
                if pending:
                    writer.write_table(pa.concat_tables(pending))
                writer.close()
            os.replace(tmp, self.path / f"{name}.parquet")
            shutil.rmtree(folder)

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()
        (self.path / LOCK_FILE).unlink(missing_ok=True)


def failed_replications(path: Path) -> list[dict[str, Any]]:
    """The replications recorded as failed in a result set."""
    errors = path / ERRORS_FILE
    if not errors.exists():
        return []
    return [json.loads(line) for line in errors.read_text().splitlines() if line.strip()]


def arrow_schema_of(frame: pd.DataFrame) -> pa.Schema:
    """The Arrow schema pandas would write for ``frame``."""
    return pa.Schema.from_pandas(frame, preserve_index=False)
