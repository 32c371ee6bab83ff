"""The short outcome summary ``sim run`` prints: one line per headline outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rich.table import Table

from sim.outcomes import headline
from sim.results import ResultSet


def summary_frame(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Headline outcomes (``sim.outcomes.headline``): mean (share for booleans) and 5th /
    95th percentiles.
    """
    rows = []
    for column in headline(outcomes.columns):
        if column == "victory":
            continue  # (as shares per side, below)
        values = outcomes[column]
        if not (values.dtype == bool or pd.api.types.is_numeric_dtype(values)):
            # another category (a threat's end): the share of each
            n = int(values.size)
            for name, share in values.value_counts(normalize=True).sort_index().items():
                rows.append((f"{column}.{name}", float(share), np.nan, np.nan, n))
            continue
        if values.dtype == bool:
            rows.append((column, float(values.mean()), np.nan, np.nan, int(values.count())))
            continue
        v = pd.to_numeric(values, errors="coerce").dropna()
        if v.empty:
            rows.append((column, np.nan, np.nan, np.nan, 0))
        else:
            rows.append(
                (
                    column,
                    float(v.mean()),
                    float(v.quantile(0.05)),
                    float(v.quantile(0.95)),
                    int(v.size),
                )
            )
    if "victory" in outcomes:
        n = int(outcomes["victory"].size)  # (``none`` too: the share of runs no side won)
        for side, share in outcomes["victory"].value_counts(normalize=True).items():
            rows.append((f"victory.{side}", float(share), np.nan, np.nan, n))
    return pd.DataFrame(rows, columns=["outcome", "mean", "p5", "p95", "n"])


def summary_table(result: ResultSet) -> Table:
    """The summary as a rich table, titled with the scenario and the run size."""
    m = result.manifest
    table = Table(
        "outcome",
        "mean / share",
        "5%",
        "95%",
        "n",
        title=f"{m.get('scenario')}: {m.get('replications')} replications, seed {m.get('seed')}",
    )
    for row in summary_frame(result.outcomes).itertuples(index=False):
        table.add_row(row.outcome, _fmt(row.mean), _fmt(row.p5), _fmt(row.p95), str(row.n))
    return table


def _fmt(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.4g}"
