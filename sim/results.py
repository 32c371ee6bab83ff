"""The result-set format on disk, and ``sim.load``.

A result set is a folder ``results/<scenario>/<run-id>/`` holding:

- ``manifest.json``: versions, seed, replications, command, timings, ``status``;
- ``scenario.yaml``: the fully resolved scenario;
- ``outcomes.parquet``: one row per replication;
- ``timeseries.parquet``: model-level series (replication, step, territory.<side>,
  forecast.<issue>, civilian_harm, settled);
- ``actors.parquet``: per-actor series (replication, step, actor, force,
  position.<issue>, stress, cost);
- ``leverage.parquet``: effective leverage at the first and last step
  (replication, step, holder, target, value), non-zero entries only.

Each table may also be a folder of Parquet chunks with the same name (written as
replications finish); it reads the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import LeverageError

TABLES = ("outcomes", "timeseries", "actors", "leverage")
MANIFEST = "manifest.json"
SCENARIO_FILE = "scenario.yaml"


@dataclass
class ResultSet:
    """A result set on disk, its tables read lazily as pandas DataFrames."""

    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.manifest.get("scenario", self.path.parent.name))

    @property
    def complete(self) -> bool:
        """True when the run finished and every chunk is written."""
        return self.manifest.get("status") == "complete"

    def _table(self, table: str) -> pd.DataFrame:
        folder = self.path / table
        single = self.path / f"{table}.parquet"
        if single.exists():
            return pd.read_parquet(single)
        if folder.is_dir():
            from sim.experiment import parts  # (only an unfinished run has chunk files)

            chunks = sorted(folder.glob(parts.GLOB))
            if chunks:
                frame = pd.concat([parts.read(p).to_pandas() for p in chunks],
                                  ignore_index=True)
                keys = [c for c in ("replication", "step", "actor", "holder", "target")
                        if c in frame.columns]
                return frame.sort_values(keys, kind="stable").reset_index(drop=True)
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
        raise LeverageError(f"{folder}: not a result set (no {MANIFEST}); "
                            "give a folder written by `sim run`")
    manifest = json.loads((folder / MANIFEST).read_text())
    return ResultSet(path=folder, manifest=manifest)


def find_result_sets(folder: str | Path) -> list[ResultSet]:
    """Every result set under ``folder`` (itself included), newest first."""
    root = Path(folder)
    if not root.exists():
        raise LeverageError(f"{root}: no such folder")
    found = [load(p.parent) for p in root.rglob(MANIFEST)]
    return sorted(found, key=lambda r: str(r.manifest.get("started") or ""), reverse=True)
