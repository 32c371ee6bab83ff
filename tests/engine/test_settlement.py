import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine.settlement import (
    bargaining_range,
    binding_veto,
    deciders,
    reservation_interval,
    within,
)

values = st.floats(-0.5, 1.5) | st.sampled_from([0.0, 0.05, np.nan])


def test_positions_within_tolerance_agree():
    x = np.array([[[0.40, 0.7], [0.44, 0.66]]])
    every = np.ones((1, 2), dtype=bool)
    assert within(x, np.array([[0.42, 0.68]]), every, np.array([0.05])).tolist() == [True]
    assert within(x, np.array([[0.42, 0.68]]), every, np.array([0.01])).tolist() == [False]


def test_only_veto_players_count():
    x = np.array([[[0.4], [0.9]]])
    rows = deciders(np.array([True, False]), np.ones((1, 2), dtype=bool))
    assert within(x, np.array([[0.42]]), rows, np.array([0.05])).tolist() == [True]
    nobody = deciders(np.array([False, False]), np.array([[True, True]]))
    assert within(x, np.array([[0.42]]), nobody, np.array([0.05])).tolist() == [False]


@given(st.data(), st.integers(1, 4), st.integers(1, 5), st.integers(1, 3))
def test_within_is_the_largest_gap_of_the_chosen_actors(data, runs, actors, issues):
    x = data.draw(hnp.arrays(float, (runs, actors, issues), elements=values))
    forecast = data.draw(hnp.arrays(float, (runs, issues), elements=values))
    rows = data.draw(hnp.arrays(bool, (runs, actors)))
    tolerance = data.draw(hnp.arrays(float, runs, elements=st.floats(0, 1)))
    got = within(x, forecast, rows, tolerance)
    for r in range(runs):
        gap = x[r][rows[r]] - forecast[r]
        expected = gap.size == 0 or bool(gap.max() <= tolerance[r] and -gap.min() <= tolerance[r])
        assert got[r] == expected


# The bargaining range (Fearon 1995) and commitment problems (Walter 1997): the worked
# two-sided example of issue 14. Side A's ideal point is 1, side B's 0; they expect the war
# to end at 0.70 and 0.50, and fighting on costs them 0.30 and 0.27 of the scale. If A
# wins the outcome is 1, if B wins 0.
IDEAL = np.array([[[1.0], [0.0]]])  # (R, A, W)
EXPECTED = np.array([[[0.70], [0.50]]])
COST = np.array([[[0.30], [0.27]]])
OPPONENT_WINS = np.array([[[0.0], [1.0]]])
BOTH = np.ones((1, 2), dtype=bool)


def _range(risk=None):
    low, high = reservation_interval(IDEAL, EXPECTED, COST, risk, OPPONENT_WINS)
    lo, hi = bargaining_range(low, high, BOTH)
    return float(lo[0, 0]), float(hi[0, 0])


def test_without_a_commitment_problem_the_range_is_040_to_077():
    assert _range() == pytest.approx((0.40, 0.77))


def test_both_sides_disarming_with_rho_045_and_no_guarantee_close_it():
    lo, hi = _range(np.full((1, 2, 1), 0.45))
    assert lo == pytest.approx(0.15 / 0.55 * -1 + 1) and hi == pytest.approx(0.32 / 0.55)
    assert (round(lo, 2), round(hi, 2)) == (0.73, 0.58)
    assert lo > hi


def test_a_guarantee_of_08_reopens_it():
    lo, hi = _range(np.full((1, 2, 1), 0.45 * (1 - 0.8)))
    assert lo < hi
    assert lo == pytest.approx(1 - (0.6 - 0.09) / 0.91)
    assert hi == pytest.approx((0.77 - 0.09) / 0.91)


def test_full_reneging_risk_is_all_or_nothing():
    low, high = reservation_interval(IDEAL, EXPECTED, COST, np.ones((1, 2, 1)), OPPONENT_WINS)
    assert (low > high).all()  # |w - x| = 1 exceeds what either side would give up


def test_the_binding_veto_is_the_decider_with_the_least_slack():
    low, high = reservation_interval(IDEAL, EXPECTED, COST)
    assert binding_veto(low, high, BOTH, np.array([[0.5]])).tolist() == [[0]]  # A: 0.1 slack
    assert binding_veto(low, high, BOTH, np.array([[0.9]])).tolist() == [[1]]  # B refuses
    assert binding_veto(low, high, np.zeros((1, 2), bool), np.array([[0.5]])).tolist() == [[-1]]


intervals = st.integers(1, 3).flatmap(
    lambda a: st.tuples(
        hnp.arrays(float, (2, a, 1), elements=st.floats(0, 1)),  # ideal
        hnp.arrays(float, (2, a, 1), elements=st.floats(0, 1)),  # expected outcome
        hnp.arrays(float, (2, a, 1), elements=st.floats(0, 2)),  # cost
        hnp.arrays(float, (2, a, 1), elements=st.floats(0, 1)),  # risk
        hnp.arrays(float, (2, a, 1), elements=st.sampled_from([0.0, 1.0])),  # w
    )
)


@given(intervals, st.floats(0, 1))
def test_adding_a_veto_player_never_widens_the_range(case, extra):
    ideal, expected, cost, risk, wins = case
    low, high = reservation_interval(ideal, expected, cost, risk, wins)
    a = ideal.shape[1]
    some = np.zeros((2, a), dtype=bool)
    some[:, : max(a - 1, 0)] = True
    more = some.copy()
    more[:, a - 1] = True
    lo1, hi1 = bargaining_range(low, high, some)
    lo2, hi2 = bargaining_range(low, high, more)
    assert (lo2 >= lo1).all() and (hi2 <= hi1).all()


@given(intervals, st.floats(0, 1))
def test_raising_a_cost_never_narrows_an_interval(case, more):
    ideal, expected, cost, risk, wins = case
    low, high = reservation_interval(ideal, expected, cost, risk, wins)
    low2, high2 = reservation_interval(ideal, expected, cost + more, risk, wins)
    assert (low2 <= low).all() and (high2 >= high).all()


@given(intervals)
def test_a_full_guarantee_removes_the_commitment_problem(case):
    ideal, expected, cost, risk, wins = case
    guaranteed = reservation_interval(ideal, expected, cost, risk * (1 - 1.0), wins)
    np.testing.assert_array_equal(guaranteed, reservation_interval(ideal, expected, cost))
