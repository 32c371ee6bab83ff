import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.outcomes.table import to_arrow


@given(
    st.one_of(
        hnp.arrays(np.float64, st.integers(0, 40)),
        hnp.arrays(np.int64, st.integers(0, 40)),
        hnp.arrays(np.bool_, st.integers(0, 40)),
        st.lists(st.sampled_from(["none", "regime", "kurds", "é"]), max_size=40).map(
            lambda x: np.array(x, dtype=object)
        ),
    )
)
def test_a_column_built_from_its_buffers_equals_pa_array(values):
    built = to_arrow(values)
    expected = pa.array(values)
    if values.dtype == object and not len(values):  # (text columns stay text when empty)
        expected = pa.array([], pa.string())
    assert built.type == expected.type
    assert built.to_pylist() == expected.to_pylist() or (
        values.dtype.kind == "f" and np.array_equal(values, built.to_numpy(), equal_nan=True)
    )
    built.validate(full=True)
