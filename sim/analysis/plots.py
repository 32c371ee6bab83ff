"""Plots of result sets, as matplotlib Figures (no pyplot state; they work headless).

Each function takes result sets and returns a ``matplotlib.figure.Figure`` (shown
inline by Jupyter, saved with ``fig.savefig``). ``save_all`` writes them all as PNGs.
Figures are made with ``matplotlib.figure.Figure`` directly, not ``pyplot``, so
nothing needs a display and nothing accumulates in pyplot's figure registry.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import ArrowStyle, FancyArrowPatch
from matplotlib.ticker import MaxNLocator

from sim.analysis import stats
from sim.analysis.compare import (
    outcome_column,
    outcome_is_boolean,
    resolve_outcomes,
    scenario_labels,
)
from sim.results import ResultSet

BAND = (0.05, 0.5, 0.95)
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
DPI = 110


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _as_list(results: ResultSet | Sequence[ResultSet]) -> list[ResultSet]:
    return [results] if isinstance(results, ResultSet) else list(results)


def _label(result: ResultSet, results: Sequence[ResultSet] | None = None) -> str:
    if results:
        for run, label in zip(results, scenario_labels(results), strict=True):
            if run is result:
                return label
    return result.name


def _empty(fig: Figure, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=12,
        color="#555555",
        transform=ax.transAxes,
        wrap=True,
    )
    return fig


def scenario_horizon(result: ResultSet) -> int | None:
    """The scenario's horizon (steps), from the loaded scenario or its YAML; None if unknown."""
    try:
        horizon = getattr(result.scenario, "horizon", None)
        if horizon is not None:
            return int(horizon)
    except Exception:  # noqa: BLE001 - any failure to load the scenario: fall back to the file
        pass
    try:
        import yaml

        document = yaml.safe_load((result.path / "scenario.yaml").read_text(encoding="utf-8"))
        if isinstance(document, dict) and document.get("horizon") is not None:
            return int(document["horizon"])
    except Exception:  # noqa: BLE001 - unreadable or missing file: use the data instead
        pass
    return None


def bands(series: pd.DataFrame, column: str, horizon: int | None = None) -> pd.DataFrame:
    """Quantiles over replications of ``column``, step by step.

    Each replication's last row is carried forward to the horizon (or to the last
    step of any replication), so runs that stopped early (settled) keep counting.

    Args:
        series: a time-series table with ``replication`` and ``step`` columns.
        column: the column to summarise.
        horizon: the last step; default, the last step present.

    Returns:
        A frame indexed by step with columns ``low`` (5%), ``median``, ``high`` (95%).

    """
    if series.empty or column not in series.columns:
        return pd.DataFrame(columns=["low", "median", "high"], dtype=float)
    table = series[["replication", "step", column]].drop_duplicates(
        ["replication", "step"], keep="last"
    )
    wide = table.pivot(index="step", columns="replication", values=column).astype(float)
    first, last = int(wide.index.min()), int(wide.index.max())
    if horizon is not None:
        last = max(last, int(horizon))
    wide = wide.reindex(range(first, last + 1)).ffill()
    quantiles = wide.quantile(list(BAND), axis=1).T
    quantiles.columns = ["low", "median", "high"]
    return quantiles


def _columns(frame: pd.DataFrame, prefix: str) -> list[str]:
    return [c for c in frame.columns if c.startswith(prefix)]


def territory_over_time(result: ResultSet) -> Figure:
    """Each side's territory share over time: median and 5–95% band across replications."""
    fig = Figure(figsize=(8, 4.8), layout="constrained")
    series = result.timeseries
    sides = _columns(series, "territory.")
    if not sides:
        return _empty(fig, f"{result.name}: no territory series in this result set")
    horizon = scenario_horizon(result)
    ax = fig.add_subplot()
    for i, column in enumerate(sides):
        band = bands(series, column, horizon)
        side = column.split(".", 1)[1]
        ax.fill_between(
            band.index, band["low"], band["high"], color=_color(i), alpha=0.2, linewidth=0
        )
        ax.plot(band.index, band["median"], color=_color(i), linewidth=2, label=side)
    ax.set_ylim(0, 1)
    ax.set_xlabel("step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("territory share")
    ax.set_title(f"Territory over time — {result.name}")
    ax.grid(alpha=0.3)
    ax.legend(title="side (median, 5–95% band)", loc="best", fontsize=9)
    n = series["replication"].nunique()
    ax.annotate(
        f"{n} replications; settled runs held at their last value",
        xy=(0, -0.16),
        xycoords="axes fraction",
        fontsize=8,
        color="#555555",
    )
    return fig


def forecast_over_time(results: ResultSet | Sequence[ResultSet]) -> Figure:
    """The talks' forecast on each issue over time: one line (median) and 5–95% band per run."""
    runs = _as_list(results)
    labels = scenario_labels(runs)
    issues = list(
        dict.fromkeys(
            c.split(".", 1)[1] for run in runs for c in _columns(run.timeseries, "forecast.")
        )
    )
    if not issues:
        return _empty(
            Figure(figsize=(8, 3), layout="constrained"), "no forecast series in these result sets"
        )
    fig = Figure(figsize=(8, 3.4 * len(issues)), layout="constrained")
    axes = fig.subplots(len(issues), 1, squeeze=False, sharex=True)[:, 0]
    for ax, issue in zip(axes, issues, strict=True):
        for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
            band = bands(run.timeseries, f"forecast.{issue}", scenario_horizon(run))
            if band.empty:
                continue
            ax.fill_between(
                band.index, band["low"], band["high"], color=_color(i), alpha=0.18, linewidth=0
            )
            ax.plot(band.index, band["median"], color=_color(i), linewidth=2, label=label)
        ax.set_title(f"Forecast of the talks — {issue}")
        ax.set_ylabel(f"{issue} (issue scale)")
        ax.grid(alpha=0.3)
        ax.legend(title="median, 5–95% band", fontsize=9, loc="best")
    axes[-1].set_xlabel("step")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def outcome_distributions(
    results: ResultSet | Sequence[ResultSet], outcomes: Sequence[str] | str | None = None
) -> Figure:
    """Each outcome's distribution by scenario.

    Numbers: box plots (whiskers at 5–95%, mean as a diamond). Booleans: the
    probability as a bar with its 95% Wilson interval.

    Args:
        results: the runs.
        outcomes: outcome names (as for ``compare``); default, the headline outcomes.

    Returns:
        The figure, one panel per outcome.

    """
    runs = _as_list(results)
    labels = scenario_labels(runs)
    tables = [run.outcomes for run in runs]
    names = resolve_outcomes(tables, outcomes)
    if not names:
        return _empty(Figure(figsize=(6, 3), layout="constrained"), "no outcomes to plot")
    ncols = min(3, len(names))
    nrows = math.ceil(len(names) / ncols)
    width = max(4.0, 0.9 * len(runs) + 2.2)
    fig = Figure(figsize=(width * ncols, 3.3 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    positions = np.arange(len(runs))
    rotate = max(len(label) for label in labels) > 10 or len(runs) > 4
    for ax, name in zip(axes, names, strict=False):
        boolean = outcome_is_boolean(tables, name)
        columns = [outcome_column(table, name) for table in tables]
        if boolean:
            estimates = [
                stats.NAN_ESTIMATE if c is None else stats.proportion_interval(c) for c in columns
            ]
            heights = np.array([e.estimate for e in estimates])
            low = np.array([e.estimate - e.low for e in estimates])
            high = np.array([e.high - e.estimate for e in estimates])
            ax.bar(
                positions,
                np.nan_to_num(heights),
                color=[_color(i) for i in positions],
                alpha=0.8,
                yerr=np.nan_to_num(np.vstack([low, high])),
                capsize=4,
            )
            ax.set_ylim(0, 1)
            ax.set_ylabel("probability (95% CI)")
        else:
            data = [
                stats.to_float(c)[~np.isnan(stats.to_float(c))] if c is not None else np.array([])
                for c in columns
            ]
            present = [i for i, d in enumerate(data) if len(d)]
            if present:
                boxes = ax.boxplot(
                    [data[i] for i in present],
                    positions=positions[present],
                    whis=(5, 95),
                    showmeans=True,
                    showfliers=False,
                    widths=0.6,
                    patch_artist=True,
                    meanprops={
                        "marker": "D",
                        "markerfacecolor": "white",
                        "markeredgecolor": "black",
                        "markersize": 5,
                    },
                    medianprops={"color": "black"},
                )
                for patch, i in zip(boxes["boxes"], present, strict=True):
                    patch.set_facecolor(_color(i))
                    patch.set_alpha(0.6)
            ax.set_ylabel("value")
        for i, column in enumerate(columns):
            if column is None or column.notna().sum() == 0:
                ax.text(
                    i,
                    0.5,
                    "no data",
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    fontsize=8,
                    color="#777777",
                )
        ax.set_xticks(positions)
        ax.set_xticklabels(
            labels, rotation=30 if rotate else 0, ha="right" if rotate else "center", fontsize=9
        )
        ax.set_xlim(-0.6, len(runs) - 0.4)
        ax.set_title(name, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    return fig


def leverage_matrix(result: ResultSet, step: str = "start") -> pd.Series:
    """Mean effective leverage per (holder, target) across replications at the start or end.

    Entries absent from a replication count as zero (only non-zero entries are stored).

    Args:
        result: the run.
        step: ``"start"`` (each replication's first recorded step) or ``"end"`` (its last).

    Returns:
        A Series indexed by (holder, target).

    """
    if step not in ("start", "end"):
        raise ValueError(f"step must be 'start' or 'end', not {step!r}")
    table = result.leverage
    if table.empty:
        return pd.Series(dtype=float)
    pick = "min" if step == "start" else "max"
    chosen = table[table["step"] == table.groupby("replication")["step"].transform(pick)]
    replications = max(
        int(table["replication"].nunique()),
        int(result.outcomes["replication"].nunique())
        if "replication" in result.outcomes.columns
        else 0,
    )
    totals = chosen.groupby(["holder", "target"])["value"].sum()
    return (totals / max(replications, 1)).sort_index()


def leverage_network(result: ResultSet, step: str = "start", scale: float | None = None) -> Figure:
    """Who holds leverage over whom: actors on a circle, arrows holder → target.

    Arrow width is proportional to the mean effective leverage across replications.

    Args:
        result: the run.
        step: ``"start"`` or ``"end"`` of each replication.
        scale: the leverage drawn at full width (default: the largest shown); give
            the same scale to make start and end comparable.

    Returns:
        The figure.

    """
    fig = Figure(figsize=(7.5, 7.5), layout="constrained")
    values = leverage_matrix(result, step)
    if values.empty:
        return _empty(fig, f"{result.name}: no leverage recorded")
    nodes = sorted(set(values.index.get_level_values(0)) | set(values.index.get_level_values(1)))
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(nodes)) / len(nodes)
    where = {node: (math.cos(a), math.sin(a)) for node, a in zip(nodes, angles, strict=True)}
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    biggest = float(scale) if scale else float(values.max())
    biggest = biggest if biggest > 0 else 1.0
    max_width = 9.0
    for (holder, target), value in values.items():
        if value <= 0 or holder == target:
            continue
        width = max_width * value / biggest
        style = ArrowStyle.Simple(tail_width=width, head_width=2 * width + 6, head_length=width + 9)
        arrow = FancyArrowPatch(
            where[holder],
            where[target],
            arrowstyle=style,
            connectionstyle="arc3,rad=0.15",
            mutation_scale=1,
            linewidth=0,
            color="#2b5d8a",
            alpha=0.75,
            shrinkA=30,
            shrinkB=30,
            zorder=1,
        )
        ax.add_patch(arrow)
    xs, ys = zip(*(where[n] for n in nodes), strict=True)
    ax.scatter(xs, ys, s=2000, color="#f4f1e8", edgecolors="#333333", linewidths=1.5, zorder=2)
    for node in nodes:
        x, y = where[node]
        ax.text(
            x,
            y,
            node,
            ha="center",
            va="center",
            fontsize=9 if len(node) < 9 else 7,
            zorder=3,
            fontweight="bold",
        )
    when = "first" if step == "start" else "last"
    ax.set_title(f"Leverage — {result.name}, {when} step (mean over replications)")
    references = [v for v in (0.25 * biggest, 0.5 * biggest, biggest) if v > 0]
    handles = [
        Line2D([], [], color="#2b5d8a", alpha=0.75, linewidth=max_width * v / biggest)
        for v in references
    ]
    ax.legend(
        handles,
        [f"{v:.2g}" for v in references],
        title="holder → target leverage",
        loc="lower right",
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )
    return fig


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "run"


def figures(
    results: ResultSet | Sequence[ResultSet], outcomes: Sequence[str] | str | None = None
) -> list[tuple[str, str, Figure]]:
    """Every standard figure for the runs, as ``(file stem, caption, figure)``."""
    runs = _as_list(results)
    labels = scenario_labels(runs)
    made: list[tuple[str, str, Any]] = []
    if any(not run.outcomes.empty for run in runs):
        made.append(
            (
                "outcome_distributions",
                "Outcome distributions by scenario",
                outcome_distributions(runs, outcomes),
            )
        )
    if any(_columns(run.timeseries, "forecast.") for run in runs):
        made.append(
            ("forecast_over_time", "The talks' forecast over time", forecast_over_time(runs))
        )
    for run, label in zip(runs, labels, strict=True):
        if _columns(run.timeseries, "territory."):
            made.append(
                (
                    f"territory_{_safe(label)}",
                    f"Territory over time — {label}",
                    territory_over_time(run),
                )
            )
        if not run.leverage.empty:
            scale = max(float(leverage_matrix(run, step).max()) for step in ("start", "end"))
            for step in ("start", "end"):
                made.append(
                    (
                        f"leverage_{_safe(label)}_{step}",
                        f"Leverage network — {label}, {step} (same scale)",
                        leverage_network(run, step, scale=scale),
                    )
                )
    return made


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_all(
    results: ResultSet | Sequence[ResultSet],
    folder: str | Path,
    outcomes: Sequence[str] | str | None = None,
) -> list[Path]:
    """Write every standard figure as a PNG in ``folder`` (created if needed).

    Returns:
        The paths written.

    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, _caption, fig in figures(results, outcomes):
        path = target / f"{stem}.png"
        fig.savefig(path, dpi=DPI)
        written.append(path)
    return written
