import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

import sim.plots
from sim.analysis import plots
from sim.errors import LeverageError
from sim.results import ResultSet


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_readable_png(path):
    image = imread(path)
    assert image.shape[0] > 200 and image.shape[1] > 200
    rgb = image[..., :3]
    assert rgb.std() > 0.01  # not a blank canvas
    assert (rgb.min(axis=-1) < 0.9).mean() > 0.01  # some ink


def test_public_module_reexports():
    for name in (
        "outcome_distributions",
        "territory_over_time",
        "forecast_over_time",
        "leverage_network",
        "save_all",
    ):
        assert getattr(sim.plots, name) is getattr(plots, name)


def test_every_plot_returns_a_figure(runs):
    figures = [
        plots.outcome_distributions(runs, ["settled", "civilian_harm", "victory"]),
        plots.outcome_distributions(runs[0]),
        plots.territory_over_time(runs[0]),
        plots.forecast_over_time(runs),
        plots.forecast_over_time(runs[1]),
        plots.leverage_network(runs[0], "start"),
        plots.leverage_network(runs[0], step="end"),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        assert len(plots.png_bytes(fig)) > 5000


def test_outcome_distributions_panels(runs):
    fig = plots.outcome_distributions(runs, ["settled", "civilian_harm", "incident", "cost.usa"])
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == ["settled", "civilian_harm", "incident", "cost.usa"]
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["baseline", "sanctions", "withdrawal"]
    with pytest.raises(LeverageError):
        plots.outcome_distributions(runs, ["no_such_outcome"])


def test_outcome_missing_in_one_run_is_plotted_as_no_data(make_run):
    a = make_run("a", seed=1, replications=10)
    b = make_run("b", seed=1, replications=10, drop_outcomes=("coalition_cohesion",))
    fig = plots.outcome_distributions([a, b], ["coalition_cohesion"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "no data" in texts
    plots.png_bytes(fig)


def test_bands_carry_settled_runs_forward():
    series = pd.DataFrame(
        {
            "replication": [0, 0, 0, 1, 1, 1, 1, 1, 1],
            "step": [0, 1, 2, 0, 1, 2, 3, 4, 5],
            "x": [0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    band = plots.bands(series, "x", horizon=8)
    assert list(band.index) == list(range(9))
    # replication 0 stopped at step 2 with 1.0; it still counts at steps 3..8
    assert band.loc[5, "median"] == pytest.approx(0.5)
    assert band.loc[8, "median"] == pytest.approx(0.5)
    assert band.loc[8, "high"] == pytest.approx(0.95)
    assert band.loc[8, "low"] == pytest.approx(0.05)
    assert plots.bands(series, "missing").empty


def test_territory_uses_the_scenario_horizon(make_run):
    run = make_run("short", seed=2, replications=12, horizon=15)
    assert plots.scenario_horizon(run) == 15
    fig = plots.territory_over_time(run)
    ax = fig.axes[0]
    assert {line.get_label() for line in ax.lines} >= {"regime", "opposition", "isis"}
    assert max(max(line.get_xdata()) for line in ax.lines) == 15


def test_leverage_matrix_means_over_replications(make_run):
    run = make_run("lev", seed=3, replications=10)
    table = run.leverage
    # drop one entry from replication 0: it must count as zero, not be ignored
    first = table[(table.replication == 0) & (table.step == 0) & (table.holder == "russia")]
    run.__dict__["leverage"] = table.drop(first.index)
    start = plots.leverage_matrix(run, "start")
    expected = table[(table.step == 0) & (table.holder == "russia") & (table.replication > 0)]
    assert start[("russia", "regime")] == pytest.approx(expected.value.sum() / 10)
    end = plots.leverage_matrix(run, "end")
    assert end[("iran", "regime")] < start[("iran", "regime")]
    with pytest.raises(ValueError):
        plots.leverage_matrix(run, "middle")


def test_leverage_arrow_widths_are_proportional(runs):
    fig = plots.leverage_network(runs[0], "start")
    values = plots.leverage_matrix(runs[0], "start")
    widths = sorted(
        p.get_arrowstyle().tail_width for p in fig.axes[0].patches if hasattr(p, "get_arrowstyle")
    )
    ratio = np.array(widths) / np.sort(values.to_numpy())
    assert np.allclose(ratio, ratio[0])


def test_empty_tables_give_a_message_not_a_crash(runs, tmp_path):
    empty = ResultSet(path=tmp_path / "nothing", manifest={"scenario": "nothing"})
    for fig in (
        plots.territory_over_time(empty),
        plots.forecast_over_time([empty]),
        plots.leverage_network(empty),
    ):
        assert isinstance(fig, Figure)
        assert any("no " in t.get_text() for ax in fig.axes for t in ax.texts)
        plots.png_bytes(fig)


def test_save_all_writes_readable_pngs(runs, tmp_path):
    paths = plots.save_all(runs, tmp_path / "plots", outcomes=["settled", "civilian_harm"])
    names = {p.name for p in paths}
    assert {
        "outcome_distributions.png",
        "forecast_over_time.png",
        "territory_baseline.png",
        "leverage_sanctions_start.png",
        "leverage_withdrawal_end.png",
    } <= names
    assert len(paths) == 2 + 3 * 3
    for path in paths:
        assert path.is_file()
        assert_readable_png(path)


@pytest.mark.slow
def test_figures_display_inline_in_a_notebook(runs):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.v4.new_notebook()
    source = (
        "import sim.plots\n"
        "from sim.results import load\n"
        f"sim.plots.territory_over_time(load({str(runs[0].path)!r}))"
    )
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kernel start-up chatter is not ours
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    kinds = [kind for output in notebook.cells[0].outputs for kind in output.get("data", {})]
    assert "image/png" in kinds
