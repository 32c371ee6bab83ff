import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.core.sums import fixed_sum


@given(
    hnp.arrays(
        float,
        st.tuples(st.integers(1, 9), st.integers(0, 3), st.integers(0, 20)),
        elements=st.floats(-1e6, 1e6),
    )
)
def test_a_row_sums_to_the_same_bits_alone_and_in_a_batch(a):
    together = fixed_sum(a)
    for r in range(len(a)):
        np.testing.assert_array_equal(fixed_sum(a[r : r + 1])[0], together[r])
    np.testing.assert_allclose(together, a.sum(axis=-1), rtol=1e-9, atol=1e-3)


def test_fixed_sum_adds_halves_and_keeps_dims():
    a = np.array([[1e16, 1.0, -1e16]])  # a few terms: one after another
    assert fixed_sum(a).tolist() == [(1e16 + 1.0) + -1e16]
    b = np.zeros((1, 11))
    b[0, :3] = [1e16, 1.0, -1e16]  # more: halves [0:5] + [5:10], the odd b[10] joins the first
    # [1e16, 1, -1e16, 0, 0] (+ b[10] into the first), then [1e16 - 1e16, 1] (+ 0): 1.0
    assert fixed_sum(b).tolist() == [1.0]
    assert fixed_sum(a, keepdims=True).shape == (1, 1)
    assert fixed_sum(np.zeros((2, 0))).tolist() == [0.0, 0.0]
    assert fixed_sum(np.ones((2, 3, 4)), axis=1).shape == (2, 4)
