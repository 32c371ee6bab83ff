import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.model import battlefield as bf

strengths = st.lists(st.floats(0, 1e4, allow_nan=False), min_size=2, max_size=6)


def test_equal_strengths_give_equal_shares():
    share = bf.contest_share(np.array([5.0, 5.0, 5.0]), decisiveness=1.7)
    np.testing.assert_allclose(share, [1 / 3] * 3)


def test_no_strength_gives_no_share():
    assert bf.contest_share(np.zeros(3), 1.0).sum() == 0


@given(strengths, st.floats(0.2, 4), st.data())
def test_more_force_never_gives_a_smaller_share(values, gamma, data):
    s = np.array(values)
    i = data.draw(st.integers(0, len(values) - 1))
    more = s.copy()
    more[i] += data.draw(st.floats(0.0, 1e3))
    assert bf.contest_share(more, gamma)[i] >= bf.contest_share(s, gamma)[i] - 1e-12


def test_decisiveness_sharpens_the_contest():
    s = np.array([2.0, 1.0])
    assert bf.contest_share(s, 3.0)[0] > bf.contest_share(s, 1.0)[0] > 0.5


def test_move_territory_closes_a_share_of_the_gap():
    t = bf.move_territory(np.array([0.5, 0.5]), np.array([0.7, 0.3]), 0.1, np.zeros(2))
    np.testing.assert_allclose(t, [0.52, 0.48])


@given(st.lists(st.floats(0, 1), min_size=2, max_size=5), st.data())
def test_floors_hold_and_shares_sum_to_one(values, data):
    t = np.array(values)
    n = len(values)
    floor = np.array(data.draw(st.lists(st.floats(0, 0.4), min_size=n, max_size=n)))
    alive = np.ones(n, dtype=bool)
    out = bf.apply_floors(t, floor, alive)
    assert abs(out.sum() - 1) < 1e-9
    assert np.all(out >= -1e-12)
    scaled = floor / floor.sum() if floor.sum() > 1 else floor
    assert np.all(out >= scaled - 1e-9)


def test_collapsed_side_keeps_nothing():
    out = bf.apply_floors(np.array([0.2, 0.5, 0.3]), np.zeros(3), np.array([True, False, True]))
    np.testing.assert_allclose(out, [0.4, 0.0, 0.6])


def test_victor_and_collapse():
    assert bf.victor(np.array([0.99, 0.01]), 0.02) == 0
    assert bf.victor(np.array([0.6, 0.4]), 0.02) == -1
    assert bf.collapsed(np.array([0.01, 0.99]), np.array([True, True]), 0.02).tolist() == [
        True, False]
