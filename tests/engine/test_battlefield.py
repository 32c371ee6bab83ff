import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine import battlefield as bf

strengths = st.lists(st.floats(0, 1e4, allow_nan=False), min_size=2, max_size=6)


def share(s, gamma):
    return bf.contest_share(np.atleast_2d(s), np.array([gamma]))[0]


def test_equal_strengths_give_equal_shares():
    np.testing.assert_allclose(share([5.0, 5.0, 5.0], 1.7), [1 / 3] * 3)


def test_no_strength_gives_no_share():
    assert share(np.zeros(3), 1.0).sum() == 0


@given(strengths, st.floats(0.2, 4), st.data())
def test_more_force_never_gives_a_smaller_share(values, gamma, data):
    s = np.array(values)
    i = data.draw(st.integers(0, len(values) - 1))
    more = s.copy()
    more[i] += data.draw(st.floats(0.0, 1e3))
    assert share(more, gamma)[i] >= share(s, gamma)[i] - 1e-12


def test_decisiveness_sharpens_the_contest():
    s = np.array([2.0, 1.0])
    assert share(s, 3.0)[0] > share(s, 1.0)[0] > 0.5


def test_move_territory_closes_a_share_of_the_gap():
    t = bf.move_territory(
        np.array([[0.5, 0.5]]), np.array([[0.7, 0.3]]), np.array([0.1]), np.zeros((1, 2))
    )
    np.testing.assert_allclose(t, [[0.52, 0.48]])


@given(st.lists(st.floats(0, 1), min_size=2, max_size=5), st.data())
def test_floors_hold_and_shares_sum_to_one(values, data):
    n = len(values)
    t = np.array([values])
    floor = np.array([data.draw(st.lists(st.floats(0, 0.4), min_size=n, max_size=n))])
    out = bf.apply_floors(t, floor, np.ones((1, n), dtype=bool))[0]
    assert abs(out.sum() - 1) < 1e-9
    assert np.all(out >= -1e-12)
    scaled = floor[0] / floor.sum() if floor.sum() > 1 else floor[0]
    assert np.all(out >= scaled - 1e-9)


def test_collapsed_side_keeps_nothing():
    out = bf.apply_floors(np.array([[0.2, 0.5, 0.3]]), None, np.array([[True, False, True]]))
    np.testing.assert_allclose(out, [[0.4, 0.0, 0.6]])


def test_victor_and_collapse():
    threshold = np.array([0.02, 0.02])
    assert bf.victor(np.array([[0.99, 0.01], [0.6, 0.4]]), threshold).tolist() == [0, -1]
    assert bf.collapsed(
        np.array([[0.01, 0.99]]), np.array([[True, True]]), threshold[:1]
    ).tolist() == [[True, False]]


def test_side_totals_sum_each_sides_members():
    members = np.array([[0, 2], [1, 4], [4, 4]])  # (padded with A = 4)
    totals = bf.side_totals(np.array([[1.0, 2.0, 3.0, 9.0]]), members)
    assert totals.tolist() == [[4.0, 2.0, 0.0]]


batch = st.integers(1, 6).flatmap(
    lambda r: st.tuples(
        hnp.arrays(float, (r, 4), elements=st.floats(0, 1)),  # territory
        hnp.arrays(float, (r, 4), elements=st.floats(0, 0.3)),  # floors
        hnp.arrays(bool, (r, 4)),  # alive
        hnp.arrays(float, (r, 4), elements=st.floats(0, 100)),  # strength
        hnp.arrays(float, r, elements=st.floats(0.2, 3)),
    )
)  # decisiveness


@given(batch)
def test_each_row_gets_the_numbers_it_gets_alone(b):
    territory, floor, alive, strength, gamma = b
    together = (bf.apply_floors(territory, floor, alive), bf.contest_share(strength, gamma))
    for r in range(len(territory)):
        keep = slice(r, r + 1)
        alone = (
            bf.apply_floors(territory[keep], floor[keep], alive[keep]),
            bf.contest_share(strength[keep], gamma[keep]),
        )
        for a, t in zip(alone, together, strict=True):
            np.testing.assert_array_equal(a[0], t[r])
