import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine.settlement import deciders, within

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
