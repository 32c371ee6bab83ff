import math
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from rich.table import Table

from sim.analysis import compare as compare_module
from sim.analysis import stats
from sim.analysis.command import compare_command
from sim.analysis.compare import (
    COLUMNS,
    compare,
    format_table,
    scenario_labels,
    significant,
    to_csv,
    to_markdown,
)
from sim.errors import LeverageError
from sim.results import load


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def rows(frame, outcome):
    return frame[frame.outcome == outcome].set_index("scenario")


def test_columns_order_and_baseline_row(runs):
    frame = compare(runs, outcomes=["civilian_harm", "settled"])
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame.outcome) == ["civilian_harm"] * 3 + ["settled"] * 3
    assert list(frame.scenario) == ["baseline", "sanctions", "withdrawal"] * 2
    assert frame.paired.dtype == bool and frame.n.dtype == np.int64
    base = frame[frame.scenario == "baseline"]
    assert (base["diff"] == 0).all()
    assert base.diff_low.isna().all() and base.diff_high.isna().all()
    assert base.paired.all()
    assert frame.attrs["baseline"] == "baseline"


def test_estimates_and_pairing(runs):
    frame = compare(runs, outcomes=["forecast.transition", "settled", "incident"])
    forecast = rows(frame, "forecast.transition")
    outcomes = {r.name: r.outcomes for r in runs}
    assert forecast.loc["sanctions", "n"] == 40 and forecast.loc["withdrawal", "n"] == 30
    assert forecast.loc["baseline", "estimate"] == pytest.approx(
        outcomes["baseline"]["forecast.transition"].mean()
    )
    assert forecast.loc["sanctions", "paired"] and not forecast.loc["withdrawal", "paired"]
    # the synthetic effect (+0.15) is found, tightly, with common random numbers
    s = forecast.loc["sanctions"]
    assert s["diff"] == pytest.approx(0.15, abs=0.01)
    assert 0.12 < s.diff_low < s["diff"] < s.diff_high < 0.18
    w = forecast.loc["withdrawal"]
    assert w.diff_high < 0
    for _, row in frame.iterrows():
        assert row.low <= row.estimate <= row.high
    settled = rows(frame, "settled")
    assert settled.loc["sanctions", "estimate"] == pytest.approx(
        outcomes["sanctions"]["settled"].mean()
    )
    assert 0 <= settled.loc["sanctions", "low"] <= settled.loc["sanctions", "high"] <= 1


def test_paired_difference_is_per_replication(make_run):
    a = make_run("a", seed=3, replications=25)
    b = make_run("b", seed=3, replications=25, shift=0.05)
    frame = compare([a, b], outcomes=["civilian_harm"])
    expected = (
        b.outcomes.set_index("replication")["civilian_harm"]
        - a.outcomes.set_index("replication")["civilian_harm"]
    ).mean()
    assert frame.iloc[1]["diff"] == pytest.approx(expected)
    assert frame.iloc[1].paired


def test_identical_runs_differ_by_exactly_zero(make_run):
    a = make_run("same", seed=5, replications=20, run_id="first")
    b = make_run("same", seed=5, replications=20, run_id="second")
    frame = compare([a, b], outcomes=["civilian_harm", "territory.regime"])
    other = frame[frame.scenario == "same (second)"]
    assert (other["diff"] == 0).all()
    assert other.diff_low.isna().all() and other.diff_high.isna().all()  # never [0, 0]
    assert (other.diff_note == stats.NOTE_CONSTANT_PAIRS).all()
    assert not significant(frame).any()


def test_one_replication_per_run_has_no_intervals_and_nothing_significant(make_run, tmp_path):
    """The issue's example: zero-width intervals and a starred difference from n = 1."""
    a = make_run("one_a", seed=5, replications=1)
    b = make_run("one_b", seed=5, replications=1, shift=0.3)
    frame = compare([a, b], outcomes=["civilian_harm", "coalition_cohesion", "settled"])
    numeric = frame[frame.outcome != "settled"]
    assert numeric.low.isna().all() and numeric.high.isna().all()
    assert (numeric.note == stats.NOTE_TOO_FEW).all()
    other = numeric[numeric.scenario == "one_b"]
    assert other["diff"].notna().all() and other.diff_low.isna().all()
    assert (other.diff_note == stats.NOTE_TOO_FEW_PAIRS).all()
    settled = frame[frame.outcome == "settled"]  # Wilson/Newcombe: wide, but there
    assert (settled.low < settled.high).all() and (settled.note == "").all()
    assert not significant(frame).any()
    text = render(format_table(frame)).export_text()
    assert "*" not in text.split("Baseline:")[0]
    assert f"— : no interval ({stats.NOTE_TOO_FEW}; {stats.NOTE_TOO_FEW_PAIRS})" in " ".join(
        text.split()
    )
    markdown = to_markdown(frame)
    assert "**" not in markdown and "| — |" in markdown and stats.NOTE_TOO_FEW in markdown
    written = pd.read_csv(to_csv(frame, tmp_path / "t.csv"), keep_default_na=False)
    rows = written[written.outcome == "civilian_harm"]
    assert (rows.low == "").all() and (rows.high == "").all()
    assert list(rows.note) == [stats.NOTE_TOO_FEW] * 2
    assert list(rows.diff_note) == ["", stats.NOTE_TOO_FEW_PAIRS]


def test_chunked_tables_compare_the_same(make_run):
    single = make_run("same", seed=11, replications=20, run_id="single")
    chunked = make_run("same", seed=11, replications=20, run_id="chunked", chunked=True)
    assert chunked.outcomes.equals(single.outcomes)
    frame = compare([single, chunked], outcomes=["civilian_harm", "cost.usa"])
    assert (frame["diff"] == 0).all()
    assert np.allclose(frame.estimate.iloc[[0, 2]], frame.estimate.iloc[[1, 3]])


@pytest.mark.parametrize("how", ["name", "index", "negative", "object", "path", "folder"])
def test_baseline_can_be_named(runs, how):
    target = runs[1]
    baseline = {
        "name": "sanctions",
        "index": 1,
        "negative": -2,
        "object": target,
        "path": str(target.path),
        "folder": target.path.name,
    }[how]
    frame = compare(runs, baseline=baseline, outcomes=["civilian_harm"])
    base = frame[frame.scenario == "sanctions"].iloc[0]
    assert base["diff"] == 0 and math.isnan(base.diff_low)
    assert frame.attrs["baseline"] == "sanctions"
    assert list(frame.scenario) == ["baseline", "sanctions", "withdrawal"]  # order kept
    assert rows(frame, "civilian_harm").loc["baseline", "paired"]


def test_baseline_object_outside_the_list_goes_first(runs):
    frame = compare(runs[1:], baseline=runs[0], outcomes=["settled"])
    assert list(frame.scenario) == ["baseline", "sanctions", "withdrawal"]
    assert frame.iloc[0]["diff"] == 0


def test_a_baseline_path_outside_the_list_goes_first(runs):
    frame = compare(runs[1:], baseline=str(runs[0].path), outcomes=["settled"])
    assert list(frame.scenario) == ["baseline", "sanctions", "withdrawal"]
    assert frame.iloc[0]["diff"] == 0


@pytest.mark.parametrize("baseline", ["nonesuch", 7, -4])
def test_unknown_baseline(runs, baseline):
    with pytest.raises(LeverageError) as error:
        compare(runs, baseline=baseline)
    assert "\n" not in str(error.value)


def test_ambiguous_baseline_name(make_run):
    a = make_run("dup", seed=1, replications=10, run_id="r1")
    b = make_run("dup", seed=1, replications=10, run_id="r2")
    assert scenario_labels([a, b]) == ["dup (r1)", "dup (r2)"]
    with pytest.raises(LeverageError, match="ambiguous"):
        compare([a, b], baseline="dup")
    frame = compare([a, b], baseline="dup (r2)", outcomes=["settled"])
    assert frame.attrs["baseline"] == "dup (r2)"


def test_same_folder_twice_gets_distinct_labels(runs):
    labels = scenario_labels([runs[0], runs[0]])
    assert len(set(labels)) == 2


def test_unknown_outcome_names_the_kinds_of_valid_ones(runs):
    with pytest.raises(LeverageError) as error:
        compare(runs, outcomes=["settled", "no_such_outcome"])
    message = str(error.value)
    assert "no_such_outcome" in message and "civilian_harm" in message
    assert "victory.*" in message and "\n" not in message
    with pytest.raises(LeverageError):
        compare(runs, outcomes=["nomatch.*"])


def test_incomplete_run_is_refused(make_run):
    good = make_run("baseline")
    partial = make_run("partial", status="running")
    with pytest.raises(LeverageError) as error:
        compare([good, partial])
    message = str(error.value)
    assert "not complete" in message and "running" in message
    assert f"sim run --resume {partial.path}" in message


def test_no_results(runs):
    with pytest.raises(LeverageError):
        compare([])


def test_outcome_missing_in_one_run_gives_nan(make_run):
    a = make_run("a", seed=2, replications=15)
    b = make_run("b", seed=2, replications=15, drop_outcomes=("coalition_cohesion",))
    frame = compare([a, b], outcomes=["coalition_cohesion", "civilian_harm"])
    missing = rows(frame, "coalition_cohesion").loc["b"]
    assert missing.n == 0 and math.isnan(missing.estimate) and math.isnan(missing["diff"])
    assert rows(frame, "coalition_cohesion").loc["a", "n"] == 15
    # and missing from the baseline: the baseline row is NaN, the others have no difference
    frame = compare([b, a], outcomes=["coalition_cohesion"])
    assert math.isnan(frame.iloc[0]["diff"]) and math.isnan(frame.iloc[1]["diff"])
    assert frame.iloc[1].n == 15


def test_nan_values_are_dropped_per_outcome(runs):
    frame = compare(runs, outcomes=["settlement_step"])
    for run, (_, row) in zip(runs, frame.iterrows(), strict=True):
        assert row.n == run.outcomes["settlement_step"].notna().sum()


def test_victory_is_expanded_to_booleans(runs):
    frame = compare(runs, outcomes=["victory"])
    assert set(frame.outcome) >= {
        "victory.regime",
        "victory.opposition",
        "victory.isis",
        "victory.none",
    }
    assert frame.outcome.iloc[-1] == "victory.none"
    totals = frame.groupby("scenario").estimate.sum()
    assert np.allclose(totals, 1.0)
    single = compare(runs, outcomes=["victory.none"])
    assert list(single.outcome.unique()) == ["victory.none"]
    assert (single.high <= 1).all() and (single.low >= 0).all()


def test_patterns_and_comma_separated_outcomes(runs):
    frame = compare(runs, outcomes="cost.*, settled")
    assert list(frame.outcome.unique()) == [
        f"cost.{a}" for a in ("regime", "russia", "iran", "usa", "turkey", "saudi")
    ] + ["settled"]


def test_default_outcomes_are_the_headline_ones(runs):
    frame = compare(runs)
    names = list(frame.outcome.unique())
    assert names[:2] == ["settled", "settlement_step"]
    for name in (
        "settlement_position.transition",
        "forecast.ceasefire",
        "territory.isis",
        "civilian_harm",
        "incident",
        "coalition_cohesion",
    ):
        assert name in names
    # the four actors with the largest mean cost in the baseline
    assert [n for n in names if n.startswith("cost.")] == [
        "cost.iran",
        "cost.usa",
        "cost.turkey",
        "cost.saudi",
    ]
    assert not any(
        n.startswith(("stress.", "position.", "param.", "triggered_step.")) for n in names
    )
    # one headline list (the outcome registry), shared with sim run and sim sweep
    from sim.outcomes import headline

    assert set(headline(names)) == set(names)


def test_missing_outcomes_table_is_an_error(runs, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(runs[0].path, folder)
    (folder / "outcomes.parquet").unlink()
    with pytest.raises(LeverageError, match="outcomes.parquet: missing"):
        compare([load(folder)])


def test_single_run(runs):
    frame = compare(runs[:1], outcomes=["settled"])
    assert len(frame) == 1 and frame.iloc[0]["diff"] == 0


def render(table):
    console = Console(record=True, width=220, color_system="truecolor")
    console.print(table)
    return console


def test_format_table_highlights_and_explains(runs):
    frame = compare(runs, outcomes=["forecast.transition", "coalition_cohesion"])
    table = format_table(frame)
    assert isinstance(table, Table)
    text = render(table).export_text()
    assert "forecast.transition" in text and "withdrawal" in text
    assert "*" in text
    assert "paired" in text and "unpaired" in text
    assert "excludes zero" in text and "Baseline: baseline" in text
    styles = [str(cell.style) for cell in table.columns[5]._cells if hasattr(cell, "style")]
    assert any("bold" in s for s in styles)


def test_format_table_all_paired_legend(make_run):
    a = make_run("a", seed=4, replications=12)
    b = make_run("b", seed=4, replications=12, shift=0.1)
    text = render(format_table(compare([a, b], outcomes=["settled"]))).export_text()
    assert "All differences paired" in text


def test_to_markdown(runs):
    frame = compare(runs, outcomes=["forecast.transition", "coalition_cohesion"])
    markdown = to_markdown(frame)
    lines = markdown.splitlines()
    assert lines[0].startswith("| outcome | scenario | n |")
    assert set(lines[1]) <= set("|-: ")
    table_lines = [line for line in lines if line.startswith("|")]
    assert len(table_lines) == 2 + len(frame)
    assert all(line.count("|") == lines[0].count("|") for line in table_lines)
    assert "**" in markdown and "\\*" in markdown
    assert "excludes zero" in lines[-1]


def test_to_markdown_escapes_pipes():
    frame = pd.DataFrame(
        [
            {
                "outcome": "a|b",
                "scenario": "x",
                "n": 3,
                "estimate": 1.0,
                "low": 0.5,
                "high": 1.5,
                "diff": 0.0,
                "diff_low": np.nan,
                "diff_high": np.nan,
                "paired": True,
            }
        ]
    )
    line = to_markdown(frame).splitlines()[2]
    assert "a\\|b" in line
    assert line.replace("\\|", "").count("|") == 9


def test_compare_command_writes_everything(runs, tmp_path):
    console = Console(record=True, width=200)
    out = tmp_path / "out"
    frame = compare_command(
        runs,
        baseline="baseline",
        outcomes="settled,civilian_harm",
        csv=out / "table.csv",
        markdown=out / "table.md",
        report=out / "report.html",
        console=console,
    )
    assert list(frame.outcome.unique()) == ["settled", "civilian_harm"]
    text = console.export_text()
    assert "civilian_harm" in text and "wrote" in text
    written = pd.read_csv(out / "table.csv")
    assert list(written.columns) == list(COLUMNS)
    assert np.allclose(written.estimate, frame.estimate)
    assert (out / "table.md").read_text().startswith("| outcome")
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_compare_command_without_files(runs):
    console = Console(record=True, width=200)
    frame = compare_command(runs, None, None, None, None, None, console)
    assert len(frame) > 0 and "settled" in console.export_text()


def test_fmt():
    fmt = compare_module.fmt
    assert fmt(math.nan) == "—"
    assert fmt(0.12345) == "0.123"
    assert fmt(12.345) == "12.35" or fmt(12.345) == "12.34"
    assert fmt(0.1, signed=True) == "+0.100"
    assert "e" in fmt(1.5e-5) and "e" in fmt(2.5e7)


def test_an_unknown_outcome_is_one_short_line_with_the_closest_names(runs):
    with pytest.raises(LeverageError) as error:
        compare(runs, outcomes=["civilian_harn"])
    message = str(error.value)
    assert "did you mean 'civilian_harm'?" in message and "\n" not in message
    assert len(message) < 200
    with pytest.raises(LeverageError, match=r"expected one of the outcomes \(.*cost\.\*"):
        compare(runs, outcomes=["zzzzzz"])
