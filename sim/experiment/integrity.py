"""Checks that make a result set right or refused: checksums, the scenario's hash, chunk records.

Each finished chunk gets one line in ``chunks.jsonl`` (its replication range, how many of its
replications failed, and per table the file's SHA-256, size, rows and a hash of its columns),
appended and fsynced after the chunk's files. ``sim run --resume`` checks every record against
the files before running anything; a chunk that fails is run again. The manifest holds the
hash of the resolved scenario and of each table's columns, and, once the chunks are
consolidated, the checksum, size and rows of each Parquet file (checked when a set is read).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.experiment import parts
from sim.experiment.layout import TABLES

CHUNKS_FILE = "chunks.jsonl"
ERRORS_FILE = "errors.jsonl"


# -- durable files -------------------------------------------------------------------------------


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file, fsynced, renamed over it, and
    the folder fsynced.
    """
    tmp = path.parent / f".{path.name}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def append_line(path: Path, line: str) -> None:
    """Append one line to ``path`` and fsync it."""
    new = not path.exists()
    with open(path, "a") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    if new:
        fsync_dir(path.parent)


# -- hashes -----------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def columns_hash(names: list[str]) -> str:
    """A hash of a table's column names, in order (its schema, as the set checks it)."""
    return sha256_bytes("\n".join(names).encode())


def scenario_hash(data: dict[str, Any]) -> str:
    """The hash of a resolved scenario (its data, keys sorted)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_bytes(text.encode())


def scenario_changes(old: Any, new: Any, prefix: str = "") -> list[str]:
    """What differs between two resolved scenarios, as ``path: old -> new`` lines."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in new:
                out.append(f"{path}: removed")
            elif key not in old:
                out.append(f"{path}: added")
            else:
                out += scenario_changes(old[key], new[key], path)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += scenario_changes(a, b, f"{prefix}.{i}" if prefix else str(i))
        return out
    if old != new:
        return [f"{prefix or 'scenario'}: {_short(old)} -> {_short(new)}"]
    return []


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


# -- chunk records --------------------------------------------------------------------------------


def chunk_record(
    number: int, start: int, stop: int, tables: dict[str, bytes], failed: int
) -> dict[str, Any]:
    """The record of a chunk about to be written: range, failures, and per table the file's
    checksum, size, rows and columns hash.
    """
    entries = {}
    for name, data in tables.items():
        rows, columns = parts.shape(data)
        entries[name] = {
            "file": f"{name}/{parts.name(number)}",
            "sha256": sha256_bytes(data),
            "bytes": len(data),
            "rows": rows,
            "columns": columns_hash(columns) if columns else None,
        }
    return {"chunk": number, "start": start, "stop": stop, "failed": failed, "tables": entries}


def read_records(path: Path) -> dict[int, dict[str, Any]]:
    """The chunk records in a set's ``chunks.jsonl`` (a later record of a chunk wins; a line
    cut short by a crash is ignored: its chunk counts as not finished).
    """
    file = path / CHUNKS_FILE
    records: dict[int, dict[str, Any]] = {}
    if not file.exists():
        return records
    for line in file.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("chunk"), int):
            records[record["chunk"]] = record
    return records


def write_records(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Replace ``chunks.jsonl`` with these records (atomically)."""
    text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)
    write_atomic(path / CHUNKS_FILE, text.encode())


def read_errors(path: Path) -> list[dict[str, Any]]:
    """The failed replications recorded in ``errors.jsonl`` (a line cut short is ignored)."""
    file = path / ERRORS_FILE
    if not file.exists():
        return []
    out = []
    for line in file.read_text(errors="replace").splitlines():
        try:
            error = json.loads(line)
        except ValueError:
            continue
        if isinstance(error, dict):
            out.append(error)
    return out


def expected_tables(manifest: dict[str, Any]) -> tuple[str, ...]:
    """The tables each chunk of this set has."""
    return TABLES if manifest.get("timeseries", True) else ("outcomes",)


def check_chunks(
    path: Path, manifest: dict[str, Any]
) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """Check every chunk of an unfinished set against its record.

    Returns:
        The records of the chunks that pass, and one message per chunk that fails (it
        must be run again).

    """
    size, n, total = manifest["chunk_size"], manifest["replications"], manifest["chunks_total"]
    tables = expected_tables(manifest)
    schemas = dict(manifest.get("schemas") or {})
    records = read_records(path)
    failures: dict[int, int] = {}
    for error in read_errors(path):
        if isinstance(error.get("chunk"), int):
            failures[error["chunk"]] = failures.get(error["chunk"], 0) + 1
    on_disk = {
        parts.number(p)
        for name in TABLES
        if (path / name).is_dir()
        for p in (path / name).glob(parts.GLOB)
    }
    good: dict[int, dict[str, Any]] = {}
    messages = []
    if not records and on_disk and manifest.get("format", 1) < 2:
        return good, [
            f"written before chunks were recorded: its {len(on_disk)} chunk(s) on "
            "disk cannot be checked; running them again"
        ]
    for number in range(total):
        start, stop = number * size, min(n, (number + 1) * size)
        record = records.get(number)
        if record is None:
            reason = (
                "not recorded as finished (the run stopped while writing it)"
                if number in on_disk
                else None
            )
        else:
            reason = _check_record(
                path, record, start, stop, tables, schemas, failures.get(number, 0)
            )
        if reason is None:
            if record is not None:
                good[number] = record
                for name, entry in record["tables"].items():
                    if entry.get("columns") and entry.get("rows"):
                        schemas.setdefault(name, entry["columns"])
            continue
        messages.append(
            f"chunk {number} (replications {start}-{stop - 1}): {reason}; running it again"
        )
    return good, messages


def _check_record(
    path: Path,
    record: dict[str, Any],
    start: int,
    stop: int,
    tables: tuple[str, ...],
    schemas: dict[str, str],
    failed: int,
) -> str | None:
    """Why a chunk fails its check, or None when it passes."""
    try:
        entries = record["tables"]
        if (record["start"], record["stop"]) != (start, stop):
            return (
                f"its record covers replications {record['start']}-{record['stop'] - 1}, "
                "not this chunk's"
            )
        missing = [t for t in tables if t not in entries]
        if missing:
            return f"no {missing[0]} table recorded"
        if entries["outcomes"]["rows"] + record["failed"] != stop - start:
            return (
                f"{entries['outcomes']['rows']} outcome rows and {record['failed']} "
                f"failures for {stop - start} replications"
            )
        if record["failed"] != failed:
            return f"{record['failed']} failures recorded but {failed} in {ERRORS_FILE}"
        for name in tables:
            entry = entries[name]
            file = path / entry["file"]
            if not file.is_file():
                return f"{entry['file']} is missing"
            actual = file.stat().st_size
            if actual != entry["bytes"]:
                return (
                    f"{entry['file']} has {actual} bytes, {entry['bytes']} recorded "
                    "(truncated or damaged)"
                )
            if sha256_file(file) != entry["sha256"]:
                return f"{entry['file']} does not match its checksum (damaged or changed)"
            expected = schemas.get(name)
            if entry.get("rows") and expected and entry.get("columns") != expected:
                return f"{entry['file']} has other columns than the set's {name} table"
    except (KeyError, TypeError, AttributeError):
        return "its record is damaged"
    except OSError as exc:
        return f"cannot read its files ({exc.strerror or exc})"
    return None
