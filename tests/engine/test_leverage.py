import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.bargaining.network import Network
from sim.engine import leverage as lev

EVERY = Network.of(np.ones((4, 4), dtype=bool), 4)  # every pair an edge
square = arrays(float, (1, 4, 4), elements=st.floats(0, 1))


@given(square)
def test_without_instruments_effective_equals_structural(structural):
    e = lev.effective_leverage(EVERY.gather(structural), None, None, None)
    np.testing.assert_array_equal(EVERY.dense(e), np.clip(structural, 0, 1))


def test_a_credible_threat_to_abandon_adds_dependence_times_credibility():
    structural = np.array([[0, 0.5, 0.4], [0, 0, 0], [0, 0, 0]])
    net = Network.of(structural > 0, 3)
    patron = np.array([[0.3 * 0.5, 0.0]])  # D·C on the edges 0→1 and 0→2
    e = lev.effective_leverage(net.gather(structural[None]), patron, None, None)
    dense = net.dense(e)[0]
    assert dense[0, 1] == 0.5 + 0.15
    assert dense[0, 2] == 0.4


def test_aid_leverage_is_the_donors_share_of_the_side():
    aid = np.array([[[0.0, 0.0], [0.0, 20.0], [0.0, 0.0]]])
    recipients = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]], dtype=float)
    net = Network.of(np.ones((3, 3), dtype=bool), 3)
    side_of = np.array([0, -1, 1])
    gain = lev.aid_leverage(
        aid, net.gather(recipients[None]), net.holder, side_of[net.target], np.array([[50.0, 80.0]])
    )
    dense = net.dense(gain)[0]
    assert dense[1, 2] == 0.25
    assert dense.sum() == 0.25


def test_capability_given_or_derived():
    economy = np.array([[1.0, 3.0]])
    cap = lev.capability(
        np.array([[10.0, 30.0]]), 0.5, lev.economic_part(economy, 0.5), np.array([[np.nan, 0.9]])
    )
    np.testing.assert_allclose(cap, [[0.25, 0.9]])


runs = st.integers(1, 4).flatmap(
    lambda r: st.tuples(
        arrays(float, (r, 17), elements=st.floats(0, 100)),  # force
        arrays(float, (r, 16), elements=st.floats(0, 1)),  # structural, gains... on edges
        arrays(float, (r, 16), elements=st.floats(0, 1)),  # patron gain
        arrays(float, (r, 4, 2), elements=st.floats(0, 20)),  # aid by donor and side
        arrays(float, (r, 2), elements=st.just(0.0) | st.floats(0.01, 50)),
    )
)  # side strength


@given(runs)
def test_each_row_gets_the_numbers_it_gets_alone(batch):
    force, edges, patron, aid, strength = batch
    side = np.tile(np.array([0, 0, 1, -1]), 4)
    gain = lev.aid_leverage(aid, edges > 0.5, EVERY.holder, side, strength)
    effective = lev.effective_leverage(edges, patron, gain, edges)
    economic = np.full(force.shape, 0.1)
    given_ = np.full(force.shape, np.nan)
    capability = lev.capability(force, 0.4, economic, given_)
    for r in range(len(force)):
        k = slice(r, r + 1)
        alone = lev.aid_leverage(aid[k], edges[k] > 0.5, EVERY.holder, side, strength[k])
        np.testing.assert_array_equal(gain[r], alone[0])
        np.testing.assert_array_equal(
            effective[r],
            lev.effective_leverage(edges[k], patron[k], alone, edges[k])[0],
        )
        np.testing.assert_array_equal(
            capability[r], lev.capability(force[k], 0.4, economic[k], given_[k])[0]
        )
