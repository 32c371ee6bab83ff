import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.engine import leverage as lev

square = arrays(float, (1, 4, 4), elements=st.floats(0, 1))


@given(square)
def test_without_instruments_effective_equals_structural(structural):
    e = lev.effective_leverage(structural, np.ones((4, 4)), np.zeros((1, 4)), None, None, None)
    np.testing.assert_array_equal(e, np.clip(structural, 0, 1))


def test_drawdown_raises_a_patrons_leverage_over_its_own_side_only():
    structural = np.array([[[0, 0.5, 0.4], [0, 0, 0], [0, 0, 0]]])
    same = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)
    d = lev.drawdown(np.array([[6.0, 1.0, 1.0]]), np.array([[10.0, 1.0, 1.0]]))
    np.testing.assert_allclose(d, [[0.4, 0, 0]])
    e = lev.effective_leverage(structural, same, d, None, None, None)
    assert e[0, 0, 1] == 0.5 * 1.4
    assert e[0, 0, 2] == 0.4


def test_aid_leverage_is_the_donors_share_of_the_side():
    aid = np.array([[[0.0, 0.0], [0.0, 20.0], [0.0, 0.0]]])
    recipients = np.array([[[0, 0, 0], [0, 0, 1], [0, 0, 0]]], dtype=float)
    gain = lev.aid_leverage(aid, recipients, np.array([0, -1, 1]), np.array([[50.0, 80.0]]))
    assert gain[0, 1, 2] == 0.25
    assert gain.sum() == 0.25


def test_capability_given_or_derived():
    economy = np.array([[1.0, 3.0]])
    cap = lev.capability(np.array([[10.0, 30.0]]), 0.5, lev.economic_part(economy, 0.5),
                         np.array([[np.nan, 0.9]]))
    np.testing.assert_allclose(cap, [[0.25, 0.9]])


runs = st.integers(1, 4).flatmap(lambda r: st.tuples(
    arrays(float, (r, 4), elements=st.floats(0, 100)),  # force
    arrays(float, (r, 4, 4), elements=st.floats(0, 1)),  # structural, aid gain...
    arrays(float, (r, 4), elements=st.floats(0, 1)),  # drawdown
    arrays(float, (r, 4, 2), elements=st.floats(0, 20)),  # aid by donor and side
    arrays(float, (r, 2), elements=st.just(0.0) | st.floats(0.01, 50))))  # side strength


@given(runs)
def test_each_row_gets_the_numbers_it_gets_alone(batch):
    force, square, withdrawn, aid, strength = batch
    same_side = np.eye(4)
    side_of = np.array([0, 0, 1, -1])
    gain = lev.aid_leverage(aid, square > 0.5, side_of, strength)
    effective = lev.effective_leverage(square, same_side, withdrawn, gain, square, square)
    economic = np.full(force.shape, 0.1)
    given_ = np.full(force.shape, np.nan)
    capability = lev.capability(force, 0.4, economic, given_)
    for r in range(len(force)):
        k = slice(r, r + 1)
        alone = lev.aid_leverage(aid[k], square[k] > 0.5, side_of, strength[k])
        np.testing.assert_array_equal(gain[r], alone[0])
        np.testing.assert_array_equal(effective[r], lev.effective_leverage(
            square[k], same_side, withdrawn[k], alone, square[k], square[k])[0])
        np.testing.assert_array_equal(capability[r],
                                      lev.capability(force[k], 0.4, economic[k], given_[k])[0])
