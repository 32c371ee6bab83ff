"""The outcome metrics of one run (one row per replication)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.model.inputs import Blueprint, Index
from sim.model.model import LeverageModel


class _Names:
    """The outcome columns of one scenario, named once."""

    def __init__(self, index: Index) -> None:
        self.settlement = [f"settlement_position.{k}" for k in index.issues]
        self.forecast = [f"forecast.{k}" for k in index.issues]
        self.territory = [f"territory.{b}" for b in index.sides]
        self.cost = [f"cost.{a}" for a in index.actors]
        self.stress = [f"stress.{a}" for a in index.actors]
        self.position = [f"position.{a}.{k}" for a in index.actors for k in index.issues]


_NAMES: WeakKeyDictionary[Blueprint, _Names] = WeakKeyDictionary()


def _names(blueprint: Blueprint) -> _Names:
    names = _NAMES.get(blueprint)
    if names is None:
        names = _NAMES[blueprint] = _Names(blueprint.index)
    return names


def outcomes(model: LeverageModel, replication: int = 0) -> dict[str, Any]:
    """The outcomes of a finished run, named as in the result set's ``outcomes`` table.

    Args:
        model: a model that has run.
        replication: the replication number to record.

    """
    ix, s, p = model.index, model.state, model.params
    scale = model.blueprint.to_scale
    names = _names(model.blueprint)
    row: dict[str, Any] = {"replication": replication, "settled": model.settled,
                           "settlement_step": float(model.settlement_step)
                           if model.settled else math.nan}
    settled_at = scale(model.settlement_position).tolist() if model.settled \
        else [math.nan] * len(ix.issues)
    row.update(zip(names.settlement, settled_at, strict=True))
    row.update(zip(names.forecast, scale(s.forecast).tolist(), strict=True))
    row.update(zip(names.territory, s.territory.tolist(), strict=True))
    row["victory"] = ix.sides[model.victory] if model.victory >= 0 else "none"
    for trigger in model.triggers:
        name = trigger.spec.name
        row[f"triggered.{name}"] = bool(trigger.fired_at)
        row[f"triggered_step.{name}"] = float(trigger.fired_at[0]) if trigger.fired_at \
            else math.nan
    row["incident"] = bool(s.incident)
    row["civilian_harm"] = float(s.harm)
    row["coalition_cohesion"] = cohesion(model)
    row.update(zip(names.cost, s.pain.tolist(), strict=True))
    row.update(zip(names.stress, (s.pain / p.pain_tolerance).tolist(), strict=True))
    row.update(zip(names.position, scale(s.x).ravel().tolist(), strict=True))
    for path, value in model.values.items():
        row[f"param.{path}"] = float(value)
    return row


def outcomes_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """The outcomes table of several runs' rows, as an Arrow table (built by column when
    every row has the same columns, which is much faster than by row or through pandas).
    """
    if not rows:
        return pa.table({})
    columns = list(rows[0])
    if any(len(row) != len(columns) or list(row) != columns for row in rows):
        return pa.Table.from_pylist(list(rows))
    values = zip(*(row.values() for row in rows), strict=True)
    return pa.table({name: pa.array(column) for name, column in zip(columns, values,
                                                                    strict=True)})


def cohesion(model: LeverageModel) -> float:
    """Share of sanctions senders still adopting at the end (NaN when no sanctions ran)."""
    counts = [c for lever in model.levers
              if (c := getattr(lever, "cohesion", lambda: None)()) is not None]
    if not counts:
        return math.nan
    return sum(a for a, _ in counts) / sum(n for _, n in counts)


Snapshot = tuple[int, int, np.ndarray]  # (replication, step, effective leverage (A, A))


def leverage_snapshots(model: LeverageModel, replication: int = 0) -> list[Snapshot]:
    """Effective leverage at the first and the last step of a run."""
    return [(replication, 0, model.leverage_start),
            (replication, model.state.step, model.state.leverage)]


def leverage_frame(actors: tuple[str, ...], snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """The non-zero entries of leverage snapshots: replication, step, holder, target, value."""
    names = np.array(actors, dtype=object)
    found = [(r, step, matrix, *np.nonzero(matrix)) for r, step, matrix in snapshots]
    counts = [len(holder) for *_, holder, _ in found]
    return pd.DataFrame({
        "replication": np.repeat(np.array([r for r, *_ in found], dtype=np.int64), counts),
        "step": np.repeat(np.array([s for _, s, *_ in found], dtype=np.int64), counts),
        "holder": names[np.concatenate([h for *_, h, _ in found]).astype(np.intp)],
        "target": names[np.concatenate([t for *_, t in found]).astype(np.intp)],
        "value": np.concatenate([m[h, t] for _, _, m, h, t in found]).astype(float),
    })


def leverage_rows(model: LeverageModel, replication: int = 0) -> pd.DataFrame:
    """Effective leverage at the first and last step, non-zero entries only."""
    return leverage_frame(model.index.actors, leverage_snapshots(model, replication))
