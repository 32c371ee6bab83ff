import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine import costs


def test_upkeep_is_a_fraction_of_the_economy():
    rate = costs.upkeep_rate(np.array([[0.01]]), np.array([[2.0]]))
    np.testing.assert_allclose(10.0 * rate, [[0.05]])


def test_battle_losses_split_by_force_within_the_side():
    side_of = np.array([0, 0, 1])
    force = np.array([[30.0, 10.0, 50.0]])
    stake = costs.side_stake(force, np.array([[40.0, 50.0]]), side_of)
    out = costs.battle_losses(np.array([[0.1, 0.0]]), stake, side_of, np.array([2.0]))
    np.testing.assert_allclose(out, [[0.15, 0.05, 0.0]])


def test_actors_on_no_side_have_no_stake():
    stake = costs.side_stake(np.array([[5.0, 1.0]]), np.array([[5.0]]), np.array([0, -1]))
    assert stake.tolist() == [[1.0, 0.0]]


def test_civilian_harm_scales_with_intensity_and_safe_zones():
    harm = costs.civilian_harm(
        np.array([[50.0, 50.0], [25.0, 25.0], [1.0, 0.0]]),
        np.array([100.0, 100.0, 0.0]),
        np.array([1000.0] * 3),
        np.array([1.0, 0.5, 1.0]),
    )
    assert harm.tolist() == [1000.0, 250.0, 0.0]


@given(
    st.integers(1, 5).flatmap(
        lambda r: st.tuples(
            hnp.arrays(float, (r, 3), elements=st.floats(0, 100)),
            hnp.arrays(float, r, elements=st.just(0.0) | st.floats(0.01, 200)),
        )
    )
)
def test_each_row_gets_the_numbers_it_gets_alone(b):
    strength, strength0 = b
    ones = np.ones(len(strength0))
    together = costs.civilian_harm(strength, strength0, ones * 7.0, ones * 0.5)
    for r in range(len(strength0)):
        keep = slice(r, r + 1)
        assert (
            costs.civilian_harm(
                strength[keep], strength0[keep], ones[keep] * 7.0, ones[keep] * 0.5
            )[0]
            == together[r]
        )
