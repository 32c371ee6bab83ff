"""The outcomes and series of how wars end, through the Python API, the Mesa view and the CLI."""

import subprocess
import sys
from pathlib import Path

import numpy as np

import sim
from sim.engine import Blueprint
from sim.model import run_replication
from tests.factories import make_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"


def test_a_run_of_a_war_scenario_reports_the_range(tmp_path):
    result = sim.run(EXAMPLE, replications=6, out=tmp_path / "run")
    o = result.outcomes
    for column in ("signed", "implemented", "broke_down", "binding_veto.tenure"):
        assert column in o.columns
    np.testing.assert_allclose(
        o["ripeness.tenure"], o["range_high.tenure"] - o["range_low.tenure"], rtol=1e-12
    )
    assert set(o["binding_veto.tenure"]) <= {"patron", "client", "outsider", "none"}
    series = result.timeseries
    assert {"range_low.tenure", "range_high.tenure", "ripeness.tenure"} <= set(series.columns)
    assert series[series.step == 0]["range_low.tenure"].isna().all()  # none before step 1
    assert series[series.step > 0]["range_low.tenure"].notna().all()


def test_without_a_war_issue_there_are_no_war_columns():
    model = run_replication(Blueprint(make_scenario()), 1, 0)
    row = model.outcomes()
    assert not [c for c in row if c.split(".")[0] in {"signed", "ripeness", "range_low"}]
    assert "range_low.tenure" not in model.timeseries().columns


def test_the_mesa_view_reads_the_range(tmp_path):
    model = run_replication(Blueprint(sim.load_scenario(EXAMPLE)), 1, 0)
    series = model.timeseries()
    last = series.iloc[-1]
    assert last["ripeness.tenure"] == model.outcomes()["ripeness.tenure"]


def test_the_cli_summary_leads_with_the_war_outcomes(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(EXAMPLE),
            "--replications",
            "5",
            "--out",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for name in ("signed", "implemented", "ripeness.tenure"):
        assert name in done.stdout


def test_run_replication_takes_a_scenario_file():
    model = run_replication(EXAMPLE, 1, 0)
    same = run_replication(Blueprint(sim.load_scenario(EXAMPLE)), 1, 0)
    assert model.outcomes() == same.outcomes()


def test_a_result_set_prints_on_one_line(tmp_path):
    result = sim.run(EXAMPLE, replications=2, out=tmp_path / "run")
    text = repr(result)
    assert "\n" not in text and len(text) < 300 and "patron_client" in text
