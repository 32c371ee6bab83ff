import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.model import leverage as lev

square = arrays(float, (4, 4), elements=st.floats(0, 1))


@given(square)
def test_without_instruments_effective_equals_structural(structural):
    zero = np.zeros((4, 4))
    e = lev.effective_leverage(structural, np.ones((4, 4)), np.zeros(4), zero, zero, zero)
    np.testing.assert_array_equal(e, np.clip(structural, 0, 1))


def test_drawdown_raises_a_patrons_leverage_over_its_own_side_only():
    structural = np.array([[0, 0.5, 0.4], [0, 0, 0], [0, 0, 0]])
    same = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)
    zero = np.zeros((3, 3))
    d = lev.drawdown(np.array([6.0, 1.0, 1.0]), np.array([10.0, 1.0, 1.0]))
    np.testing.assert_allclose(d, [0.4, 0, 0])
    e = lev.effective_leverage(structural, same, d, zero, zero, zero)
    assert e[0, 1] == 0.5 * 1.4
    assert e[0, 2] == 0.4


def test_aid_leverage_is_the_donors_share_of_the_side():
    aid = np.array([[0.0, 0.0], [0.0, 20.0], [0.0, 0.0]])
    recipients = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]], dtype=float)
    gain = lev.aid_leverage(aid, recipients, np.array([0, -1, 1]), np.array([50.0, 80.0]))
    assert gain[1, 2] == 0.25
    assert gain.sum() == 0.25


def test_capability_given_or_derived():
    cap = lev.capability(np.array([10.0, 30.0]), np.array([1.0, 3.0]), np.array([np.nan, 0.9]),
                         np.array([0.5, 0.5]))
    np.testing.assert_allclose(cap, [0.25, 0.9])
