import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from sim.analysis import stats

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False)


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- Wilson ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [  # Newcombe (1998), Stat Med 17:857, Table I, method 3 (score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_known_values(successes, n, low, high):
    lo, hi = stats.wilson_interval(successes, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(max_examples=60, deadline=None)
def test_wilson_matches_scipy_and_lies_in_unit_interval(case):
    successes, n = case
    lo, hi = stats.wilson_interval(successes, n)
    ref = binomtest(successes, n).proportion_ci(method="wilson")
    assert lo == pytest.approx(ref.low, abs=1e-9)
    assert hi == pytest.approx(ref.high, abs=1e-9)
    assert 0.0 <= lo <= successes / n <= hi <= 1.0


def test_wilson_empty_and_bad_counts():
    assert all(math.isnan(v) for v in stats.wilson_interval(0, 0))
    with pytest.raises(ValueError):
        stats.wilson_interval(5, 3)


def test_proportion_drops_missing_values():
    est = stats.proportion_interval(pd.Series([True, None, False, True, np.nan], dtype=object))
    assert est.n == 3
    assert est.estimate == pytest.approx(2 / 3)
    assert (est.low, est.high) == pytest.approx(stats.wilson_interval(2, 3))


def test_proportion_all_false_keeps_an_upper_bound():
    est = stats.proportion_interval([False] * 50)
    assert est.estimate == 0 and est.low == 0
    assert est.high == pytest.approx(0.0713, abs=1e-4)


# -- Newcombe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "diff", "low", "high"),
    [
        (56, 70, 48, 80, 0.2, 0.0524, 0.3339),  # Newcombe (1998), Stat Med 17:873, method 10
        (7, 34, 1, 34, 0.1765, 0.0189, 0.3404),  # Fagerland et al. (2017), Perondi et al. data
    ],
)
def test_newcombe_unpaired_known_values(x1, n1, x2, n2, diff, low, high):
    d, lo, hi = stats.newcombe_unpaired(x1, n1, x2, n2)
    assert d == pytest.approx(diff, abs=5e-5)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_newcombe_paired_known_values():
    # Fagerland, Lydersen & Laake (2017), ch. 8: Cavo et al. (2012), 59/6/16/80
    d, lo, hi = stats.newcombe_paired(59, 6, 16, 80)
    assert d == pytest.approx(-0.0621, abs=5e-5)
    assert lo == pytest.approx(-0.1186, abs=5e-5)
    assert hi == pytest.approx(-0.0046, abs=5e-5)


def test_paired_boolean_difference_uses_the_table_of_pairs():
    # the same 161 pairs as above, as two boolean samples
    x = [True] * 59 + [True] * 6 + [False] * 16 + [False] * 80
    y = [True] * 59 + [False] * 6 + [True] * 16 + [False] * 80
    diff = stats.paired_difference(x, y)
    assert diff.paired and diff.n == 161
    assert (diff.diff, diff.low, diff.high) == pytest.approx(stats.newcombe_paired(59, 6, 16, 80))


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=80))
@settings(max_examples=80, deadline=None)
def test_newcombe_intervals_contain_the_difference(pairs):
    x = [a for a, _ in pairs]
    y = [b for _, b in pairs]
    for diff in (stats.paired_difference(x, y), stats.unpaired_difference(x, y)):
        assert -1.0 <= diff.low <= diff.diff <= diff.high <= 1.0


# -- means and bootstrap ----------------------------------------------------------------------


def test_mean_interval_is_reproducible_and_sensible():
    x = np.random.default_rng(3).normal(10, 2, size=200)
    first, second = stats.mean_interval(x), stats.mean_interval(x)
    assert first == second
    assert first.n == 200 and first.estimate == pytest.approx(x.mean())
    half_t = 1.97 * x.std(ddof=1) / math.sqrt(len(x))
    assert first.high - first.low == pytest.approx(2 * half_t, rel=0.15)
    assert first.low < first.estimate < first.high


def test_mean_interval_drops_missing_values():
    est = stats.mean_interval([1.0, np.nan, 3.0, None, 2.0])
    assert est.n == 3
    assert est.estimate == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("values", "note"),
    [
        ([0.1] * 12, stats.NOTE_CONSTANT),
        ([np.nan] + [2.5] * 10, stats.NOTE_CONSTANT),
        ([4.0], stats.NOTE_TOO_FEW),
        ([0.522], stats.NOTE_TOO_FEW),
        (list(range(stats.MIN_BOOTSTRAP_N - 1)), stats.NOTE_TOO_FEW),
    ],
)
def test_no_interval_below_the_minimum_n_or_for_constant_data(values, note):
    """Missing with a note, never zero width (``[0.522, 0.522]`` for one replication)."""
    est = stats.mean_interval(values)
    assert est.estimate == pytest.approx(np.nanmean(np.asarray(values, dtype=float)))
    assert math.isnan(est.low) and math.isnan(est.high)
    assert est.note == note
    assert not stats.excludes_zero(est.low, est.high)


def test_the_minimum_n_gets_an_interval():
    est = stats.mean_interval(np.arange(stats.MIN_BOOTSTRAP_N, dtype=float))
    assert est.low < est.estimate < est.high and est.note == ""


def test_a_bootstrap_that_collapses_is_missing_not_zero_width(monkeypatch):
    import scipy.stats

    class Collapsed:
        class confidence_interval:  # noqa: N801 - the shape of scipy's result
            low = high = 0.5

    monkeypatch.setattr(scipy.stats, "bootstrap", lambda *args, **kwargs: Collapsed)
    x = np.array([0.0, 1.0] * 10)
    est = stats.mean_interval(x)
    assert (est.estimate, est.note) == (0.5, stats.NOTE_DEGENERATE)
    assert math.isnan(est.low) and math.isnan(est.high)
    diff = stats.paired_difference(x, np.zeros_like(x))
    assert math.isnan(diff.low) and diff.note == stats.NOTE_DEGENERATE


@pytest.mark.parametrize("n", [1, 2, 3, 10])
@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_wilson_is_never_zero_width_from_one_value(n, share):
    successes = round(share * n)
    low, high = stats.wilson_interval(successes, n)
    assert 0.0 <= low < high <= 1.0
    assert low <= successes / n <= high
    est = stats.proportion_interval([True] * successes + [False] * (n - successes))
    assert est.note == "" and est.low < est.high


@pytest.mark.parametrize("values", [[], [np.nan, np.nan], pd.Series([], dtype=float)])
def test_empty_samples_give_nan(values):
    est = stats.mean_interval(values)
    assert est.n == 0 and math.isnan(est.estimate) and math.isnan(est.low)
    assert stats.proportion_interval(values).n == 0
    assert math.isnan(stats.paired_difference(values, values).diff)
    assert math.isnan(stats.unpaired_difference(values, [1.0, 2.0]).diff)


def _interval_or_note(low: float, high: float, point: float, note: str) -> None:
    """An interval of positive width containing the point, or none and a reason."""
    if note:
        assert math.isnan(low) and math.isnan(high)
    else:
        assert low <= point <= high and low < high


@given(st.lists(finite, min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_mean_interval_contains_the_estimate(values):
    est = stats.mean_interval(values)
    assert est.n == len(values)
    _interval_or_note(est.low, est.high, est.estimate, est.note)
    assert bool(est.note) == (
        len(values) < stats.MIN_BOOTSTRAP_N
        or np.ptp(values) == 0
        or est.note == stats.NOTE_DEGENERATE
    )


@given(st.lists(finite, min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_paired_difference_of_identical_samples_is_exactly_zero(values):
    diff = stats.paired_difference(values, list(values))
    assert diff.diff == 0.0 and math.isnan(diff.low) and math.isnan(diff.high)
    assert diff.note in (stats.NOTE_TOO_FEW_PAIRS, stats.NOTE_CONSTANT_PAIRS)
    assert diff.n == len(values) and diff.paired


@given(st.lists(st.booleans(), min_size=1, max_size=60))
@settings(max_examples=60, deadline=None)
def test_paired_difference_of_identical_booleans_is_zero_with_symmetric_interval(values):
    diff = stats.paired_difference(values, list(values))
    assert diff.diff == 0.0
    assert diff.low == pytest.approx(-diff.high)
    assert diff.low <= 0.0 <= diff.high


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_differences_contain_their_estimate(pairs):
    x = [a for a, _ in pairs]
    y = [b for _, b in pairs]
    for diff in (stats.paired_difference(x, y), stats.unpaired_difference(x, y)):
        _interval_or_note(diff.low, diff.high, diff.diff, diff.note)
    assert stats.paired_difference(x, y).diff == pytest.approx(
        np.mean(x) - np.mean(y), rel=1e-9, abs=1e-6
    )


def test_pairing_narrows_the_interval_for_correlated_samples():
    rng = np.random.default_rng(1)
    base = rng.normal(0, 1, size=100)
    scenario = base + 0.1 + rng.normal(0, 0.05, size=100)
    paired = stats.paired_difference(scenario, base)
    unpaired = stats.unpaired_difference(scenario, base)
    assert paired.diff == pytest.approx(unpaired.diff)
    assert paired.low > 0  # detected with pairing
    assert unpaired.low < 0 < unpaired.high  # lost in the noise without
    assert (paired.high - paired.low) < 0.2 * (unpaired.high - unpaired.low)


def test_paired_difference_drops_incomplete_pairs():
    diff = stats.paired_difference([1.0, np.nan, 3.0, 5.0], [0.0, 1.0, np.nan, 4.0])
    assert diff.n == 2 and diff.diff == pytest.approx(1.0)
    with pytest.raises(ValueError):
        stats.paired_difference([1.0, 2.0], [1.0])


def test_unpaired_difference_with_one_constant_sample():
    diff = stats.unpaired_difference([1.0, 2.0, 3.0, 4.0] * 3, [2.0] * 10)
    assert diff.diff == pytest.approx(0.5)
    assert diff.low < 0.5 < diff.high and not diff.paired and diff.note == ""


@pytest.mark.parametrize(
    ("x", "y", "note"),
    [
        ([1.0, 2.0] * 6, [0.0, 1.0] * 4, stats.NOTE_TOO_FEW),  # one run has 8 values
        ([3.0] * 12, [1.0] * 10, stats.NOTE_CONSTANT),
    ],
)
def test_unpaired_difference_without_an_interval(x, y, note):
    diff = stats.unpaired_difference(x, y)
    assert diff.diff == pytest.approx(np.mean(x) - np.mean(y))
    assert math.isnan(diff.low) and math.isnan(diff.high) and diff.note == note


def test_one_replication_per_run_is_never_significant():
    """The issue's example: one replication each, a clear difference, but no interval."""
    paired = stats.paired_difference([0.522], [0.1])
    unpaired = stats.unpaired_difference([0.522], [0.1])
    for diff, note in ((paired, stats.NOTE_TOO_FEW_PAIRS), (unpaired, stats.NOTE_TOO_FEW)):
        assert diff.diff == pytest.approx(0.422) and diff.note == note
        assert not stats.excludes_zero(diff.low, diff.high)
    boolean = stats.paired_difference([True], [False])
    assert boolean.low < 0 < boolean.high  # Newcombe: wide, not significant


def test_large_samples_use_the_percentile_bootstrap():
    x = np.random.default_rng(0).exponential(size=stats.BCA_MAX_N + 10)
    est = stats.mean_interval(x)
    assert est.low < est.estimate < est.high


def test_is_boolean():
    assert stats.is_boolean(pd.Series([True, False]))
    assert stats.is_boolean(pd.Series([True, None], dtype=object))
    assert stats.is_boolean(pd.Series([True, False], dtype="boolean"))
    assert not stats.is_boolean(pd.Series([0.0, 1.0]))
    assert not stats.is_boolean(pd.Series(["a", "b"]))
    assert not stats.is_boolean(pd.Series([None, None], dtype=object))


def test_excludes_zero():
    assert stats.excludes_zero(0.1, 0.2) and stats.excludes_zero(-0.2, -0.1)
    assert not stats.excludes_zero(-0.1, 0.2)
    assert not stats.excludes_zero(0.0, 0.0)
    assert not stats.excludes_zero(math.nan, math.nan)


def test_paired_differences_within_rounding_are_no_difference():
    """A newcomer saw ``-3.997e-17*`` between two scenarios with equal forecasts."""
    base = np.linspace(0.3, 0.7, 50)
    nudged = base + np.where(np.arange(50) % 2, 5.6e-17, 0.0)  # (one ULP or so)
    d = stats.paired_difference(nudged, base)
    assert d.diff == 0.0 and np.isnan(d.low) and d.note  # (no interval: never starred)
