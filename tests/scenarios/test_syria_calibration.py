"""The Syria baseline reproduces what happened over the following year (CALIBRATION.md)."""

from pathlib import Path

import pytest

import sim

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "syria_2016" / "baseline.yaml"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration") / "run"
    return sim.run(BASELINE, replications=500, out=out, workers=2)


def test_no_settlement_at_geneva(baseline):
    assert baseline.outcomes["settled"].mean() <= 0.2


def test_the_regime_gains_territory(baseline):
    series = baseline.timeseries
    start = series[series.step == 0].set_index("replication")["territory.regime"]
    end = baseline.outcomes.set_index("replication")["territory.regime"]
    assert (end > start).mean() >= 0.6


def test_russia_keeps_a_substantial_force(baseline):
    russia = baseline.actors[baseline.actors.actor == "russia"]
    start = russia[russia.step == 0].set_index("replication")["force"]
    end = russia[russia.step == 52].set_index("replication")["force"]
    assert len(end) == 500
    assert (end >= 0.5 * start).mean() >= 0.6
