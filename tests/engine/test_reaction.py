"""Interveners that react: the desired force, its parts, deployments that set the intent,
the credibility of abandonment derived from the reaction, and redeployments."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.engine import Blueprint, Engine, Streams, reaction
from sim.outcomes import outcome_columns
from tests.factories import war_changes, with_levers

# a, b, e, k, m, ramp
COEFFS = np.array([[[1.0, 4.0, 0.5, 2.0, 3.0, 2.0]]])
UNIT = st.floats(0.0, 1.0)


def desired(intent=1.0, theta=0.0, chi=0.0, h=0.0, share=0.5, coefficients=COEFFS):
    one = np.ones((1, 1))
    return reaction.desired_force(
        10 * one, coefficients, intent * one, theta * one, chi * one, h * one, share * one
    )[0, 0]


def test_the_desired_force_is_the_intent_plus_the_reactions_times_the_initial_force():
    assert desired() == 10.0  # nothing moves: f* = f0 a
    # f0 (a + b θ + e χ − k h (1 − τ̂)) = 10 (0.8 + 4·0.1 + 0.5·0.2 − 2·0.3·0.4)
    assert desired(0.8, 0.1, 0.2, 0.3, 0.6) == pytest.approx(10 * (0.8 + 0.4 + 0.1 - 0.24))


def test_the_desired_force_is_clipped_at_zero_and_at_m():
    assert desired(theta=1.0) == 30.0  # 1 + 4 > m = 3
    assert desired(intent=0.1, h=5.0, share=0.0) == 0.0  # 0.1 − 10 < 0


@given(UNIT, UNIT, UNIT, UNIT, UNIT)
def test_the_desired_force_rises_with_theta_and_chi_and_falls_with_costs(a, theta, chi, h, s):
    base = desired(a, theta, chi, h, s)
    assert desired(a, theta + 0.1, chi, h, s) >= base
    assert desired(a, theta, chi + 0.1, h, s) >= base
    assert desired(a, theta, chi, h + 0.1, s) <= base
    assert desired(a, theta, chi, h, min(1.0, s + 0.1)) >= base  # costs weigh less when winning


@given(st.floats(-50, 50), st.floats(-50, 50), st.floats(1.0, 20.0), st.integers(1, 30))
def test_the_force_closes_the_gap_over_the_ramp(force, target, ramp, steps):
    f = np.array([force])
    for _ in range(steps):
        f = reaction.approach(f, np.array([target]), np.array([ramp]))
    expected = target + (force - target) * (1 - 1 / ramp) ** steps
    assert f[0] == pytest.approx(expected, abs=1e-9)


def test_theta_is_the_largest_fall_in_the_dyads_its_side_is_in():
    reference = np.array([[[0.6, 0.5, 0.9]]])
    shares = np.array([[[0.5, 0.55, 0.1]]])
    in_dyad = np.array([[True, True, False]])
    assert reaction.deterioration(reference, shares, in_dyad)[0, 0] == pytest.approx(0.1)
    assert reaction.deterioration(shares, shares, in_dyad)[0, 0] == 0.0
    assert reaction.own_share(shares, in_dyad)[0, 0] == 0.5  # the lowest of its dyads
    assert reaction.own_share(shares, np.zeros((1, 3), dtype=bool))[0, 0] == reaction.NEUTRAL_SHARE


def test_chi_is_the_rival_sides_escalation_since_step_one():
    in_dyad = np.array([[True, True]])
    chi = reaction.escalation(np.array([[[15.0, 8.0]]]), np.array([[[10.0, 10.0]]]), in_dyad)
    assert chi[0, 0] == pytest.approx(0.5)  # the rival grew by half; the other fell (0)
    none = reaction.escalation(np.array([[[5.0, 5.0]]]), np.zeros((1, 1, 2)), in_dyad)
    assert none[0, 0] == 0.0


def test_h_annualises_the_weekly_cost_against_the_pain_tolerance():
    h = reaction.cost_pressure(np.array([[0.001]]), np.array([[0.052]]))
    assert h[0, 0] == pytest.approx(1.0)


@given(UNIT, st.floats(0.0, 10.0), st.floats(0.01, 1.0))
def test_credibility_falls_with_b(base, b, share):
    c = reaction.credibility(np.array([base]), np.array([b]), np.array([share]))[0]
    more = reaction.credibility(np.array([base]), np.array([b + 0.5]), np.array([share]))[0]
    assert 0.0 <= more <= c <= base
    assert reaction.credibility(np.array([base]), np.array([0.0]), np.array([share]))[0] == base


def test_a_redeployment_needs_a_drawdown_and_a_rise():
    f0 = np.array([20.0, 20.0, 20.0, 0.0])
    lowest = np.array([18.0, 19.5, 10.0, 0.0])
    force = np.array([19.0, 20.0, 10.5, 0.0])
    np.testing.assert_array_equal(
        reaction.redeployed(force, lowest, f0), [True, False, False, False]
    )


# The engine: the toy war (gov vs reb); the patron withdraws, then the outsider arms the rebels.

WITHDRAWAL = {"type": "deployment", "actor": "patron", "to": 0.5, "ramp": 2, "start": 1}
ARMS = {"type": "military_aid", "donor": "outsider", "recipient": "reb", "amount": 100}


def run(scenario, replications=8, seed=3, numbers=None):
    bp = Blueprint(scenario)
    numbers = np.arange(replications) if numbers is None else np.asarray(numbers)
    return Engine(bp, bp.draw_batch(seed, numbers), Streams.of_run(seed, numbers)).run()


def toy(*levers, horizon=30, **patron):
    changes = war_changes(patron=patron) if patron else war_changes()
    return with_levers(*levers, battlefield={"noise": 0.0}, horizon=horizon, **changes)


def test_an_intervener_with_b_redeploys_when_its_sides_prospects_fall_and_without_b_not():
    arms = dict(ARMS, start=10)
    strong = run(toy(WITHDRAWAL, arms, reaction={"b": 5, "ramp": 2}))
    blind = run(toy(WITHDRAWAL, arms, reaction={"b": 0, "ramp": 2}))
    assert (strong.reaction.step >= 0).all()
    assert (blind.reaction.step < 0).all()
    # the rebels' arms lower the side's prospects: the patron sends more force back
    calm = run(toy(WITHDRAWAL, reaction={"b": 5, "ramp": 2}))
    assert strong.state.force[:, 0].mean() > calm.state.force[:, 0].mean()
    columns = outcome_columns(strong, np.arange(8))
    assert columns["redeployed.patron"].all()
    assert (columns["redeployed_step.patron"] == strong.reaction.step[:, 0]).all()
    assert np.isnan(outcome_columns(blind, np.arange(8))["redeployed_step.patron"]).all()


def test_without_a_reaction_there_are_no_redeployment_outcomes():
    e = run(toy(WITHDRAWAL), replications=2)
    assert e.reaction is None
    assert not any(k.startswith("redeployed") for k in outcome_columns(e, np.arange(2)))


def test_a_withdrawal_sets_the_intent_and_the_force_follows():
    e = run(toy(WITHDRAWAL, reaction={"ramp": 2}), replications=2)
    np.testing.assert_array_equal(e.reaction.intent[:, 0], 0.5)
    force = e.recorder.force[:, 0, 0]
    assert force[1] == 30 + (22.5 - 30) / 2  # intent 0.75 after one step of the ramp
    assert force[-1] == pytest.approx(15.0)


def test_a_reaction_that_ignores_the_war_reproduces_todays_deployment():
    today = run(toy(WITHDRAWAL), replications=3)
    intent = run(toy(WITHDRAWAL, reaction={"ramp": 1}), replications=3)
    np.testing.assert_allclose(intent.recorder.force, today.recorder.force, rtol=1e-12)
    np.testing.assert_allclose(intent.recorder.territory, today.recorder.territory, rtol=1e-12)


def test_a_fixed_deployment_keeps_todays_behaviour():
    fixed = dict(WITHDRAWAL, mode="fixed")
    today = run(toy(fixed), replications=3)
    held = run(toy(fixed, ARMS, reaction={"b": 20}), replications=3)
    armed = run(toy(fixed, ARMS), replications=3)
    np.testing.assert_array_equal(held.recorder.force[:, :, 0], today.recorder.force[:, :, 0])
    np.testing.assert_array_equal(held.recorder.territory, armed.recorder.territory)
    # once it ends, the reaction moves the force again
    ended = run(toy(dict(fixed, end=5), ARMS, reaction={"b": 20}), replications=3)
    assert (ended.state.force[:, 0] > 15.0).all()


def test_a_fixed_deployment_holds_the_force_whatever_its_place_in_the_list():
    fixed = dict(WITHDRAWAL, mode="fixed", to=0.3, ramp=1)
    intent = dict(WITHDRAWAL, to=1.5)
    e = run(toy(fixed, intent, reaction={"b": 5}), replications=2)
    np.testing.assert_array_equal(e.recorder.force[1:, :, 0], 9.0)
    np.testing.assert_array_equal(e.reaction.intent[:, 0], 1.5)  # it waits


def test_a_reacting_patrons_threat_is_less_credible_the_stronger_its_b():
    def gain(b):
        e = run(toy(reaction={"b": b}), replications=2)
        return e.dense_leverage(e.state.leverage)[:, 0, 1] - 0.5  # patron over client

    weak, strong, total = gain(0.0), gain(1.0), gain(5.0)
    assert (weak > strong).all() and (strong > 0).all()
    np.testing.assert_array_equal(total, 0.0)  # it would come back: no credible threat
    no_reaction = run(toy(), replications=2)
    np.testing.assert_array_equal(
        weak, no_reaction.dense_leverage(no_reaction.state.leverage)[:, 0, 1] - 0.5
    )


def test_a_reacting_scenario_is_batch_invariant():
    scenario = with_levers(
        WITHDRAWAL,
        dict(ARMS, start=10),
        battlefield={"noise": 0.01},
        horizon=30,
        **war_changes(
            patron={"reaction": {"b": {"uniform": [2, 8]}, "e": 0.3, "k": 1.0, "ramp": 3}},
            client={"reaction": {"b": 2, "ramp": 5}, "unit_cost": 1e-4},
        ),
    )
    together = run(scenario, replications=7)
    for r in (0, 3, 6):
        alone = run(scenario, numbers=[r])
        for name in ("force", "territory", "x", "leverage", "alpha"):
            np.testing.assert_array_equal(
                getattr(together.state, name)[r], getattr(alone.state, name)[0], err_msg=name
            )
        np.testing.assert_array_equal(together.reaction.step[r], alone.reaction.step[0])
        np.testing.assert_array_equal(together.recorder.force[:, r], alone.recorder.force[:, 0])
