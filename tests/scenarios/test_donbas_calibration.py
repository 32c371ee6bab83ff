"""The Donbas baseline against the record of August 2014 - March 2015 (CALIBRATION.md).

Each test is one calibration target (or an untuned check) with the tolerance
scenarios/donbas_2014/CALIBRATION.md gives it; a target the model misses is an
``xfail(strict=True)`` test that documents the miss (it fails loudly if the miss goes away).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim

HERE = Path(__file__).resolve().parents[2] / "scenarios" / "donbas_2014"
REPLICATIONS = 300
#: weeks: Minsk II's ceasefire starts at week 26 (Monday 16 February 2015)
MINSK_II = 26


def _run(name: str, tmp_path_factory) -> sim.ResultSet:
    out = tmp_path_factory.mktemp(name) / "run"
    return sim.run(HERE / f"{name}.yaml", replications=REPLICATIONS, out=out, executor="serial")


def _series(result, column: str) -> np.ndarray:
    """(steps, replications), a settled run's last value carried to the horizon."""
    table = result.timeseries.pivot(index="step", columns="replication", values=column)
    return table.ffill().to_numpy()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _run("baseline", tmp_path_factory)


@pytest.fixture(scope="module")
def separatists(baseline) -> np.ndarray:
    return _series(baseline, "territory.separatists")


def test_ukraines_advance_is_reversed_after_russia_reacts(baseline, separatists):
    s = separatists
    assert (s[1:5].min(axis=0) < s[0]).mean() >= 0.6  # the advance goes on at first
    assert (s[8] > s[0]).mean() >= 0.5  # and is reversed by mid-October
    russia = baseline.actors[baseline.actors.actor == "russia"]
    force = russia.pivot(index="step", columns="replication", values="force").ffill()
    assert (force.loc[6] >= 2 * force.loc[0]).mean() >= 0.5  # Russia's own reaction


@pytest.mark.xfail(
    strict=True,
    reason="The record reverses Ukraine's advance within about two weeks of the crossing "
    "(Ilovaisk, 24-29 August; Novoazovsk, 27 August): the separatists held more at "
    "Minsk I (week 2) than at week 0. A reaction sees the deterioration only from step 3 "
    "(theta compares with step 1's expectation), so the model's reversal comes weeks late.",
)
def test_the_reversal_comes_within_four_weeks(separatists):
    assert (separatists[4] > separatists[0]).mean() >= 0.5


def test_minsk_i_is_violated_before_minsk_ii(baseline):
    o = baseline.outcomes
    broke = o["ceasefire.minsk_i.broke_down"] & (o["ceasefire.minsk_i.held_weeks"] <= MINSK_II - 3)
    assert broke.mean() >= 0.7


def test_renewed_offensives_in_winter(separatists):
    gain = separatists[MINSK_II] - separatists[16]  # from early December to mid-February
    assert (gain > 0).mean() >= 0.6
    assert 0.005 <= gain.mean() <= 0.04


def test_an_agreement_is_signed_but_not_implemented(baseline):
    assert baseline.outcomes["signed"].mean() >= 0.8
    assert baseline.outcomes["implemented"].mean() <= 0.2


def test_a_guarantee_could_have_implemented_it(baseline, tmp_path_factory):
    """Not by construction: the same runs with an armed guarantor implement more deals."""
    guaranteed = _run("armed_guarantor", tmp_path_factory).outcomes
    before = baseline.outcomes.set_index("replication")
    after = guaranteed.set_index("replication")
    assert after["implemented"].mean() >= before["implemented"].mean() + 0.05
    assert (after["ripeness.donbas_status"] >= before["ripeness.donbas_status"]).all()


def test_the_front_freezes_with_a_third_held_by_the_separatists(separatists):
    assert 0.28 <= separatists[-1].mean() <= 0.38
    assert np.abs(separatists[-1] - separatists[MINSK_II]).mean() <= 0.01


def test_without_russia_the_separatists_lose_ground(separatists, tmp_path_factory):
    alone = _series(_run("no_russian_intervention", tmp_path_factory), "territory.separatists")
    assert (alone[-1] < separatists[-1]).mean() >= 0.9
    assert (alone[-1] < alone[0]).mean() >= 0.7


@pytest.mark.xfail(
    strict=True,
    reason="Untuned check: OHCHR counted about 3,450 deaths from mid-August 2014 to 15 "
    "February 2015 (about 2,200 to 5,665); the model counts about 4,300 by week 26, 25% "
    "high, because Russia's added force raises the fighting strength that harm follows.",
)
def test_deaths_by_minsk_ii_within_a_fifth_of_ohchr(baseline):
    harm = _series(baseline, "civilian_harm")[MINSK_II]
    assert abs(pd.Series(harm).mean() / 3450 - 1) <= 0.2
