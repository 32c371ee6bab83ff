"""The sums over incoming edges add each target's edges one after another in edge order."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.bargaining.network import Network


@settings(max_examples=50, deadline=None)
@given(
    arrays(bool, (7, 7)),
    arrays(float, (49, 3), elements=st.floats(-1e16, 1e16)),
)
def test_into_adds_each_targets_edges_in_edge_order(pairs, numbers):
    net = Network.of(pairs, 7)
    values = numbers[: net.edges]  # (E, R): a value per edge and replication
    expected = np.zeros((7, 3))
    for j in range(7):
        edges = np.flatnonzero((net.target == j) & (net.holder != j))
        if len(edges):
            expected[j] = values[edges[0]]  # (the first as it is, then the others in order)
        for e in edges[1:]:
            expected[j] = expected[j] + values[e]
    got = net.into(values[net.by_depth])
    assert got.tobytes() == expected.tobytes()
    assert sorted(net.by_depth.tolist()) == np.flatnonzero(net.holder != net.target).tolist()
