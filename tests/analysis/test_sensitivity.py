import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.sensitivity import sweep, top_parameters
from sim.errors import LeverageError
from sim.scenario import load_scenario
from tests.factories import make_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"


@pytest.fixture(scope="module")
def example():
    return load_scenario(EXAMPLE)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_territory_depends_on_the_withdrawal_not_on_resolve(example, method):
    result = sweep(example, method=method, samples=16, seed=2,
                   outcomes=["territory.government", "forecast.tenure"])
    key = "ST" if method == "sobol" else "mu_star"
    territory = result.indices[result.indices.outcome == "territory.government"]
    by = territory.set_index("parameter")[key]
    assert by.idxmax() == "levers.0.to"
    assert by["actors.patron.resolve"] == pytest.approx(0.0, abs=1e-9)
    forecast = result.indices[result.indices.outcome == "forecast.tenure"]
    assert forecast.set_index("parameter")[key]["actors.client.resolve"] > 0
    assert set(result.parameters) == {"actors.patron.resolve", "actors.client.resolve",
                                      "actors.rebels.resolve", "levers.0.to"}


def test_sweep_is_reproducible_and_parallel_agrees(example):
    a = sweep(example, "morris", samples=6, seed=3, workers=1)
    b = sweep(example, "morris", samples=6, seed=3, workers=2)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    assert top_parameters(a.indices, 1).groupby("outcome").size().eq(1).all()


def test_sweep_errors(example):
    with pytest.raises(LeverageError, match="no parameter drawn from a distribution"):
        sweep(make_scenario())
    with pytest.raises(LeverageError, match="unknown method"):
        sweep(example, method="fast")
    with pytest.raises(LeverageError, match="unknown outcome"):
        sweep(example, method="morris", samples=4, outcomes=["territory.nowhere"])


def test_sweep_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim", "sweep", str(EXAMPLE), "--method",
                           "morris", "--samples", "4", "--csv", str(tmp_path / "s.csv"),
                           "--plot", str(tmp_path / "s.png"), "--workers", "1"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "levers.0.to" in done.stdout
    assert list(pd.read_csv(tmp_path / "s.csv").columns) == [
        "outcome", "parameter", "mu_star", "mu_star_conf", "sigma"]
    assert (tmp_path / "s.png").stat().st_size > 1000
