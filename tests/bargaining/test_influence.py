import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.bargaining.influence import (
    equilibrium,
    friedkin_johnsen_step,
    influence_weights,
    susceptibility,
)


@given(arrays(float, (5, 5), elements=st.floats(0, 1)),
       arrays(float, (5, 2), elements=st.floats(0, 1)))
def test_weights_are_row_stochastic(leverage, salience):
    w = influence_weights(leverage[None], salience[None])
    np.testing.assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(w >= 0)


def test_weights_follow_the_design():
    leverage = np.array([[0.0, 0.5], [0.2, 0.0]])
    salience = np.array([[0.8], [0.4]])
    w = influence_weights(leverage[None], salience[None])[0, 0]
    # actor 1 weighs itself 0.4 and actor 0 by E[0,1]·s_0 = 0.5·0.8
    np.testing.assert_allclose(w[1], [0.4 / 0.8, 0.4 / 0.8])
    np.testing.assert_allclose(w[0], [0.8 / (0.8 + 0.2 * 0.4), 0.08 / 0.88])


def test_susceptibility_halves_resolve_at_stress_one():
    np.testing.assert_allclose(susceptibility(np.array([0.8, 0.8]), np.array([0.0, 1.0])),
                               [0.2, 0.6])


@settings(max_examples=30, deadline=None)
@given(arrays(float, (4, 4), elements=st.floats(0, 1)),
       arrays(float, (4, 1), elements=st.floats(0, 1)),
       arrays(float, (4,), elements=st.floats(0.05, 1)))
def test_iteration_converges_to_the_closed_form(leverage, x0, resolve):
    salience = np.ones((4, 1))
    w = influence_weights(leverage[None], salience[None])[0]
    lam = susceptibility(resolve, np.zeros(4))
    x = x0.copy()
    for _ in range(2000):
        x = friedkin_johnsen_step(x, x0, w, lam)
    np.testing.assert_allclose(x, equilibrium(x0, w, lam), atol=1e-6)
