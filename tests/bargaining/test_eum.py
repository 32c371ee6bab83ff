"""Tests of the expected utility model against Bueno de Mesquita (1994) and general laws."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.bargaining.base import BARGAINING_MODELS, BargainingInputs
from sim.bargaining.eum import (
    ExpectedUtility,
    eum_round,
    risk_exponents,
    weighted_median,
    win_probabilities,
)
from sim.bargaining.network import Network

TOL = 1e-3

# EC car-emission standards (Bueno de Mesquita 1994, as in Scholz, Calbert & Smith 2011).
NAMES = [
    "netherlands", "belgium", "luxembourg", "germany", "france",
    "italy", "uk", "ireland", "denmark", "greece",
]  # fmt: skip
CAP = np.array([0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08])
POS = np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7], dtype=float)
SAL = np.array([0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7])
RANGE = 6.0
IDX = {name: i for i, name in enumerate(NAMES)}

RISK_1 = {
    "netherlands": 1.4057, "belgium": 0.7542, "luxembourg": 0.5089, "germany": 1.4057,
    "france": 1.0465, "italy": 1.0465, "uk": 1.9649, "ireland": 0.5, "denmark": 2.0,
    "greece": 1.1121,
}  # fmt: skip
MEDIANS = [8.415932, 9.610859, 9.96198]
MOVERS = [
    {"belgium": 8.415932, "luxembourg": 7.0, "ireland": 4.0},
    {"belgium": 9.6109, "luxembourg": 8.4159, "ireland": 7.0},
    {"belgium": 9.962, "luxembourg": 9.6109, "ireland": 8.4159},
]


def run_rounds(n: int) -> list[tuple[np.ndarray, object]]:
    x = POS.copy()
    out = []
    for _ in range(n):
        x, info = eum_round(x, CAP, SAL, RANGE)
        out.append((x, info))
    return out


def expected_positions(round_: int) -> np.ndarray:
    x = POS.copy()
    for moves in MOVERS[: round_ + 1]:
        for name, value in moves.items():
            x[IDX[name]] = value
    return x


# --- the published example -----------------------------------------------------------------


def test_round0_median_and_mean():
    assert weighted_median(POS, CAP, SAL) == pytest.approx(7.0, abs=TOL)
    w = CAP * SAL
    assert (w * POS).sum() / w.sum() == pytest.approx(7.389956, abs=TOL)


def test_round1_risk_exponents():
    risk = risk_exponents(POS, CAP, SAL, RANGE)
    for name, value in RISK_1.items():
        assert risk[IDX[name]] == pytest.approx(value, abs=TOL), name
    _, info = run_rounds(1)[0]
    np.testing.assert_allclose(info.risk, risk)


def test_round1_offers():
    x, info = run_rounds(1)[0]
    b, lu, fr = IDX["belgium"], IDX["luxembourg"], IDX["france"]
    assert info.kind[b] == "compromise"
    assert info.partner[b] == fr
    assert x[b] == pytest.approx(8.415932, abs=TOL)
    assert info.kind[lu] == "confrontation"
    assert info.partner[lu] == b
    assert x[lu] == pytest.approx(7.0, abs=TOL)
    assert x[IDX["ireland"]] == pytest.approx(4.0, abs=TOL)


@pytest.mark.parametrize("round_", [0, 1, 2])
def test_rounds_positions_and_medians(round_):
    x, _ = run_rounds(3)[round_]
    np.testing.assert_allclose(x, expected_positions(round_), atol=TOL)
    assert weighted_median(x, CAP, SAL) == pytest.approx(MEDIANS[round_], abs=TOL)


def test_nobody_else_moves():
    movers = set().union(*MOVERS)
    for x, _ in run_rounds(3):
        for name in NAMES:
            if name not in movers:
                assert x[IDX[name]] == POS[IDX[name]], name


# --- through the class, on the normalised scale ----------------------------------------------


def make_inputs(x: np.ndarray, participants: np.ndarray | None = None) -> SimpleNamespace:
    n, k = x.shape
    return SimpleNamespace(
        x=x,
        x0=((POS - 4.0) / 6.0)[:, None].repeat(k, axis=1),
        salience=SAL[:, None].repeat(k, axis=1),
        capability=CAP.copy(),
        leverage=np.zeros(0),
        resolve=np.full(n, 0.5),
        stress=np.zeros(n),
        participants=np.ones(n, dtype=bool) if participants is None else participants,
    )


def test_registered():
    assert BARGAINING_MODELS["eum"] is ExpectedUtility
    assert ExpectedUtility.name == "eum"
    assert "Bueno de Mesquita" in ExpectedUtility.reference


class One:
    """A bargaining model run on a batch of one replication (the inputs of one row)."""

    def __init__(self, model):
        self.model = model

    @staticmethod
    def batch(inputs):
        n = len(inputs.x)
        return BargainingInputs(
            network=Network.of(np.zeros((n, n), dtype=bool), n),
            **{k: np.asarray(v)[None] for k, v in vars(inputs).items()},
        )

    def update(self, inputs):
        return self.model.update(self.batch(inputs))[0]

    def forecast(self, inputs):
        return self.model.forecast(self.batch(inputs))[0]


def test_class_reproduces_example():
    model = One(ExpectedUtility())
    x = ((POS - 4.0) / 6.0)[:, None]
    inputs = make_inputs(x)
    assert model.forecast(inputs)[0] * 6 + 4 == pytest.approx(7.0, abs=TOL)
    for round_ in range(3):
        x = model.update(make_inputs(x))
        assert x.shape == (10, 1)
        np.testing.assert_allclose(x[:, 0] * 6 + 4, expected_positions(round_), atol=TOL)
        assert model.forecast(make_inputs(x))[0] * 6 + 4 == pytest.approx(MEDIANS[round_], abs=TOL)
        if round_ == 0:
            for name, value in RISK_1.items():
                assert model.model.last_risk[0, IDX[name], 0] == pytest.approx(value, abs=TOL)


def test_class_issues_are_independent():
    x = ((POS - 4.0) / 6.0)[:, None]
    x2 = np.hstack([x, x[::-1]])
    inputs = make_inputs(x2)
    inputs.x0 = x2.copy()
    new = One(ExpectedUtility()).update(inputs)
    alone = One(ExpectedUtility()).update(make_inputs(x))
    np.testing.assert_allclose(new[:, :1], alone)
    inputs_b = make_inputs(x[::-1].copy())
    inputs_b.x0 = x[::-1].copy()
    np.testing.assert_allclose(new[:, 1:], One(ExpectedUtility()).update(inputs_b))


def test_class_zero_range_returns_positions_unchanged():
    x = np.full((10, 1), 0.3)
    inputs = make_inputs(x)
    inputs.x0 = x.copy()
    np.testing.assert_array_equal(One(ExpectedUtility()).update(inputs), x)


def test_class_zero_weight_actors_neither_vote_nor_move():
    x = ((POS - 4.0) / 6.0)[:, None]
    inputs = make_inputs(x)
    inputs.salience[IDX["ireland"], 0] = 0.0
    new = One(ExpectedUtility()).update(inputs)
    assert new[IDX["ireland"], 0] == x[IDX["ireland"], 0]
    keep = np.arange(10) != IDX["ireland"]
    alone, _ = eum_round(POS[keep], CAP[keep], SAL[keep], RANGE)
    np.testing.assert_allclose(new[keep, 0] * 6 + 4, alone, atol=1e-12)


def test_class_forecast_uses_participants_only():
    x = ((POS - 4.0) / 6.0)[:, None]
    part = np.zeros(10, dtype=bool)
    part[[IDX["france"], IDX["italy"], IDX["uk"], IDX["belgium"]]] = True
    assert One(ExpectedUtility()).forecast(make_inputs(x, part))[0] == pytest.approx(1.0)


# --- laws ------------------------------------------------------------------------------------

GRID = st.integers(min_value=0, max_value=16).map(lambda k: k / 8.0)
WEIGHT = st.floats(min_value=0.01, max_value=1.0)


@st.composite
def issues(draw, min_size: int = 2, max_size: int = 12):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    x = np.array(draw(st.lists(GRID, min_size=n, max_size=n)))
    cap = np.array(draw(st.lists(WEIGHT, min_size=n, max_size=n)))
    sal = np.array(draw(st.lists(WEIGHT, min_size=n, max_size=n)))
    return x, cap, sal


@settings(max_examples=200, deadline=None)
@given(issues(), st.floats(min_value=0.25, max_value=4.0))
def test_positions_stay_within_current_range(data, r_range):
    x, cap, sal = data
    new, info = eum_round(x, cap, sal, r_range)
    assert np.all(new >= x.min()) and np.all(new <= x.max())
    assert np.all(np.isfinite(new))
    assert np.all((info.risk >= 0.5 - 1e-12) & (info.risk <= 2.0 + 1e-12))


@settings(max_examples=200, deadline=None)
@given(issues(), st.floats(min_value=0.25, max_value=4.0))
def test_win_probabilities_total_one_half(data, r_range):
    x, cap, sal = data
    p = win_probabilities(x, cap, sal, r_range)
    assert np.all(p >= 0)
    np.testing.assert_array_equal(p[x[:, None] == x[None, :]], 0.0)
    if np.unique(x).size > 1:
        assert p.sum() == pytest.approx(0.5)


@settings(max_examples=100, deadline=None)
@given(issues(), GRID)
def test_identical_positions(data, value):
    _, cap, sal = data
    x = np.full(cap.shape, value)
    assert weighted_median(x, cap, sal) == value
    new, _ = eum_round(x, cap, sal, 1.0)
    np.testing.assert_array_equal(new, x)


@settings(max_examples=200, deadline=None)
@given(issues(min_size=1))
def test_weighted_median_splits_the_weight(data):
    x, cap, sal = data
    m = weighted_median(x, cap, sal)
    w = cap * sal
    assert m in x
    assert w[x <= m].sum() >= w.sum() / 2 - 1e-9
    assert w[x >= m].sum() >= w.sum() / 2 - 1e-9


@settings(max_examples=200, deadline=None)
@given(
    issues(),
    st.integers(min_value=-3, max_value=3).map(lambda e: 2.0**e),
    st.integers(min_value=-10, max_value=10),
)
def test_scale_invariance_exact(data, a, b):
    # With a power-of-two scale and a grid of positions, the transform is exact in floating point
    # up to the rounding of compromise positions, so every decision must come out the same.
    x, cap, sal = data
    new, info = eum_round(x, cap, sal, 2.0)
    new_t, info_t = eum_round(a * x + b, cap, sal, 2.0 * a)
    np.testing.assert_allclose(new_t, a * new + b, rtol=0, atol=1e-12 * max(a, abs(b), 1.0))
    np.testing.assert_array_equal(info_t.risk, info.risk)
    np.testing.assert_array_equal(info_t.kind, info.kind)
    np.testing.assert_array_equal(info_t.partner, info.partner)
    assert weighted_median(a * x + b, cap, sal) == a * weighted_median(x, cap, sal) + b


@pytest.mark.parametrize(("a", "b"), [(1 / 6, -4 / 6), (3.7, -12.5), (100.0, 2000.0)])
def test_scale_invariance_example(a, b):
    x, xt = POS.copy(), a * POS + b
    for _ in range(4):
        x, info = eum_round(x, CAP, SAL, RANGE)
        xt, info_t = eum_round(xt, CAP, SAL, RANGE * a)
        np.testing.assert_allclose(xt, a * x + b, rtol=1e-9, atol=1e-9 * abs(a))
        np.testing.assert_allclose(info_t.risk, info.risk, rtol=1e-9)
        assert weighted_median(xt, CAP, SAL) == pytest.approx(a * weighted_median(x, CAP, SAL) + b)


@settings(max_examples=50, deadline=None)
@given(issues(max_size=9), st.floats(min_value=0.5, max_value=2.0))
def test_blocked_vote_totals_match_vote_matrix(data, r_range):
    import sim.bargaining.eum as eum

    x, cap, sal = data
    risk = np.linspace(0.5, 2.0, x.size)
    full = np.maximum(eum.vote_matrix(x, cap, sal, r_range, risk), 0.0).sum(axis=0)
    saved = eum._BLOCK_ELEMENTS
    try:
        eum._BLOCK_ELEMENTS = 1  # one voter per block
        blocked = eum._positive_vote_totals(x, cap, sal, r_range, risk)
    finally:
        eum._BLOCK_ELEMENTS = saved
    np.testing.assert_allclose(blocked, full, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(eum._positive_vote_totals(x, cap, sal, r_range, risk), full)


def test_validation_scenario_matches_the_published_data():
    from pathlib import Path

    yaml = pytest.importorskip("yaml")
    path = Path(__file__).parents[2] / "scenarios" / "validation" / "ec_emissions_1994.yaml"
    doc = yaml.safe_load(path.read_text())
    assert doc["name"] == "ec_emissions_1994"
    assert doc["bargaining"]["model"] == "eum"
    assert doc["issues"]["emission_year"]["scale"] == [4, 10]
    assert list(doc["actors"]) == NAMES
    for name, actor in doc["actors"].items():
        i = IDX[name]
        assert actor["capability"] == CAP[i]
        assert actor["position"]["emission_year"] == POS[i]
        assert actor["salience"]["emission_year"] == SAL[i]
    (talks,) = doc["levers"]
    assert talks["type"] == "talks" and talks["participants"] == NAMES
