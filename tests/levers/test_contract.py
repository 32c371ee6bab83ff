"""The contract every lever meets (absent → no effect; inactive outside its window;
reproducible with a seed), and each lever's own effect."""

import math

import numpy as np
import pytest

from sim.engine import Blueprint
from sim.levers import LEVERS
from sim.model import run_replication
from tests.factories import make_scenario, outcomes, scenario_data, war_changes, with_levers

EXAMPLES = {
    "sanctions": {
        "type": "sanctions",
        "senders": ["outsider"],
        "targets": ["patron"],
        "intensity": 0.002,
    },
    "safe_zone": {
        "type": "safe_zone",
        "sponsors": ["outsider"],
        "protects": "reb",
        "share": 0.6,
        "force": 20,
        "incident_risk": 0.5,
    },
    "military_aid": {
        "type": "military_aid",
        "donor": "outsider",
        "recipient": "reb",
        "amount": 100,
    },
    "deployment": {"type": "deployment", "actor": "patron", "to": 0.2, "ramp": 3},
    "pressure": {"type": "pressure", "sender": "patron", "target": "client", "intensity": 1.0},
    "talks": {"type": "talks", "participants": ["patron", "client", "outsider"]},
    "guarantee": {
        "type": "guarantee",
        "guarantors": ["outsider"],
        "protects": "reb",
        "troops": 10,
        "troops_needed": 20,
        "credibility": 0.8,
    },
    "sanctions_threat": {
        "type": "sanctions_threat",
        "name": "threat",
        "senders": ["outsider"],
        "targets": ["patron"],
        "demand": {"issue": "tenure", "value": 0.3},
        "deadline": 1,
        "intensity": 0.002,
    },
    "ceasefire": {
        "type": "ceasefire",
        "name": "truce",
        "fronts": [["gov", "reb"]],
        "reduction": 0.9,
        "monitoring": 0.5,
    },
    "conditional_support": {
        "type": "conditional_support",
        "patron": "patron",
        "client": "client",
        "issue": "tenure",
        "demand": 0.5,
    },
}
#: the scenario changes an example needs (the levers of how wars end need a war issue)
SETTINGS = {
    # (the guarantor pays for its troops; the rebels, who disarm, bear the war's costs)
    "guarantee": war_changes(outsider={"unit_cost": 1e-4}, rebels={"pain_tolerance": 5.0}),
    # (the patron holds no veto, so the client's reservation interval closes the range)
    "conditional_support": war_changes(patron={"veto": False}),
    # (a ceasefire acts on fronts: the toy's one contest as a front)
    "ceasefire": {"fronts": [{"sides": ["gov", "reb"], "allocation": {"gov": 1, "reb": 1}}]},
}
NOISY = {"noise": 0.01}


def setting(kind):
    """The toy scenario's changes for the example of lever ``kind`` (noisy battlefield)."""
    return {"battlefield": NOISY, **SETTINGS.get(kind, {})}


def test_every_registered_lever_has_an_example():
    assert set(EXAMPLES) == set(LEVERS.names())


def run(scenario, seed=5):
    model = run_replication(Blueprint(scenario), seed, 0)
    return model, outcomes(model)


def comparable(row):
    return {
        k: v
        for k, v in row.items()
        if not (isinstance(v, float) and math.isnan(v))
        and k != "coalition_cohesion"
        and not k.startswith("threat")  # (a threat never issued still has its columns)
        and not k.startswith("ceasefire.")  # (a ceasefire's columns exist when it is listed)
    }


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_outside_its_window_a_lever_does_nothing(kind):
    _, absent = run(make_scenario(**setting(kind)))
    _, late = run(with_levers(dict(EXAMPLES[kind], start=50), **setting(kind)))
    assert comparable(late) == comparable(absent)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_lever_is_reproducible_with_a_seed(kind):
    scenario = with_levers(EXAMPLES[kind], **setting(kind))
    assert run(scenario)[1] == run(scenario)[1]


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_lever_has_an_effect(kind):
    _, absent = run(make_scenario(**setting(kind)))
    _, present = run(with_levers(EXAMPLES[kind], **setting(kind)))
    assert comparable(present) != comparable(absent)


def test_sanctions_cost_the_target_and_buy_no_leverage():
    model, row = run(with_levers(EXAMPLES["sanctions"]))
    absent_model, absent = run(make_scenario())
    assert row["cost.patron"] > absent["cost.patron"]
    assert row["cost.outsider"] > absent["cost.outsider"]  # blowback
    # sanctions act through costs: no leverage term of their own (docs/model.md, step 5)
    np.testing.assert_array_equal(model.leverage, absent_model.leverage)
    assert row["coalition_cohesion"] == 1.0
    assert math.isnan(absent["coalition_cohesion"])


def test_sanctions_leak_through_partners_that_do_not_adopt():
    data = scenario_data()
    data["actors"]["patron"]["ties"] = {"outsider": 0.3, "rebels": 0.3}
    leaky = make_scenario(actors=data["actors"], levers=[EXAMPLES["sanctions"]])
    data["actors"]["patron"]["ties"] = {"outsider": 0.3}
    tight = make_scenario(actors=data["actors"], levers=[EXAMPLES["sanctions"]])
    assert run(leaky)[1]["cost.patron"] < run(tight)[1]["cost.patron"]
    broad = dict(EXAMPLES["sanctions"], senders=["outsider", "rebels"])
    data["actors"]["patron"]["ties"] = {"outsider": 0.3, "rebels": 0.3}
    both = make_scenario(actors=data["actors"], levers=[broad])
    assert run(both)[1]["cost.patron"] > run(tight)[1]["cost.patron"]


def test_senders_under_stress_stop_adopting():
    data = scenario_data()
    data["actors"]["outsider"]["pain_tolerance"] = 0.0001
    data["actors"]["outsider"]["ties"] = {"patron": 1.0}
    _, row = run(make_scenario(actors=data["actors"], levers=[EXAMPLES["sanctions"]]))
    assert row["coalition_cohesion"] == 0.0


def test_safe_zone_sets_a_floor_cuts_harm_and_risks_incidents():
    model, row = run(with_levers(EXAMPLES["safe_zone"]))
    _, absent = run(make_scenario())
    assert model.recorder.territory[1:, 0, 1].min() >= 0.6 - 1e-12
    assert row["civilian_harm"] < absent["civilian_harm"] * 1.5
    assert row["cost.outsider"] >= absent["cost.outsider"]
    assert model.recorder.force[1, 0, 2] == 30  # 10 own + 20 committed
    none = with_levers(dict(EXAMPLES["safe_zone"], incident_risk=0.0))
    assert not run(none)[1]["incident"]
    sure = with_levers(dict(EXAMPLES["safe_zone"], incident_risk=1.0))
    assert run(sure)[1]["incident"]


def test_safe_zone_reduces_civilian_harm():
    zone = dict(EXAMPLES["safe_zone"], force=0, harm_reduction=0.5, share=0.0)
    _, row = run(with_levers(zone))
    _, absent = run(make_scenario())
    assert row["civilian_harm"] == pytest.approx(absent["civilian_harm"] * 0.5)


def test_military_aid_strengthens_the_side_and_buys_leverage():
    model, row = run(with_levers(EXAMPLES["military_aid"]))
    _, absent = run(make_scenario())
    assert row["territory.reb"] > absent["territory.reb"]
    assert model.leverage[2, 3] > 0.5  # outsider over rebels rises above L


def test_deployment_ramps_force_linearly():
    model, _ = run(with_levers(EXAMPLES["deployment"]))
    np.testing.assert_allclose(model.recorder.force[:5, 0, 0], [30, 22, 14, 6, 6])
    # (withdrawing alone buys no leverage: a patron's leverage from the threat to abandon
    # is dependence x credibility, which needs a war issue and a credible threat)
    assert model.leverage[0, 1] == 0.5


def test_pressure_moves_the_target_toward_the_sender():
    _, pressed = run(with_levers(EXAMPLES["pressure"]))
    _, absent = run(make_scenario())
    gap = abs(pressed["position.client.tenure"] - pressed["position.patron.tenure"])
    assert gap < abs(absent["position.client.tenure"] - absent["position.patron.tenure"])


def test_talks_open_the_forum():
    _, row = run(with_levers(EXAMPLES["talks"], bargaining={"tolerance": 1.0, "hold": 2}))
    assert row["settled"]
