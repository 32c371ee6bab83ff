import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.model.settlement import veto_agree, within, within_each

values = st.floats(-0.5, 1.5) | st.sampled_from([0.0, 0.05, np.nan])


def test_positions_within_tolerance_agree():
    x = np.array([[0.40, 0.7], [0.44, 0.66]])
    assert within(x, np.array([0.42, 0.68]), 0.05)
    assert not within(x, np.array([0.42, 0.68]), 0.01)


def test_only_veto_players_count():
    x = np.array([[0.4], [0.9]])
    assert veto_agree(x, np.array([0.42]), np.array([True, False]), 0.05)
    assert not veto_agree(x, np.array([0.42]), np.array([False, False]), 0.05)


@given(st.data(), st.integers(1, 4), st.integers(1, 5), st.integers(1, 3))
def test_within_each_agrees_with_within_run_by_run(data, runs, actors, issues):
    x = data.draw(hnp.arrays(float, (runs, actors, issues), elements=values))
    forecast = data.draw(hnp.arrays(float, (runs, issues), elements=values))
    rows = data.draw(hnp.arrays(bool, (runs, actors)))
    tolerance = data.draw(hnp.arrays(float, runs, elements=st.floats(0, 1)))
    expected = [within(x[r][rows[r]], forecast[r], tolerance[r]) for r in range(runs)]
    assert within_each(x, forecast, rows, tolerance).tolist() == expected
