import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.bargaining.influence import (
    equilibrium,
    friedkin_johnsen_step,
    influence_weights,
    pull,
    susceptibility,
)
from sim.bargaining.network import Network


def weights(leverage, salience):
    """Dense W of one replication's dense leverage matrix."""
    net = Network.of(leverage != 0, len(leverage))
    return influence_weights(net.gather(leverage[None]), net, salience[None])[0]


@given(
    arrays(float, (5, 5), elements=st.floats(0, 1)), arrays(float, (5, 2), elements=st.floats(0, 1))
)
def test_weights_are_row_stochastic(leverage, salience):
    w = weights(leverage, salience)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(w >= 0)


def test_weights_follow_the_design():
    leverage = np.array([[0.0, 0.5], [0.2, 0.0]])
    salience = np.array([[0.8], [0.4]])
    w = weights(leverage, salience)[0]
    # actor 1 weighs itself 0.4 and actor 0 by E[0,1]·s_0 = 0.5·0.8
    np.testing.assert_allclose(w[1], [0.4 / 0.8, 0.4 / 0.8])
    np.testing.assert_allclose(w[0], [0.8 / (0.8 + 0.2 * 0.4), 0.08 / 0.88])


def test_susceptibility_halves_resolve_at_stress_one():
    np.testing.assert_allclose(
        susceptibility(np.array([0.8, 0.8]), np.array([0.0, 1.0])), [0.2, 0.6]
    )


@settings(max_examples=30, deadline=None)
@given(
    arrays(float, (4, 4), elements=st.floats(0, 1)),
    arrays(float, (4, 1), elements=st.floats(0, 1)),
    arrays(float, (4,), elements=st.floats(0.05, 1)),
)
def test_iteration_converges_to_the_closed_form(leverage, x0, resolve):
    salience = np.ones((4, 1))
    net = Network.of(leverage != 0, 4)
    e = net.gather(leverage[None])
    lam = susceptibility(resolve, np.zeros(4))
    x = x0[None].copy()
    for _ in range(2000):
        x = friedkin_johnsen_step(pull(x, e, net, salience[None]), x0[None], lam[None])
    w = weights(leverage, salience)
    np.testing.assert_allclose(x[0], equilibrium(x0, w, lam), atol=1e-6)


@given(
    arrays(float, (5, 5), elements=st.floats(0, 1)),
    arrays(float, (5, 2), elements=st.floats(0, 1)),
    arrays(float, (5, 2), elements=st.floats(0, 1)),
)
def test_the_pull_is_the_dense_weights_times_the_positions(leverage, salience, x):
    net = Network.of(leverage != 0, 5)
    pulled = pull(x[None], net.gather(leverage[None]), net, salience[None])[0]
    w = weights(leverage, salience)  # (K, A, A)
    np.testing.assert_allclose(pulled, np.einsum("kji,ik->jk", w, x), atol=1e-12)
