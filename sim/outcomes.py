"""The outcome metrics of one run (one row per replication)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.model.model import LeverageModel


def outcomes(model: LeverageModel, replication: int = 0) -> dict[str, Any]:
    """The outcomes of a finished run, named as in the result set's ``outcomes`` table.

    Args:
        model: a model that has run.
        replication: the replication number to record.

    """
    ix, s, p = model.index, model.state, model.params
    scale = model.blueprint.to_scale
    row: dict[str, Any] = {"replication": replication, "settled": model.settled,
                           "settlement_step": float(model.settlement_step)
                           if model.settled else math.nan}
    settled_at = scale(model.settlement_position) if model.settled else None
    forecast = scale(s.forecast)
    for k, issue in enumerate(ix.issues):
        row[f"settlement_position.{issue}"] = float(settled_at[k]) if model.settled else math.nan
    for k, issue in enumerate(ix.issues):
        row[f"forecast.{issue}"] = float(forecast[k])
    for b, side in enumerate(ix.sides):
        row[f"territory.{side}"] = float(s.territory[b])
    row["victory"] = ix.sides[model.victory] if model.victory >= 0 else "none"
    for trigger in model.triggers:
        name = trigger.spec.name
        row[f"triggered.{name}"] = bool(trigger.fired_at)
        row[f"triggered_step.{name}"] = float(trigger.fired_at[0]) if trigger.fired_at \
            else math.nan
    row["incident"] = bool(s.incident)
    row["civilian_harm"] = float(s.harm)
    row["coalition_cohesion"] = cohesion(model)
    stress = s.pain / p.pain_tolerance
    for i, actor in enumerate(ix.actors):
        row[f"cost.{actor}"] = float(s.pain[i])
    for i, actor in enumerate(ix.actors):
        row[f"stress.{actor}"] = float(stress[i])
    positions = scale(s.x)
    for i, actor in enumerate(ix.actors):
        for k, issue in enumerate(ix.issues):
            row[f"position.{actor}.{issue}"] = float(positions[i, k])
    for path, value in model.values.items():
        row[f"param.{path}"] = float(value)
    return row


def cohesion(model: LeverageModel) -> float:
    """Share of sanctions senders still adopting at the end (NaN when no sanctions ran)."""
    counts = [c for lever in model.levers
              if (c := getattr(lever, "cohesion", lambda: None)()) is not None]
    if not counts:
        return math.nan
    return sum(a for a, _ in counts) / sum(n for _, n in counts)


def leverage_rows(model: LeverageModel, replication: int = 0) -> pd.DataFrame:
    """Effective leverage at the first and last step, non-zero entries only."""
    ix = model.index
    frames = []
    for step, matrix in ((0, model.leverage_start), (model.state.step, model.state.leverage)):
        holder, target = np.nonzero(matrix)
        frames.append(pd.DataFrame({
            "replication": replication, "step": step,
            "holder": np.array(ix.actors, dtype=object)[holder],
            "target": np.array(ix.actors, dtype=object)[target],
            "value": matrix[holder, target]}))
    return pd.concat(frames, ignore_index=True)
