"""Compare result sets: each outcome's estimate per scenario and its difference from a baseline.

``compare(results, baseline=...)`` returns one row per outcome and scenario (outcomes
in order, scenarios in the order given) with the columns of :data:`COLUMNS`:

- ``n``: non-missing values of the outcome in that run;
- ``estimate``, ``low``, ``high``: the mean (numbers) or probability (booleans)
  with its 95% interval (see :mod:`sim.analysis.stats` for the methods);
- ``diff``, ``diff_low``, ``diff_high``: scenario minus baseline, with its 95%
  interval; paired (per replication) when both runs have the same seed and number
  of replications, unpaired otherwise (``paired``);
- the baseline's own row has ``diff = 0`` (NaN when it has no values), NaN
  ``diff_low``/``diff_high`` (it is not compared with itself) and ``paired`` True;
- ``note``, ``diff_note``: why ``low``/``high`` or ``diff_low``/``diff_high`` are
  missing (NaN), e.g. too few replications for a bootstrap; empty when the interval
  is there (and for the baseline's own difference). An interval is never zero width,
  and a difference without an interval is never marked as excluding zero.

The frame's ``attrs`` carry ``baseline`` (the baseline's label) and ``methods``.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import stats
from sim.errors import LeverageError
from sim.outcomes import headline
from sim.results import ResultSet, is_result_set, load

COLUMNS = (
    "outcome",
    "scenario",
    "n",
    "estimate",
    "low",
    "high",
    "diff",
    "diff_low",
    "diff_high",
    "paired",
    "note",
    "diff_note",
)
MAIN_ACTORS = 4
VICTORY = "victory"

Baseline = ResultSet | str | int | Path | None


# -- result sets, labels, baseline --------------------------------------------------------------


def check_complete(results: Sequence[ResultSet]) -> None:
    """Raise when a result set did not finish.

    Raises:
        LeverageError: naming the first incomplete run and how to finish it.

    """
    for result in results:
        if not result.complete:
            status = result.manifest.get("status", "missing")
            raise LeverageError(
                f"{result.path}: result set is not complete (status: {status}); "
                f"finish it with `sim run --resume {result.path}`"
            )


def scenario_labels(results: Sequence[ResultSet]) -> list[str]:
    """Each run's label: its scenario's name, with the run folder added when names repeat."""
    names = [r.name for r in results]
    labels = [
        f"{name} ({r.path.name})" if names.count(name) > 1 else name
        for name, r in zip(names, results, strict=True)
    ]
    for i, label in enumerate(labels):
        if labels.count(label) > 1:
            labels[i] = f"{label} #{i + 1}"
    return labels


def _same_path(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def resolve_baseline(
    results: Sequence[ResultSet] | ResultSet, baseline: Baseline = None
) -> tuple[list[ResultSet], int]:
    """Find the baseline among ``results``.

    Args:
        results: the runs, in order (a single ``ResultSet`` is allowed).
        baseline: None (the first run), an index, a scenario name or label, a run
            folder (path or folder name), or a ``ResultSet`` (added in front when it
            is not among ``results``).

    Returns:
        The runs (possibly with the baseline added in front) and the baseline's index.

    Raises:
        LeverageError: when ``baseline`` names no run, or several.

    """
    results = [results] if isinstance(results, ResultSet) else list(results)
    if not results:
        raise LeverageError("nothing to compare: give at least one result set")
    if baseline is None:
        return results, 0
    if isinstance(baseline, ResultSet):
        for i, result in enumerate(results):
            if result is baseline or _same_path(result.path, baseline.path):
                return results, i
        return [baseline, *results], 0
    labels = scenario_labels(results)
    if isinstance(baseline, int | np.integer) and not isinstance(baseline, bool):
        index = int(baseline)
        if not -len(results) <= index < len(results):
            raise LeverageError(
                f"baseline index {index} is out of range: there are {len(results)} result sets"
            )
        return results, index % len(results)
    text = str(baseline)
    tests = (
        lambda i: labels[i] == text,
        lambda i: results[i].name == text,
        lambda i: _same_path(results[i].path, Path(text)),
        lambda i: results[i].path.name == text,
    )
    for test in tests:
        found = [i for i in range(len(results)) if test(i)]
        if len(found) == 1:
            return results, found[0]
        if len(found) > 1:
            raise LeverageError(
                f"baseline {text!r} is ambiguous: it names {len(found)} runs; "
                f"use one of: {', '.join(labels[i] for i in found)}"
            )
    if is_result_set(Path(text)):  # a result set not among the runs: added in front
        return [load(text), *results], 0
    raise LeverageError(f"unknown baseline {text!r}; the runs are: {', '.join(labels)}")


def is_paired(a: ResultSet, b: ResultSet) -> bool:
    """True when two runs used common random numbers: same seed and same replications."""
    keys = ("seed", "replications")
    return all(a.manifest.get(k) is not None for k in keys) and all(
        a.manifest.get(k) == b.manifest.get(k) for k in keys
    )


# -- outcomes -----------------------------------------------------------------------------------


def _categories(tables: Sequence[pd.DataFrame]) -> dict[str, list[str]]:
    """The category outcomes (text columns such as ``victory`` or ``threat.<name>``) and
    their values across the runs. ``victory`` lists every side (from ``territory.<side>``)
    then ``none``, whether or not it occurred.
    """
    out: dict[str, list[str]] = {}
    for table in tables:
        for column in table.columns:
            if column == "replication" or not _is_category(table[column]):
                continue
            values = out.setdefault(column, [])
            if column == VICTORY:
                values += [c.split(".", 1)[1] for c in table.columns if c.startswith("territory.")]
            values += sorted(str(v) for v in table[column].dropna().unique())
    for column, values in out.items():
        values = list(dict.fromkeys(values))
        out[column] = [v for v in values if v != "none"] + (["none"] if "none" in values else [])
    return out


def _is_category(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or stats.is_boolean(series))


def _category_of(name: str, tables: Sequence[pd.DataFrame]) -> tuple[str, str] | None:
    """(column, value) when ``name`` is a category's indicator ``<column>.<value>``."""
    for column in _categories(tables):
        if name.startswith(f"{column}.") and not any(name in t.columns for t in tables):
            return column, name[len(column) + 1 :]
    return None


def available_outcomes(tables: Sequence[pd.DataFrame]) -> list[str]:
    """The outcome names that can be compared: numeric and boolean columns, and one
    indicator per value of each category (``victory.<side>``, ``threat.<name>.imposed``).
    """
    names: list[str] = []
    for table in tables:
        for column in table.columns:
            if column == "replication" or _is_category(table[column]):
                continue
            names.append(column)
    for column, values in _categories(tables).items():
        names += [f"{column}.{value}" for value in values]
    return list(dict.fromkeys(names))


def default_outcomes(tables: Sequence[pd.DataFrame], baseline: int = 0) -> list[str]:
    """The headline outcomes present in the runs (``sim.outcomes.headline``), with
    ``cost.<actor>`` only for the (at most 4) actors with the largest mean cost in the
    baseline.
    """
    valid = available_outcomes(tables)
    chosen = [name for name in headline(valid) if not name.startswith("cost.")]
    costs = [name for name in valid if name.startswith("cost.")]
    order = [baseline, *[i for i in range(len(tables)) if i != baseline]]
    source = next((tables[i] for i in order if any(c in tables[i].columns for c in costs)), None)
    if source is not None:
        means = {
            c: to_numbers(source[c]).mean() if c in source.columns else -math.inf for c in costs
        }
        means = {c: (m if np.isfinite(m) else -math.inf) for c, m in means.items()}
        top = sorted(costs, key=lambda c: (-means[c], c))[:MAIN_ACTORS]
        chosen += [c for c in costs if c in top]
    return list(dict.fromkeys(chosen))


def suggest(name: str, valid: Sequence[str]) -> str:
    """What to say about an unknown outcome: the closest names, or a few valid ones."""
    close = difflib.get_close_matches(name, list(valid), n=3)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    heads = sorted({v.split(".")[0] + (".*" if "." in v else "") for v in valid})
    return f"expected one of the outcomes ({', '.join(heads)}; see docs/outputs.md)"


def parse_outcomes(outcomes: str | Sequence[str] | None) -> list[str] | None:
    """Outcome names from a comma-separated string or a sequence; None stays None."""
    if outcomes is None:
        return None
    items = outcomes.split(",") if isinstance(outcomes, str) else list(outcomes)
    names = [str(item).strip() for item in items]
    names = [name for name in names if name]
    return names or None


def resolve_outcomes(
    tables: Sequence[pd.DataFrame], outcomes: Sequence[str] | None, baseline: int = 0
) -> list[str]:
    """The outcome names to compare, checked.

    A category (``victory``, ``threat.<name>``) expands to one indicator per value
    (``victory.<side>``); shell-style patterns (``cost.*``) expand to the matching
    outcomes.

    Raises:
        LeverageError: for a name that matches no outcome, listing the valid ones.

    """
    valid = available_outcomes(tables)
    if not valid:
        raise LeverageError("no outcomes to compare: the result sets have no outcomes table")
    if outcomes is None:
        return default_outcomes(tables, baseline)
    chosen: list[str] = []
    categories = _categories(tables)
    for name in parse_outcomes(outcomes) or []:
        if name in categories:
            found = [f"{name}.{value}" for value in categories[name]]
        elif any(ch in name for ch in "*?["):
            found = [v for v in valid if fnmatch.fnmatchcase(v, name)]
        else:
            found = [name] if name in valid else []
        if not found:
            raise LeverageError(f"unknown outcome {name!r}; {suggest(name, valid)}")
        chosen += found
    return list(dict.fromkeys(chosen))


def check_outcomes(tables: Sequence[pd.DataFrame], outcomes: str | Sequence[str] | None) -> None:
    """Check outcome names against sample tables before anything long runs (``sim compare``
    of scenario files checks them on one replication of each): as ``resolve_outcomes``,
    except that any value of a category outcome is accepted (a sample need not show every
    value, such as ``threat.<name>.conceded``).

    Raises:
        LeverageError: for a name that matches no outcome, listing the valid ones.

    """
    categories = _categories(tables)
    names = [
        name
        for name in parse_outcomes(outcomes) or []
        if not any(name.startswith(f"{column}.") for column in categories)
    ]
    if names:
        resolve_outcomes(tables, names)


def to_numbers(series: pd.Series) -> pd.Series:
    """The series as floats (booleans as 0/1, missing as NaN), same index."""
    return pd.Series(stats.to_float(series), index=series.index)


def outcome_column(table: pd.DataFrame, name: str) -> pd.Series | None:
    """The outcome ``name`` of one run as floats, or None when the run lacks it."""
    if name not in table.columns:
        category = _category_of(name, [table])
        if category is not None:
            column, value = category
            values = (table[column].astype(object) == value).astype(float)
            return values.where(table[column].notna())
        return None
    return to_numbers(table[name])


def outcome_is_boolean(tables: Sequence[pd.DataFrame], name: str) -> bool:
    """Whether ``name`` is a boolean outcome (in any run that has values for it)."""
    if not any(name in t.columns for t in tables):
        return True  # (a category's indicator)
    return any(
        stats.is_boolean(t[name]) for t in tables if name in t.columns and t[name].notna().any()
    )


def _by_replication(table: pd.DataFrame, values: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"replication": table["replication"].to_numpy(), "v": values.to_numpy()})
    frame = frame.drop_duplicates("replication", keep="last")
    return frame.set_index("replication")["v"]


def _difference(
    values: pd.Series,
    base: pd.Series,
    table: pd.DataFrame,
    base_table: pd.DataFrame,
    paired: bool,
    boolean: bool,
) -> stats.Difference:
    if paired:
        x = _by_replication(table, values)
        y = _by_replication(base_table, base)
        common = x.index.intersection(y.index)
        return stats.paired_difference(x.loc[common], y.loc[common], boolean=boolean)
    return stats.unpaired_difference(values, base, boolean=boolean)


# -- compare ------------------------------------------------------------------------------------


def compare(
    results: Sequence[ResultSet] | ResultSet,
    baseline: Baseline = None,
    outcomes: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """Estimate each outcome in each run, and its difference from the baseline.

    Args:
        results: the runs, in the order of the table.
        baseline: the reference run: None for the first, or an index, a scenario name
            (or label), a run folder, or a ``ResultSet``.
        outcomes: outcome names (or a comma-separated string); ``victory`` expands to
            ``victory.<side>`` booleans and patterns like ``cost.*`` are allowed.
            Default: the headline outcomes (see :func:`default_outcomes`).

    Returns:
        A frame with the columns of :data:`COLUMNS`, one row per outcome and run.
        An outcome a run lacks gives NaN for that run.

    Raises:
        LeverageError: for an unknown outcome or baseline, or an incomplete run.

    """
    runs, base = resolve_baseline(results, baseline)
    check_complete(runs)
    labels = scenario_labels(runs)
    tables = [run.outcomes for run in runs]
    names = resolve_outcomes(tables, outcomes, base)
    pairing = [
        is_paired(run, runs[base])
        and "replication" in table.columns
        and "replication" in tables[base].columns
        for run, table in zip(runs, tables, strict=True)
    ]
    rows = []
    for name in names:
        boolean = outcome_is_boolean(tables, name)
        columns = [outcome_column(table, name) for table in tables]
        base_values = columns[base]
        for i, (label, values) in enumerate(zip(labels, columns, strict=True)):
            est = stats.NAN_ESTIMATE if values is None else stats.estimate(values, boolean)
            if i == base:
                diff = stats.Difference(est.n, 0.0 if est.n else math.nan, math.nan, math.nan, True)
            elif values is None or base_values is None:
                diff = stats.Difference(
                    0, math.nan, math.nan, math.nan, pairing[i], stats.NOTE_NO_VALUES
                )
            else:
                diff = _difference(
                    values, base_values, tables[i], tables[base], pairing[i], boolean
                )
            rows.append(
                (
                    name,
                    label,
                    est.n,
                    est.estimate,
                    est.low,
                    est.high,
                    diff.diff,
                    diff.low,
                    diff.high,
                    bool(pairing[i] if i != base else True),
                    est.note,
                    diff.note,
                )
            )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.astype(
        {
            "outcome": object,
            "scenario": object,
            "n": "int64",
            "estimate": "float64",
            "low": "float64",
            "high": "float64",
            "diff": "float64",
            "diff_low": "float64",
            "diff_high": "float64",
            "paired": bool,
            "note": object,
            "diff_note": object,
        }
    )
    frame.attrs["baseline"] = labels[base]
    frame.attrs["methods"] = stats.describe_methods(
        [p for i, p in enumerate(pairing) if i != base] or [True]
    )
    return frame


# -- presentation -------------------------------------------------------------------------------


def fmt(value: float, signed: bool = False) -> str:
    """A number for a table: about 4 significant figures, ``—`` when missing."""
    if value is None or not np.isfinite(value):
        return "—"
    sign = "+" if signed else ""
    size = abs(value)
    if size != 0 and (size >= 1e6 or size < 1e-3):
        return f"{value:{sign}.3e}"
    decimals = 3 if size < 10 else 2 if size < 100 else 1 if size < 1000 else 0
    return f"{value:{sign}.{decimals}f}"


def _interval(low: float, high: float, signed: bool = False) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "—"
    return f"[{fmt(low, signed)}, {fmt(high, signed)}]"


def _baseline_label(frame: pd.DataFrame) -> str:
    if frame.attrs.get("baseline"):
        return str(frame.attrs["baseline"])
    candidates = frame[(frame["diff"] == 0) & frame["diff_low"].isna()]["scenario"]
    return str(candidates.iloc[0]) if len(candidates) else "?"


def _is_baseline_row(row: Any, baseline: str) -> bool:
    return str(row.scenario) == baseline


def significant(frame: pd.DataFrame) -> pd.Series:
    """Rows whose difference interval excludes zero."""
    return pd.Series(
        [
            stats.excludes_zero(lo, hi)
            for lo, hi in zip(frame["diff_low"], frame["diff_high"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )


def legend(frame: pd.DataFrame) -> str:
    """The table's legend: baseline, pairing and methods, highlighting."""
    baseline = _baseline_label(frame)
    others = frame[frame["scenario"].astype(str) != baseline]
    if len(others) == 0:
        pairing = "no other run to compare"
    elif others["paired"].all():
        pairing = "all differences paired (same seed and replications)"
    elif not others["paired"].any():
        pairing = "all differences unpaired (different seeds or replications)"
    else:
        paired = sorted(set(others[others["paired"]]["scenario"].astype(str)))
        pairing = f"differences paired for {', '.join(paired)}; unpaired for the others"
    methods = frame.attrs.get("methods") or stats.describe_methods(list(others["paired"]) or True)
    text = (
        f"Baseline: {baseline}. Estimates are means (probabilities for yes/no outcomes) with "
        f"95% intervals; diff = scenario − baseline. {pairing[0].upper()}{pairing[1:]}. "
        f"Methods: {methods}. "
        "* (bold): the difference's 95% interval excludes zero."
    )
    notes = missing_notes(frame)
    if notes:
        text += f" — : no interval ({'; '.join(notes)}); never marked *."
    return text


def missing_notes(frame: pd.DataFrame) -> list[str]:
    """The distinct reasons, in order, why intervals in the table are missing."""
    found: list[str] = []
    for column in ("note", "diff_note"):
        if column in frame.columns:
            found += [str(n) for n in frame[column] if isinstance(n, str) and n]
    return list(dict.fromkeys(found))


def table_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows formatted for display (shared by the rich, Markdown and HTML tables)."""
    baseline = _baseline_label(frame)
    marks = significant(frame)
    rows = []
    previous = None
    for index, row in frame.iterrows():
        is_base = _is_baseline_row(row, baseline)
        rows.append(
            {
                "outcome": str(row.outcome),
                "first": row.outcome != previous,
                "scenario": str(row.scenario),
                "n": str(int(row.n)),
                "estimate": fmt(row.estimate),
                "ci": _interval(row.low, row.high),
                "diff": "baseline" if is_base else fmt(row["diff"], signed=True),
                "diff_ci": "" if is_base else _interval(row.diff_low, row.diff_high, signed=True),
                "paired": "" if is_base else ("paired" if row.paired else "unpaired"),
                "significant": bool(marks[index]) and not is_base,
                "sign": float(np.sign(row["diff"])) if np.isfinite(row["diff"]) else 0.0,
                "baseline": is_base,
            }
        )
        previous = row.outcome
    return rows


def format_table(frame: pd.DataFrame, title: str | None = None):  # noqa: ANN201 - rich Table
    """The comparison as a rich Table; differences excluding zero are bold and marked ``*``."""
    from rich.table import Table
    from rich.text import Text

    baseline = _baseline_label(frame)
    table = Table(
        title=title or f"Outcomes compared with the baseline {baseline}",
        caption=legend(frame),
        caption_justify="left",
        show_lines=False,
    )
    table.add_column("outcome", style="bold", no_wrap=True)
    table.add_column("scenario", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("estimate", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("diff", justify="right")
    table.add_column("diff 95% CI", justify="right")
    table.add_column("pairing")
    for row in table_rows(frame):
        if row["first"] and table.row_count:
            table.add_section()
        if row["significant"]:
            style = "bold cyan" if row["sign"] > 0 else "bold magenta"  # no good/bad colours
            diff = Text(row["diff"] + "*", style=style)
            diff_ci = Text(row["diff_ci"], style=style)
        else:
            diff = Text(row["diff"], style="dim" if row["baseline"] else "")
            diff_ci = Text(row["diff_ci"])
        table.add_row(
            row["outcome"] if row["first"] else "",
            row["scenario"],
            row["n"],
            row["estimate"],
            row["ci"],
            diff,
            diff_ci,
            row["paired"],
        )
    return table


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(frame: pd.DataFrame) -> str:
    """The comparison as a Markdown pipe table, followed by its legend."""
    header = ["outcome", "scenario", "n", "estimate", "95% CI", "diff", "diff 95% CI", "pairing"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---", "---", "--:", "--:", "--:", "--:", "--:", "---"]) + "|",
    ]
    for row in table_rows(frame):
        cells = [
            _md(row[key])
            for key in ("outcome", "scenario", "n", "estimate", "ci", "diff", "diff_ci", "paired")
        ]
        if row["significant"]:
            cells[5] = f"**{cells[5]}\\***"
            cells[6] = f"**{cells[6]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\n" + _md(legend(frame)) + "\n"


def to_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the comparison as CSV (the frame's columns, full precision)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False)
    return target
