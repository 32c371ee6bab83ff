"""The expected utility model inside the simulator reproduces the published EC example."""

from pathlib import Path

import pytest

from sim.engine import Blueprint
from sim.model import run_replication
from sim.scenario import load_scenario

EC = Path(__file__).resolve().parents[2] / "scenarios" / "validation" / "ec_emissions_1994.yaml"


def test_published_medians_and_moves_through_the_model():
    model = run_replication(Blueprint(load_scenario(EC)), 0, 0)
    forecast = model.timeseries()["forecast.emission_year"].tolist()
    assert forecast[:4] == pytest.approx([7.0, 8.415932, 9.610859, 9.96198], abs=1e-3)
    positions = model.actor_series().set_index(["step", "actor"])["position.emission_year"]
    assert positions[(1, "belgium")] == pytest.approx(8.415932, abs=1e-3)
    assert positions[(1, "luxembourg")] == pytest.approx(7.0, abs=1e-3)
    assert positions[(1, "ireland")] == pytest.approx(4.0, abs=1e-3)
    assert positions[(3, "ireland")] == pytest.approx(8.4159, abs=1e-3)
    assert positions[(1, "germany")] == 4.0


SYRIA = EC.parents[1] / "syria_2016" / "baseline.yaml"


def test_eum_runs_inside_the_syria_baseline_and_compares_with_influence(tmp_path):
    import sim

    influence = sim.run(SYRIA, replications=4, out=tmp_path / "influence", executor="serial")
    eum = sim.run(
        SYRIA,
        overrides=["bargaining.model=eum"],
        replications=4,
        out=tmp_path / "eum",
        executor="serial",
    )
    assert eum.scenario.bargaining.model == "eum"
    forecast = eum.timeseries["forecast.assad_tenure"]
    assert forecast.between(0, 1).all() and forecast.nunique() > 1
    moved = eum.actors.groupby("actor")["position.assad_tenure"].nunique()
    assert (moved > 1).any()
    table = sim.compare([influence, eum], outcomes=["forecast.assad_tenure"])
    assert table["paired"].all() and len(table) == 2
