"""The result-set format on disk, and ``sim.load``.

A result set is a folder ``results/<scenario>/<run-id>/`` holding:

- ``manifest.json``: versions, seed, replications, command, timings, ``status``, and the
  checksum, size and rows of each Parquet file (checked when the set is read);
- ``scenario.yaml``: the fully resolved scenario;
- ``outcomes.parquet``: one row per replication;
- ``timeseries.parquet``: model-level series (replication, step, territory.<side>,
  population.<side> with fronts or population, forecast.<issue>, civilian_harm, settled);
- ``actors.parquet``: per-actor series (replication, step, actor, force,
  position.<issue>, stress, cost);
- ``leverage.parquet``: effective leverage at the first and last step
  (replication, step, holder, target, value), non-zero entries only.

While a run goes on (or after it stopped), each table is a folder of chunk files with the
same name (written as replications finish); it reads the same. A damaged set (a file
missing, truncated or changed, a manifest that is not one) is a ``LeverageError`` naming
the file, never a wrong or empty table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, ValidationError

from sim.errors import LeverageError
from sim.experiment.layout import MANIFEST, SCENARIO_FILE

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("running", "consolidating", "interrupted", "failed", "complete")


class FileRecord(BaseModel):
    """A consolidated file as the manifest records it."""

    sha256: str
    bytes: StrictInt
    rows: StrictInt


class Manifest(BaseModel):
    """The keys of ``manifest.json`` that reading a set relies on (others are kept as they
    are); ``status`` is required, the others checked when present.
    """

    model_config = ConfigDict(extra="allow")

    status: str
    scenario: str | None = None
    seed: StrictInt | None = None
    replications: StrictInt | None = None
    chunk_size: StrictInt | None = None
    chunks_total: StrictInt | None = None
    timeseries: StrictBool = True
    files: dict[str, FileRecord] | None = None


RESUME_KEYS = ("scenario", "seed", "replications", "chunk_size", "chunks_total")


def check_manifest(data: Any, file: Path, *, resume: bool = False) -> dict[str, Any]:
    """The manifest's data, once it has the keys and types a set needs.

    Args:
        data: the manifest's JSON data.
        file: the manifest file (for messages).
        resume: also require the keys a resumed run needs.

    Raises:
        LeverageError: one line naming the file and the first problem.

    """
    if not isinstance(data, dict):
        raise LeverageError(
            f"{file}: damaged manifest: expected a JSON object, found {type(data).__name__}"
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(k) for k in error["loc"])
        raise LeverageError(f"{file}: damaged manifest: {where}: {error['msg'].lower()}") from None
    if manifest.status not in STATUSES:
        raise LeverageError(f"{file}: damaged manifest: status: unknown status {manifest.status!r}")
    missing = [key for key in RESUME_KEYS if getattr(manifest, key) is None]
    if resume and missing:
        raise LeverageError(f"{file}: damaged manifest: {missing[0]}: field required")
    size, n, total = manifest.chunk_size, manifest.replications, manifest.chunks_total
    if None not in (size, n, total) and (size < 1 or n < 1 or total != -(-n // size)):
        raise LeverageError(
            f"{file}: damaged manifest: replications, chunk_size and chunks_total do not agree"
        )
    return data


@dataclass
class ResultSet:
    """A result set on disk, its tables read lazily as pandas DataFrames."""

    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """One line (the manifest, with the whole resolved scenario, is long)."""
        m = self.manifest
        return (
            f"ResultSet({str(self.path)!r}, scenario={self.name!r}, "
            f"replications={m.get('replications')}, seed={m.get('seed')}, "
            f"status={m.get('status')!r})"
        )

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.manifest.get("scenario", self.path.parent.name))

    @property
    def complete(self) -> bool:
        """True when the run finished and every chunk is written."""
        return self.manifest.get("status") == "complete"

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """The consolidated files the manifest records (none for a set still running)."""
        return self.manifest.get("files") or {}

    def check_files(self) -> None:
        """Check that each recorded file is there with its recorded size (cheap; the
        checksum is checked when a table is read).

        Raises:
            LeverageError: naming the first file that is missing or has another size.

        """
        if not self.files and self.complete:  # a set written before files were recorded
            if not (
                (self.path / "outcomes.parquet").is_file() or (self.path / "outcomes").is_dir()
            ):
                raise LeverageError(
                    f"{self.path / 'outcomes.parquet'}: missing; the result set is damaged"
                )
        for name, record in self.files.items():
            file = self.path / name
            try:
                size = file.stat().st_size
            except FileNotFoundError:
                raise LeverageError(f"{file}: missing; the result set is damaged") from None
            except OSError as exc:
                raise LeverageError(f"{file}: cannot read: {exc.strerror or exc}") from None
            if size != record["bytes"]:
                raise LeverageError(
                    f"{file}: {size} bytes, the manifest records "
                    f"{record['bytes']} (truncated or changed); the result "
                    "set is damaged"
                )

    def _table(self, table: str) -> pd.DataFrame:
        import pandas as pd  # (not needed to run: only to read tables)

        single = self.path / f"{table}.parquet"
        record = self.files.get(single.name)
        if record is not None:
            return _read_recorded(single, record)
        folder = self.path / table
        if not self.files and folder.is_dir():
            from sim.experiment import parts  # (only an unfinished run has chunk files)

            chunks = sorted(folder.glob(parts.GLOB))
            if chunks:
                frames = []
                for chunk in chunks:
                    try:
                        frames.append(parts.read(chunk).to_pandas())
                    except (OSError, ValueError) as exc:
                        raise LeverageError(
                            f"{chunk}: cannot read ({_reason(exc)}); "
                            "`sim run --resume` runs it again"
                        ) from None
                frame = pd.concat(frames, ignore_index=True)
                keys = [
                    c
                    for c in ("replication", "step", "actor", "holder", "target")
                    if c in frame.columns
                ]
                return frame.sort_values(keys, kind="stable").reset_index(drop=True)
        if single.exists():  # a set written before files were recorded
            return _read_parquet(single)
        if self.complete and (table == "outcomes" or self.manifest.get("timeseries", True)):
            raise LeverageError(f"{single}: missing; the result set is damaged")
        return pd.DataFrame()

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """One row per replication."""
        return self._table("outcomes")

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Model-level series, one row per replication and step."""
        return self._table("timeseries")

    @cached_property
    def actors(self) -> pd.DataFrame:
        """Per-actor series, one row per replication, step and actor."""
        return self._table("actors")

    @cached_property
    def leverage(self) -> pd.DataFrame:
        """Effective leverage at the first and last step of each replication."""
        return self._table("leverage")

    @cached_property
    def scenario(self):  # noqa: ANN201 - Scenario, imported lazily to keep this module light
        """The resolved scenario the run used."""
        from sim.scenario import load_scenario

        return load_scenario(self.path / SCENARIO_FILE)


def is_result_set(path: Path) -> bool:
    """True when ``path`` is a folder holding a result-set manifest."""
    return (Path(path) / MANIFEST).is_file()


def load(path: str | Path) -> ResultSet:
    """Open the result set in ``path``.

    Args:
        path: a result-set folder (holding ``manifest.json``).

    Returns:
        The result set; its tables are read when first used.

    Raises:
        LeverageError: when ``path`` is not a result set.

    """
    folder = Path(path)
    if not is_result_set(folder):
        raise LeverageError(
            f"{folder}: not a result set (no {MANIFEST}); give a folder written by `sim run`"
        )
    file = folder / MANIFEST
    try:
        data = json.loads(file.read_text())
    except OSError as exc:
        raise LeverageError(f"{file}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise LeverageError(f"{file}: damaged manifest: not valid JSON ({exc})") from None
    result = ResultSet(path=folder, manifest=check_manifest(data, file))
    result.check_files()
    return result


def scan_result_sets(
    folder: str | Path,
) -> tuple[list[ResultSet], list[tuple[Path, LeverageError]]]:
    """Every result set under ``folder`` (itself included), newest first, and each folder
    holding a damaged one with the error that says why.

    Raises:
        LeverageError: ``folder`` does not exist.

    """
    root = Path(folder)
    if not root.exists():
        raise LeverageError(f"{root}: no such folder")
    found, damaged = [], []
    for manifest in sorted(root.rglob(MANIFEST)):
        try:
            found.append(load(manifest.parent))
        except LeverageError as exc:
            damaged.append((manifest.parent, exc))
    found.sort(key=lambda r: str(r.manifest.get("started") or ""), reverse=True)
    return found, damaged


def find_result_sets(folder: str | Path) -> list[ResultSet]:
    """Every sound result set under ``folder`` (itself included), newest first (damaged ones
    are left out: ``scan_result_sets`` lists them).
    """
    return scan_result_sets(folder)[0]


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _read_parquet(file: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_parquet(file)
    except FileNotFoundError:
        raise LeverageError(f"{file}: missing; the result set is damaged") from None
    except (OSError, ValueError) as exc:  # (pyarrow's ArrowInvalid is a ValueError)
        raise LeverageError(
            f"{file}: cannot read ({_reason(exc)}); the result set is damaged"
        ) from None


def _read_recorded(file: Path, record: dict[str, Any]) -> pd.DataFrame:
    """A consolidated file, once its checksum and rows match the manifest's record."""
    try:
        with open(file, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        raise LeverageError(f"{file}: missing; the result set is damaged") from None
    except OSError as exc:
        raise LeverageError(f"{file}: cannot read: {exc.strerror or exc}") from None
    if digest != record["sha256"]:
        raise LeverageError(
            f"{file}: does not match the checksum in the manifest (changed or "
            "damaged); the result set is damaged"
        )
    frame = _read_parquet(file)
    if len(frame) != record["rows"]:
        raise LeverageError(
            f"{file}: {len(frame)} rows, the manifest records "
            f"{record['rows']}; the result set is damaged"
        )
    return frame
