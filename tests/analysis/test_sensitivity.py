import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.sensitivity import NOTE_CONSTANT, sweep, top_parameters
from sim.errors import LeverageError
from sim.scenario import load_scenario
from sim.scenario.dump import dump_scenario
from tests.factories import make_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "patron_client.yaml"


@pytest.fixture(scope="module")
def example():
    return load_scenario(EXAMPLE)


@pytest.fixture(scope="module")
def no_talks(example):
    """The example without its talks: it never settles."""
    return example.model_copy(update={"levers": [x for x in example.levers if x.type != "talks"]})


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_territory_depends_on_the_withdrawal_not_on_resolve(example, method):
    result = sweep(
        example,
        method=method,
        samples=16,
        seed=2,
        outcomes=["territory.government", "forecast.tenure"],
    )
    key = "ST" if method == "sobol" else "mu_star"
    territory = result.indices[result.indices.outcome == "territory.government"]
    by = territory.set_index("parameter")[key]
    assert by.idxmax() == "levers.0.to"
    assert by["actors.patron.resolve"] == pytest.approx(0.0, abs=1e-9)
    forecast = result.indices[result.indices.outcome == "forecast.tenure"]
    assert forecast.set_index("parameter")[key]["actors.client.resolve"] > 0
    assert set(result.parameters) == {
        "actors.patron.resolve",
        "actors.client.resolve",
        "actors.rebels.resolve",
        "actors.patron.abandonment_credibility",
        "actors.rebels.reneging_risk",
        "levers.0.to",
    }


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
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(EXAMPLE),
            "--method",
            "morris",
            "--samples",
            "4",
            "--csv",
            str(tmp_path / "s.csv"),
            "--plot",
            str(tmp_path / "s.png"),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "levers.0.to" in done.stdout
    assert list(pd.read_csv(tmp_path / "s.csv").columns) == [
        "outcome",
        "parameter",
        "mu_star",
        "mu_star_conf",
        "sigma",
        "note",
    ]
    assert (tmp_path / "s.png").stat().st_size > 1000


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_constant_outcomes_get_indices_of_zero_with_a_note(no_talks, method):
    """The issue's crash (``KeyError: 'outcome'``) when every analysed outcome is constant."""
    result = sweep(no_talks, method=method, samples=4, seed=1, outcomes=["settled", "incident"])
    assert result.analysed == ["settled", "incident"] and result.skipped == {}
    indices = result.indices
    assert len(indices) == 2 * len(result.parameters)
    key = "ST" if method == "sobol" else "mu_star"
    assert (indices[key] == 0).all() and indices[f"{key}_conf"].isna().all()
    assert (indices["note"] == NOTE_CONSTANT).all()
    assert len(top_parameters(indices, 2)) == 4


def test_outcomes_missing_in_runs_are_listed_with_the_reason(no_talks):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning noise
        result = sweep(
            no_talks,
            method="morris",
            samples=4,
            seed=1,
            outcomes=["settlement_step", "civilian_harm"],
        )
    assert result.skipped == {"settlement_step": "missing (NaN) in every one of the 28 runs"}
    assert result.analysed == ["civilian_harm"]
    nothing = sweep(no_talks, method="morris", samples=4, seed=1, outcomes=["settlement_step"])
    assert nothing.analysed == [] and list(nothing.indices.columns) == [
        "outcome",
        "parameter",
        "mu_star",
        "mu_star_conf",
        "sigma",
        "note",
    ]
    assert top_parameters(nothing.indices).empty


def test_seed_zero_gives_the_same_intervals_every_time(example):
    """SALib's Sobol' analysis treats seed 0 as no seed; the sweep does not."""
    a, b = (
        sweep(example, "sobol", samples=8, seed=0, outcomes=["civilian_harm"]) for _ in range(2)
    )
    pd.testing.assert_frame_equal(a.indices, b.indices)
    assert a.indices["ST_conf"].gt(0).any()


def _sweep_cli(scenario: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(scenario),
            "--method",
            "morris",
            "--samples",
            "4",
            "--workers",
            "1",
            *args,
        ],
        capture_output=True,
        text=True,
    )


@pytest.fixture
def no_talks_file(no_talks, tmp_path):
    path = tmp_path / "no_talks.yaml"
    path.write_text(dump_scenario(no_talks))
    return path


def test_sweep_command_with_constant_and_missing_outcomes(no_talks_file, tmp_path):
    done = _sweep_cli(
        no_talks_file, "--outcomes", "settled,settlement_step", "--csv", str(tmp_path / "s.csv")
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "not analysed: settlement_step: missing (NaN) in every one of the 28 runs"
    ]
    assert f"settled: {NOTE_CONSTANT}" in done.stdout and "–" in done.stdout
    assert (tmp_path / "s.csv").exists()


def test_sweep_command_exits_1_when_nothing_is_analysed(no_talks_file, tmp_path):
    done = _sweep_cli(
        no_talks_file, "--outcomes", "settlement_step", "--csv", str(tmp_path / "s.csv")
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "not analysed: settlement_step: missing (NaN) in every one of the 28 runs",
        "no outcome could be analysed; nothing written",
    ]
    assert not (tmp_path / "s.csv").exists()


def test_a_failing_model_run_is_recorded_and_the_sweep_goes_on(example, monkeypatch):
    import numpy as np

    from sim.experiment import replication

    real = replication.run_engine
    reference = sweep(example, method="morris", samples=4, seed=3)
    failing = reference.samples.iloc[2].to_numpy()

    def flaky(blueprint, seed, numbers, record=True, chunk=None):
        values = chunk.values[np.asarray(numbers) - chunk.start]
        if (values == failing).all(axis=1).any():
            raise RuntimeError("boom")
        return real(blueprint, seed, numbers, record, chunk=chunk)

    monkeypatch.setattr(replication, "run_engine", flaky)
    result = sweep(example, method="morris", samples=4, seed=3, workers=1)
    assert [f["replication"] for f in result.failed] == [2]
    assert "RuntimeError: boom" in result.failed[0]["traceback"]
    assert "missing (NaN) in 1 of the 28 runs" in result.skipped["forecast.tenure"]
    ok = reference.outcomes.drop(index=2).reset_index(drop=True).astype(float)
    got = result.outcomes.drop(index=2).reset_index(drop=True).astype(float)
    pd.testing.assert_frame_equal(got, ok)
    assert np.isnan(result.outcomes.iloc[2].astype(float)).all()


def test_a_sweep_runs_the_same_numbers_on_any_executor_and_workers(example):
    one = sweep(example, method="morris", samples=4, seed=5, workers=1)
    two = sweep(example, method="morris", samples=4, seed=5, workers=2)
    pd.testing.assert_frame_equal(one.outcomes, two.outcomes)
    pd.testing.assert_frame_equal(one.indices, two.indices)
