"""Sanction threats (concession, credibility, imposition, folding) and economic erosion
(docs/model.md, "Sanction threats and economic erosion")."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine import Blueprint, coercion
from sim.experiment.replication import run_engine
from sim.model import run_replication
from sim.outcomes import outcome_columns
from tests.factories import make_scenario, outcomes, scenario_data

THREAT = {
    "type": "sanctions_threat",
    "name": "t",
    "senders": ["outsider"],
    "targets": ["patron"],
    "demand": {"issue": "tenure", "value": 0.3},
    "deadline": 2,
    "intensity": 0.002,
}
# Toy numbers (tests/factories.py): the patron holds 0.3 of its ties with the outsider and
# none with anyone else, so the bite is 0.3 (nothing leaks); from the deadline (2) to the
# horizon (20) the sanctions would act 19 steps: the expected cost is 0.002 x 0.3 x 19.
EXPECTED_COST = 0.002 * 0.3 * 19
# At step 1 the patron stands at 0.9 (salience 0.6): its stake is tolerance x 0.6 x 0.6.
STAKE = 0.6 * abs(0.9 - 0.3)


def run(actors=None, levers=(THREAT,), seed=5, **changes):
    data = scenario_data()
    for name, fields in (actors or {}).items():
        data["actors"][name] |= fields
    scenario = make_scenario(actors=data["actors"], levers=list(levers), **changes)
    model = run_replication(Blueprint(scenario), seed, 0)
    return model, outcomes(model)


def numbers(row):
    """The row without its NaN values (which compare unequal)."""
    return {k: v for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))}


def without_threat(row):
    return {k: v for k, v in row.items() if not k.startswith("threat")}


def test_a_target_concedes_below_the_expected_cost_and_not_above():
    _, low = run({"patron": {"pain_tolerance": 0.02}})  # 0.02 x 0.36 < 0.0114
    assert low["threat.t"] == "conceded"
    assert low["threat_step.t"] == 1
    assert low["position.patron.tenure"] <= 0.3
    _, high = run({"patron": {"pain_tolerance": 0.05}})  # 0.05 x 0.36 > 0.0114
    assert high["threat.t"] == "imposed"
    assert high["threat_conceded.t"] == 0.0


@settings(max_examples=15, deadline=None)
@given(st.floats(0.001, 0.2))
def test_concession_follows_the_closed_form(tolerance):
    threshold = EXPECTED_COST / STAKE
    if abs(tolerance - threshold) < 1e-9:
        return
    _, row = run({"patron": {"pain_tolerance": tolerance}})
    assert (row["threat.t"] == "conceded") == (tolerance < threshold)


def test_a_conceded_target_is_held_at_the_demand():
    model, _ = run({"patron": {"pain_tolerance": 0.02}})
    held = model.recorder.position[1:, 0, 0, 0]  # every step after the concession
    assert held.max() <= 0.3 + 1e-12
    assert held[0] == pytest.approx(0.3)


def test_a_target_already_past_the_demand_is_not_pulled_back():
    # demand 0.95 above the patron's 0.9: the hold keeps it at or above 0.95 (toward the
    # demand from its anchor), and it concedes only if the threat outweighs its stake
    model, row = run(
        {"patron": {"pain_tolerance": 0.001}},
        [dict(THREAT, demand={"issue": "tenure", "value": 0.95})],
    )
    assert row["threat.t"] == "conceded"
    assert model.recorder.position[1:, 0, 0, 0].min() >= 0.95 - 1e-12


def test_credibility_falls_when_a_senders_blowback_stress_would_pass_1():
    two = dict(THREAT, senders=["outsider", "rebels"])
    ties = {"patron": 0.05}
    _, both = run({"rebels": {"ties": ties}}, [two])
    assert both["threat_credibility.t"] == 1.0
    # the rebels' blowback over the 19 steps (0.002 x 0.5 x 0.05 x 19 ~ 0.001) passes a
    # pain tolerance of 0.0005: only the outsider stays credible
    _, half = run({"rebels": {"ties": ties, "pain_tolerance": 0.0005}}, [two])
    assert half["threat_credibility.t"] == 0.5
    _, none = run(
        {
            "rebels": {"ties": ties, "pain_tolerance": 0.0005},
            "outsider": {"pain_tolerance": 0.0005},
        },
        [two],
    )
    assert none["threat_credibility.t"] == 0.0
    assert none["threat.t"] == "folded"  # imposed with probability 0


def test_credibility_counts_the_senders_costs_so_far():
    # the outsider's own war costs (upkeep 0.05 a step) bring its stress past 1 by the
    # deadline at step 5 (0.2 / 0.1): the senders fold
    late = dict(THREAT, deadline=5)
    _, row = run({"outsider": {"unit_cost": 0.05, "pain_tolerance": 0.1}}, [late])
    assert row["threat_credibility.t"] == 0.0
    assert row["threat.t"] == "folded"


def test_an_imposed_threat_acts_as_sanctions_from_the_deadline():
    _, threat = run({"patron": {"pain_tolerance": 0.05}})
    assert threat["threat.t"] == "imposed"
    sanctions = {k: THREAT[k] for k in ("senders", "targets", "intensity")}
    _, imposed = run(
        {"patron": {"pain_tolerance": 0.05}}, [{"type": "sanctions", **sanctions, "start": 2}]
    )
    assert without_threat(threat) == imposed


def test_a_folded_threat_does_nothing():
    weak = {"outsider": {"pain_tolerance": 0.0005}}  # blowback ~0.001 over the run
    _, folded = run(weak)
    assert folded["threat.t"] == "folded"
    assert math.isnan(folded["coalition_cohesion"])  # no sanctions started
    _, absent = run(weak, [])
    assert numbers(without_threat(folded)) == numbers(absent)


def test_a_threat_beyond_the_horizon_is_pending_and_one_never_issued_is_none():
    _, row = run(levers=[dict(THREAT, deadline=30)])
    assert row["threat.t"] == "pending"
    assert math.isnan(row["threat_step.t"])
    _, late = run(levers=[dict(THREAT, start=25, deadline=30)])
    assert late["threat.t"] == "none"


def test_imposition_draws_make_a_row_the_same_alone_and_in_a_batch():
    # credibility 0.5: the draw decides; rows alone and in a batch of 7 agree bit for bit
    two = dict(THREAT, senders=["outsider", "rebels"])
    data = scenario_data()
    data["actors"]["rebels"] |= {"ties": {"patron": 0.05}, "pain_tolerance": 0.0005}
    data["actors"]["patron"] |= {"economy_elasticity": 1.0}
    scenario = make_scenario(actors=data["actors"], levers=[two], battlefield={"noise": 0.01})
    bp = Blueprint(scenario)
    numbers = np.arange(7)
    batch = outcome_columns(run_engine(bp, 3, numbers), numbers)
    assert set(batch["threat.t"]) == {"imposed", "folded"}
    for i, r in enumerate(numbers):
        alone = outcome_columns(run_engine(bp, 3, np.array([r])), np.array([r]))
        for key, value in alone.items():
            np.testing.assert_array_equal(value[0], batch[key][i], err_msg=key)


def test_sanctions_with_a_positive_elasticity_lower_the_targets_force():
    sanctions = {
        "type": "sanctions",
        "senders": ["outsider"],
        "targets": ["patron"],
        "intensity": 0.2,
    }
    patient = {"outsider": {"pain_tolerance": 1.0}}  # (keeps adopting to the end)
    plain, _ = run(patient, [sanctions])
    eroded, _ = run(patient | {"patron": {"economy_elasticity": 1.0}}, [sanctions])
    assert plain.recorder.force[-1, 0, 0] == 30  # epsilon = 0: unchanged
    assert eroded.recorder.force[-1, 0, 0] < 30
    # the economy fell by the losses: 0.2 x 0.3 a step, floored at 1% after 17 steps
    assert eroded.engine.state.economy[0, 0] == pytest.approx(2.0 * coercion.ECONOMY_FLOOR)
    assert eroded.recorder.force[-1, 0, 0] == pytest.approx(30 * coercion.ECONOMY_FLOOR)


def test_without_sanctions_an_elasticity_changes_nothing():
    _, plain = run(levers=[])
    _, elastic = run({"patron": {"economy_elasticity": 1.5}}, [])
    assert plain == elastic


def test_an_eroded_donor_gives_less_aid():
    aid = {"type": "military_aid", "donor": "patron", "recipient": "gov", "amount": 50}
    sanctions = {
        "type": "sanctions",
        "senders": ["outsider"],
        "targets": ["patron"],
        "intensity": 0.1,
    }
    _, full = run(levers=[aid, sanctions])
    _, eroded = run({"patron": {"economy_elasticity": 1.0}}, [aid, sanctions])
    assert eroded["territory.gov"] < full["territory.gov"]


@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 3.0),
    st.floats(0.0, 2.0),
)
def test_capacity_is_one_at_zero_elasticity_and_falls_with_it(loss, e1, extra):
    economy0 = np.array([[2.0]])
    economy = coercion.erode(economy0.copy(), economy0, np.array([[loss]]))
    assert economy[0, 0] >= coercion.ECONOMY_FLOOR * 2.0
    cols = np.array([0])
    at = lambda e: coercion.capacity(economy, economy0, np.array([[e]]), cols)[0, 0]  # noqa: E731
    assert at(0.0) == 1.0
    assert at(e1 + extra) <= at(e1) <= 1.0


def test_held_positions_cannot_return_toward_the_anchor():
    x = np.array([[[0.5], [0.2], [0.9]]])
    x0 = np.array([[[0.9], [0.1], [0.4]]])
    demand = np.full(x.shape, 0.4)
    held = coercion.hold_concessions(x, x0, np.ones(x.shape), demand)
    np.testing.assert_array_equal(held[0, :, 0], [0.4, 0.4, 0.4])
    free = coercion.hold_concessions(x, x0, np.zeros(x.shape), demand)
    np.testing.assert_array_equal(free, x)
