"""Writing a result set: a fresh folder, chunk files written atomically, the manifest.

While a run goes on, each table is a folder of chunk files (``outcomes/part-00003.arrow``,
see ``parts``), each finished chunk has a record in ``chunks.jsonl`` (see ``integrity``) and
``manifest.json`` says ``running``. At the end the chunks are streamed into one Parquet file
per table, the files are recorded in the manifest, which then says ``complete``, and only
then are the chunks dropped. A run that stops early keeps its chunks, and
``sim run --resume`` finishes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import LeverageError
from sim.experiment import integrity, parts
from sim.experiment.layout import MANIFEST, SCENARIO_FILE, TABLES
from sim.experiment.replication import ChunkResult

if TYPE_CHECKING:
    import pandas as pd

ERRORS_FILE = integrity.ERRORS_FILE
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
        raise LeverageError(
            f"{path}: already exists; --out needs a new folder "
            "(use --resume to finish an interrupted run)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir()
    except FileExistsError:
        raise LeverageError(f"{path}: already exists") from None
    return path


class ResultSetWriter:
    """Writes one result set; holds a lock on the folder while it does.

    Every file is written whole (a temporary file, fsynced, renamed); a chunk is finished
    once its record is appended to ``chunks.jsonl`` (``integrity``), after its files.
    """

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self.records: dict[int, dict[str, Any]] = {}
        self.session: dict[str, Any] | None = None
        self._lock = open(path / LOCK_FILE, "w")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise LeverageError(f"{path}: another run is writing this result set") from None

    def write_manifest(self, **changes: Any) -> None:
        """Update the manifest atomically (a temporary file, fsynced, then renamed)."""
        self.manifest.update(changes)
        text = json.dumps(self.manifest, indent=2, default=str) + "\n"
        integrity.write_atomic(self.path / MANIFEST, text.encode())

    def write_scenario(self, text: str) -> None:
        """Save the resolved scenario beside the results."""
        integrity.write_atomic(self.path / SCENARIO_FILE, text.encode())

    def chunks_on_disk(self) -> set[int]:
        """Chunks recorded as finished (for a resumed set: those that passed the check)."""
        return set(self.records)

    def adopt(self, records: dict[int, dict[str, Any]]) -> None:
        """Keep only these chunks (those that passed ``integrity.check_chunks``).

        The files of every other chunk, their failures in ``errors.jsonl`` and their
        records are removed, so that the chunks run again start clean.
        """
        self.records = dict(sorted(records.items()))
        for name in TABLES:
            folder = self.path / name
            if folder.is_dir():
                for part in folder.glob(parts.GLOB):
                    if parts.number(part) not in self.records:
                        part.unlink()
        errors = [e for e in integrity.read_errors(self.path) if e.get("chunk") in self.records]
        if errors or (self.path / ERRORS_FILE).exists():
            text = "".join(json.dumps(e) + "\n" for e in errors)
            integrity.write_atomic(self.path / ERRORS_FILE, text.encode())
        integrity.write_records(self.path, self.records.values())
        schemas = dict(self.manifest.get("schemas") or {})
        for record in self.records.values():
            for name, entry in record["tables"].items():
                if entry.get("columns") and entry.get("rows"):
                    schemas.setdefault(name, entry["columns"])
        self.manifest["schemas"] = schemas

    def write_chunk(self, result: ChunkResult) -> None:
        """Write a chunk's files, then its errors, then its record (which marks it done).

        Raises:
            LeverageError: the chunk's tables have other columns than the set's (the
                simulator changed since the run started); nothing of it is written.

        """
        chunk = result.chunk
        record = integrity.chunk_record(
            chunk.number, chunk.start, chunk.stop, result.tables, len(result.errors)
        )
        schemas = self.manifest.setdefault("schemas", {})
        for name, entry in record["tables"].items():
            expected = schemas.get(name)
            if entry["rows"] and expected and entry["columns"] != expected:
                raise LeverageError(
                    f"{self.path}: chunk {chunk.number}'s {name} table has other columns than "
                    "the set's: the simulator changed since the run started; start a new run"
                )
        for name in sorted(result.tables, key=lambda t: t == "outcomes"):
            folder = self.path / name
            if not folder.is_dir():
                folder.mkdir()
                integrity.fsync_dir(self.path)
            integrity.write_atomic(folder / parts.name(chunk.number), result.tables[name])
        for error in result.errors:
            integrity.append_line(
                self.path / ERRORS_FILE, json.dumps({**error, "chunk": chunk.number})
            )
        integrity.append_line(
            self.path / integrity.CHUNKS_FILE, json.dumps(record, separators=(",", ":"))
        )
        self.records[chunk.number] = record
        for name, entry in record["tables"].items():
            if entry["rows"] and entry["columns"]:
                schemas.setdefault(name, entry["columns"])
        if self.session is not None:
            self.session["chunks_run"] += 1

    def consolidate(self) -> dict[str, dict[str, Any]]:
        """Stream each table's chunk files into one Parquet file; keep the chunks.

        Chunks are gathered into row groups of about ``ROW_GROUP_BYTES`` (memory stays
        bounded however many replications there are). Each file is written under a
        temporary name, fsynced and renamed; the chunks stay until ``finish`` has recorded
        the files in the manifest, so an interrupted consolidation is simply done again.

        Returns:
            Per file (``outcomes.parquet``, ...): its SHA-256, size and rows.

        Raises:
            LeverageError: a chunk is not recorded as finished.

        """
        self.write_manifest(status="consolidating")
        numbers = range(self.manifest["chunks_total"])
        missing = [k for k in numbers if k not in self.records]
        if missing:
            raise LeverageError(
                f"{self.path}: chunk {missing[0]} is not finished; "
                f"finish the run with: sim run --resume {self.path}"
            )
        files = {}
        for name in integrity.expected_tables(self.manifest):
            files[f"{name}.parquet"] = self._consolidate_table(name, numbers)
        return files

    def _consolidate_table(self, name: str, numbers: range) -> dict[str, Any]:
        target = self.path / f"{name}.parquet"
        tmp = self.path / f".{name}.parquet.tmp"
        writer, schema, pending, size, rows, empty = None, None, [], 0, 0, None
        try:
            for number in numbers:
                part = self.path / self.records[number]["tables"][name]["file"]
                try:
                    table = parts.read(part)
                except (OSError, ValueError) as exc:  # (pyarrow's ArrowInvalid: a ValueError)
                    if (
                        isinstance(exc, OSError)
                        and not isinstance(exc, FileNotFoundError)
                        and exc.errno is not None
                    ):
                        raise
                    raise LeverageError(
                        f"{part}: cannot be read ({exc}); "
                        f"sim run --resume {self.path} runs it again"
                    ) from None
                if table.num_rows == 0:
                    if empty is None and table.num_columns:
                        empty = table
                    continue
                if writer is None:
                    schema = table.schema
                    writer = pq.ParquetWriter(tmp, schema)
                pending.append(table if table.schema.equals(schema) else table.cast(schema))
                size += table.nbytes
                rows += table.num_rows
                if size >= ROW_GROUP_BYTES:
                    writer.write_table(pa.concat_tables(pending))
                    pending, size = [], 0
            if writer is None:
                if empty is not None:
                    pq.write_table(empty, tmp)
                else:
                    pq.write_table(pa.table({}), tmp)
            else:
                if pending:
                    writer.write_table(pa.concat_tables(pending))
                writer.close()
                writer = None
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            if writer is not None:
                writer.close()
            tmp.unlink(missing_ok=True)
            raise
        integrity.fsync_dir(self.path)
        return {
            "sha256": integrity.sha256_file(target),
            "bytes": target.stat().st_size,
            "rows": rows,
        }

    def finish(self, files: dict[str, dict[str, Any]], **changes: Any) -> None:
        """Record the consolidated files (and ``changes``) in the manifest, then drop the
        chunks they were made of.
        """
        self.write_manifest(files=files, **changes)
        for name in TABLES:
            shutil.rmtree(self.path / name, ignore_errors=True)
        (self.path / integrity.CHUNKS_FILE).unlink(missing_ok=True)
        integrity.fsync_dir(self.path)

    def begin_session(self, executor: str, workers: int) -> None:
        """Start recording this session (one entry of the manifest's ``timings``)."""
        self.session = {
            "started": now(),
            "seconds": None,
            "executor": executor,
            "workers": workers,
            "chunks_run": 0,
            "ended": None,
            "_clock": time.perf_counter(),
        }

    def end_session(self, ended: str) -> None:
        """Add this session to the manifest's ``timings`` (written with the next manifest)."""
        if self.session is None:
            return
        session, self.session = self.session, None
        session["seconds"] = round(time.perf_counter() - session.pop("_clock"), 3)
        session["ended"] = ended
        timings = self.manifest.get("timings")
        self.manifest["timings"] = [*(timings if isinstance(timings, list) else []), session]

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()
        (self.path / LOCK_FILE).unlink(missing_ok=True)


def failed_replications(path: Path) -> list[dict[str, Any]]:
    """The replications recorded as failed in a result set."""
    return integrity.read_errors(path)


def arrow_schema_of(frame: pd.DataFrame) -> pa.Schema:
    """The Arrow schema pandas would write for ``frame``."""
    return pa.Schema.from_pandas(frame, preserve_index=False)
