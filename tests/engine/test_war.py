"""The bargaining model of war: beliefs, expected outcomes, costs, dependence, and what the
engine does with them (settlement on a war issue, commitment problems, guarantees,
breakdowns, patron threats)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine import Blueprint, Engine, Streams, war
from sim.engine.settlement import bargaining_range, reservation_interval
from tests.factories import war_changes, with_levers

WAR_SIDES = np.array([[0, 1]])
WAR_VALUE = np.array([[1.0, 0.0]])


def test_the_dyad_share_is_the_contest_between_the_two_sides():
    strength = np.array([[30.0, 10.0, 60.0]])
    gamma = np.array([0.5])
    full = strength**0.5 / (strength**0.5).sum()
    share = war.dyad_share(strength, WAR_SIDES, gamma)
    assert share[0, 0] == pytest.approx(full[0, 0] / (full[0, 0] + full[0, 1]))
    assert war.dyad_share(np.zeros((1, 3)), WAR_SIDES, gamma)[0, 0] == 0.5


def test_beliefs_are_bayesian_and_learn_the_true_share():
    alpha, beta = war.prior(
        np.array([[0.5]]), np.zeros((1, 1)), np.array([0]), WAR_SIDES, np.array([20.0])
    )
    assert (alpha[0, 0, 0], beta[0, 0, 0]) == (10.0, 10.0)
    rng = np.random.default_rng(1)
    for _ in range(2000):
        u = rng.random((1, 1, 3))
        alpha, beta = war.update_beliefs(alpha, beta, np.array([[0.7]]), u, np.array([1.0]))
    assert alpha[0, 0, 0] + beta[0, 0, 0] == 20 + 3 * 2000  # every engagement counted
    assert alpha[0, 0, 0] / (alpha[0, 0, 0] + beta[0, 0, 0]) == pytest.approx(0.7, abs=0.02)


def test_discounting_keeps_the_evidence_bounded():
    alpha, beta = np.full((1, 1, 1), 10.0), np.full((1, 1, 1), 10.0)
    for _ in range(500):
        alpha, beta = war.update_beliefs(
            alpha, beta, np.array([[0.5]]), np.full((1, 1, 2), 0.2), np.array([0.9])
        )
    assert alpha[0, 0, 0] + beta[0, 0, 0] == pytest.approx(2 / (1 - 0.9))


def test_optimists_believe_their_side_stronger():
    alpha, beta = war.prior(
        np.array([[0.5]]),
        np.array([[0.2, 0.2, 0.2]]),
        np.array([0, 1, -1]),  # on side a, on side b, on neither
        WAR_SIDES,
        np.array([10.0]),
    )
    mean = (alpha / (alpha + beta))[0, :, 0]
    np.testing.assert_allclose(mean, [0.7, 0.3, 0.5])


def test_the_expected_outcome_is_the_lottery_at_the_planning_horizon():
    alpha, beta = np.array([[[6.0]]]), np.array([[[4.0]]])  # expects a share of 0.6
    weight = war.horizon_weight(np.array([0.1]), np.array([10.0]))
    assert weight[0] == pytest.approx(1 - 0.9**10)
    x = war.expected_outcome(alpha, beta, np.array([[0.2]]), weight, np.array([[0.9, 0.1]]))
    held = 0.2 + (0.6 - 0.2) * (1 - 0.9**10)
    assert x[0, 0, 0] == pytest.approx(0.1 + held * 0.8)


def test_the_cost_term_weighs_the_projected_cost_by_tolerance_and_salience():
    c = war.cost_term(
        np.array([[0.001, 0.001]]),
        np.array([52.0]),
        np.array([[0.05, 0.05]]),
        np.array([[[0.5], [0.0]]]),
    )
    assert c[0, 0, 0] == pytest.approx(0.052 / 0.05 / 0.5)
    assert c[0, 1, 0] == np.inf  # an issue it does not care about: anything goes


def test_dependence_is_what_the_patron_adds_net_of_substitutes():
    strength = np.array([[60.0, 60.0]])
    args = (np.array([0]), WAR_SIDES, WAR_VALUE, np.array([1.0]), np.array([1.0]))
    alone = war.dependence(strength, np.array([[30.0]]), np.array([[0.0]]), *args)
    assert alone[0, 0, 0] == pytest.approx(0.5 - 30 / 90)
    covered = war.dependence(strength, np.array([[30.0]]), np.array([[30.0]]), *args)
    assert covered[0, 0, 0] == 0.0
    half = war.dependence(strength, np.array([[30.0]]), np.array([[15.0]]), *args)
    assert 0 < half[0, 0, 0] < alone[0, 0, 0]
    off = war.dependence(strength, np.array([[30.0]]), np.array([[0.0]]), np.array([-1]), *args[1:])
    assert off[0, 0, 0] == 0.0  # a target on no side of the dyad depends on nobody here


@given(st.floats(0, 0.4), st.floats(0, 0.4), st.floats(0.05, 0.95), st.floats(0, 0.5))
def test_more_optimism_never_widens_the_range(o_a, o_b, share, extra):
    """Belligerents whose ideal points are their side's victory: optimism pulls each one's
    expected outcome toward its own ideal, so each demands more."""
    side_of = np.array([0, 1])
    ideal = np.array([[[1.0], [0.0]]])
    cost = np.full((1, 2, 1), 0.1)
    weight = np.array([0.5])

    def width(optimism):
        alpha, beta = war.prior(np.array([[share]]), optimism, side_of, WAR_SIDES, np.array([20.0]))
        x = war.expected_outcome(alpha, beta, np.array([[share]]), weight, WAR_VALUE)
        low, high = bargaining_range(*reservation_interval(ideal, x, cost), np.ones((1, 2), bool))
        return float(high[0, 0] - low[0, 0])

    base = width(np.array([[o_a, o_b]]))
    assert width(np.array([[o_a + extra, o_b]])) <= base + 1e-12
    assert width(np.array([[o_a, o_b + extra]])) <= base + 1e-12


rows = st.integers(1, 5).flatmap(
    lambda r: st.tuples(
        hnp.arrays(float, (r, 3), elements=st.floats(0, 100)),  # strength
        hnp.arrays(float, (r, 4), elements=st.floats(0, 50)),  # contribution
        hnp.arrays(float, (r, 4), elements=st.floats(0, 50)),  # substitute
        hnp.arrays(float, r, elements=st.floats(0.1, 3)),  # decisiveness
    )
)


@given(rows)
def test_each_row_gets_the_numbers_it_gets_alone(batch):
    strength, given_, sub, gamma = batch
    side = np.array([0, 1, 2, -1])
    weight = war.horizon_weight(np.full(len(gamma), 0.01), np.full(len(gamma), 52.0))
    together = war.dependence(strength, given_, sub, side, WAR_SIDES, WAR_VALUE, gamma, weight)
    shares = war.dyad_share(strength, WAR_SIDES, gamma)
    for r in range(len(gamma)):
        k = slice(r, r + 1)
        alone = war.dependence(
            strength[k], given_[k], sub[k], side, WAR_SIDES, WAR_VALUE, gamma[k], weight[k]
        )
        np.testing.assert_array_equal(together[r], alone[0])
        np.testing.assert_array_equal(
            shares[r], war.dyad_share(strength[k], WAR_SIDES, gamma[k])[0]
        )


# The engine: the toy war (gov vs reb, tenure decided by the war, talks among everyone).

TALKS = {"type": "talks", "participants": ["patron", "client", "outsider", "rebels"]}
FULL_GUARANTEE = {
    "type": "guarantee",
    "guarantors": ["outsider"],
    "protects": "reb",
    "troops": 20,
    "troops_needed": 20,
    "credibility": 1.0,
}


def run(scenario, replications=4, seed=3):
    bp = Blueprint(scenario)
    numbers = np.arange(replications)
    return Engine(bp, bp.draw_batch(seed, numbers), Streams.of_run(seed, numbers)).run()


def toy_war(*levers, bargaining=None, **actors):
    """The toy war with the talks, ``levers``, bargaining settings and actor fields."""
    changes = {"battlefield": {"noise": 0.005}, "horizon": 30, "bargaining": bargaining or {}}
    return with_levers(TALKS, *levers, **war_changes(**actors), **changes)


def test_without_a_war_issue_nothing_changes_the_convergence_rule():
    e = run(with_levers(TALKS, bargaining={"tolerance": 1.0, "hold": 2}))
    assert e.state.settled.all() and (e.state.settlement_step == 2).all()
    assert e.state.range_low.shape == (4, 0)


def test_a_war_settles_once_the_range_has_been_open_for_hold_steps():
    e = run(toy_war(rebels={"reneging_risk": 0.0}))
    s = e.state
    assert s.settled.all() and s.signed.all()
    assert (s.settlement_step == 4).all()  # hold = 4
    low, high = e.recorder.range_low[1:5, :, 0], e.recorder.range_high[1:5, :, 0]
    assert (low <= high).all()
    position = s.settlement_position[:, 0]
    assert ((position >= s.range_low[:, 0]) & (position <= s.range_high[:, 0])).all()


def test_a_commitment_problem_blocks_implementation_and_a_guarantee_lifts_it():
    fearful = {"reneging_risk": 0.9, "pain_tolerance": 50.0, "veto": True}
    blocked = run(toy_war(rebels=fearful))
    assert blocked.state.signed.all() and not blocked.state.settled.any()
    assert (blocked.state.range_low > blocked.state.range_high).all()
    guaranteed = run(toy_war(FULL_GUARANTEE, rebels=fearful))
    assert guaranteed.state.settled.all()


def test_a_deal_breaks_down_more_often_without_a_guarantee():
    hazard = {"breakdown_hazard": 0.2}
    free = run(toy_war(rebels={"reneging_risk": 0.0}, bargaining=hazard), replications=40)
    assert free.state.settled.all() and free.state.broke_down.mean() > 0.5
    kept = run(toy_war(FULL_GUARANTEE, rebels={"reneging_risk": 0.0}, bargaining=hazard), 40)
    assert not kept.state.broke_down.any()


def test_a_credible_threat_raises_the_patrons_leverage_and_a_drawdown_lowers_it():
    def leverage(*levers, credibility=0.5):
        scenario = with_levers(
            *levers, **war_changes(patron={"abandonment_credibility": credibility})
        )
        e = run(scenario, replications=1)
        return e.dense_leverage(e.state.leverage)[0, 0, 1]  # patron over client

    assert leverage(credibility=0.0) == 0.5  # structural only
    assert leverage() > 0.5
    drawdown = {"type": "deployment", "actor": "patron", "to": 0.2, "ramp": 1}
    assert 0.5 < leverage(drawdown) < leverage()  # the client depends on less force


def test_a_client_that_meets_the_demand_is_not_threatened():
    condition = {
        "type": "conditional_support",
        "patron": "patron",
        "client": "client",
        "issue": "tenure",
    }
    unmet = toy_war(dict(condition, demand=0.5), patron={"veto": False})
    met = toy_war(dict(condition, demand=1.0), patron={"veto": False})
    absent = toy_war(patron={"veto": False})
    low = {
        name: run(s).recorder.range_low[2, :, 0]
        for name, s in [("unmet", unmet), ("met", met), ("absent", absent)]
    }
    np.testing.assert_array_equal(low["met"], low["absent"])
    assert (low["unmet"] <= low["absent"]).all()  # the client would accept less ...
    assert (low["unmet"] < low["absent"]).sum() >= 3  # (... where its interval binds)


def test_a_war_scenario_is_batch_invariant():
    scenario = toy_war(rebels={"optimism": 0.2}, bargaining={"breakdown_hazard": 0.05})
    together = run(scenario, replications=7)
    for r in (0, 6):
        bp = Blueprint(scenario)
        alone = Engine(bp, bp.draw_batch(3, [r]), Streams.of_run(3, [r])).run()
        for name in ("alpha", "range_low", "range_high", "settlement_position", "x"):
            np.testing.assert_array_equal(
                getattr(together.state, name)[r], getattr(alone.state, name)[0], err_msg=name
            )
