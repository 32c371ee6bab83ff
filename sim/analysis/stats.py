"""Estimates with 95% intervals, and differences from a baseline.

The methods, chosen once for every table and plot:

- **Mean of a numeric outcome**: the sample mean, with a bootstrap interval
  (``scipy.stats.bootstrap``, BCa; percentile above :data:`BCA_MAX_N` values,
  where BCa's jackknife gets slow and its correction negligible).
  ``n_resamples`` = 2000 and a fixed seed, so the same data always give the same
  interval.
- **Probability of a boolean outcome**: the share of ``True``, with the Wilson
  score interval (closed form).
- **Paired difference of means** (two runs with the same seed and replications:
  common random numbers): the mean of the per-replication differences, with a
  bootstrap interval of that mean.
- **Unpaired difference of means**: difference of the two means; bootstrap
  resampling each sample independently.
- **Paired difference of probabilities**: Newcombe's square-and-add interval
  for paired proportions (Newcombe 1998, *Stat Med* 17:2635, method 10: Wilson
  intervals for both margins combined with the continuity-corrected correlation
  of the 2x2 table of pairs).
- **Unpaired difference of probabilities**: Newcombe's hybrid score interval
  (Newcombe 1998, *Stat Med* 17:873, method 10).

Missing values (NaN, None) are dropped per outcome (for paired data, per pair);
``n`` counts what is left. With ``n == 0`` everything is NaN.

**When there is no interval.** An interval that cannot be estimated is missing
(``low`` and ``high`` NaN) with a ``note`` saying why, never zero width; a missing
interval never counts as excluding zero (:func:`excludes_zero`). The minimum sizes:

- *Bootstrap* (means and their differences): at least :data:`MIN_BOOTSTRAP_N` (10)
  values, per run for an unpaired difference, or pairs for a paired one, and values
  that are not all equal. The bootstrap distribution of a mean of ``n`` values has
  the plug-in spread ``s·sqrt((n-1)/n)/sqrt(n)`` and normal-like tails, so for
  near-normal data a 95% percentile interval covers about as often as
  ``P(|t_{n-1}| < 1.96·sqrt((n-1)/n))``: 95% as n grows, 93% at n = 20, 90% at
  n = 10, 85% at n = 5, and one or two values give a handful of distinct resamples
  (one value: zero width). Below 10 the interval would be misleadingly narrow, so
  none is given. When every value (every paired difference) is equal, every
  resample is the point: the data say nothing about the spread, so there is no
  interval either (the estimate itself is still given; a paired difference of two
  identical runs is exactly 0, with no interval). A bootstrap that yields a
  non-finite or zero-width interval (pathological, tied data) is missing too.
- *Wilson score* (probabilities) and *Newcombe* (their differences, built on
  Wilson): defined for every ``n >= 1``, missing only at ``n == 0``. They never have
  zero width (the half-width is at least ``z²/(2(n + z²))``); with all or none of
  the values true the interval is one-sided (``[low, 1]``, ``[0, high]``): seeing 0
  incidents in 50 replications still leaves an upper bound of about 7%, and with one
  replication the interval is very wide (``[0.21, 1]`` for one success), as it
  should be. So the paired difference of two identical boolean samples is exactly 0
  with an interval that is not zero-width. The interval's actual coverage at very
  small ``n`` oscillates around the nominal level; the table shows ``n`` for that.

Every interval contains its estimate (BCa may, in rare discrete cases, put the
estimate a hair outside; the interval is then widened to include it).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

CONFIDENCE = 0.95
N_RESAMPLES = 2000
SEED = 20160
BCA_MAX_N = 5000
#: the fewest values (per run, or pairs) a bootstrap interval is computed from (see above).
MIN_BOOTSTRAP_N = 10
NOTE_NO_VALUES = "no values"
#: relative size of a paired difference that is floating-point rounding, not an effect
ROUNDING = 1e-12
NOTE_TOO_FEW = f"fewer than {MIN_BOOTSTRAP_N} values: too few for a bootstrap interval"
NOTE_TOO_FEW_PAIRS = f"fewer than {MIN_BOOTSTRAP_N} pairs: too few for a bootstrap interval"
NOTE_CONSTANT = "all values equal: a bootstrap interval would have zero width"
NOTE_CONSTANT_PAIRS = (
    "the same difference in every pair: a bootstrap interval would have zero width"
)
NOTE_DEGENERATE = "the bootstrap gave no usable interval (tied or extreme values)"


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its interval, from ``n`` non-missing values."""

    n: int
    estimate: float
    low: float
    high: float
    note: str = ""  #: why the interval is missing ("" when it is there)


@dataclass(frozen=True)
class Difference:
    """A difference (scenario minus baseline) with its interval.

    ``n`` is the number of pairs when ``paired``, else the smaller sample size.
    """

    n: int
    diff: float
    low: float
    high: float
    paired: bool
    note: str = ""  #: why the interval is missing ("" when it is there)


NAN_ESTIMATE = Estimate(0, math.nan, math.nan, math.nan, NOTE_NO_VALUES)


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def is_boolean(values: Any) -> bool:
    """True when ``values`` (a Series or array) holds booleans, missing values allowed."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_bool_dtype(series.dtype):
        return True
    if series.dtype == object:
        present = series.dropna()
        return len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)
    return False


def to_float(values: Any) -> np.ndarray:
    """The values as a float array, booleans as 0/1 and missing values as NaN."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _present(values: Any) -> np.ndarray:
    array = to_float(values)
    return array[~np.isnan(array)]


def _bootstrap(
    samples: tuple[np.ndarray, ...],
    statistic: Any,
    point: float,
    confidence: float,
    n_resamples: int,
    seed: int,
    paired: bool = False,
) -> tuple[float, float, str]:
    """Bootstrap interval for ``statistic`` (vectorised, ``axis`` keyword), widened to ``point``.

    Returns:
        ``(low, high, "")``, or ``(nan, nan, note)`` when no interval can be estimated:
        fewer than :data:`MIN_BOOTSTRAP_N` values in a sample, every sample constant, or
        a bootstrap that yields no finite interval of positive width.

    """
    if min(len(s) for s in samples) < MIN_BOOTSTRAP_N:
        return math.nan, math.nan, NOTE_TOO_FEW_PAIRS if paired else NOTE_TOO_FEW
    if all(np.ptp(s) == 0 for s in samples):  # constant data: every resample is the point
        return math.nan, math.nan, NOTE_CONSTANT_PAIRS if paired else NOTE_CONSTANT
    from scipy.stats import bootstrap

    method = "BCa" if sum(len(s) for s in samples) <= BCA_MAX_N else "percentile"
    low = high = math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            for how in dict.fromkeys((method, "percentile")):
                result = bootstrap(
                    samples,
                    statistic,
                    n_resamples=n_resamples,
                    vectorized=True,
                    confidence_level=confidence,
                    method=how,
                    rng=np.random.default_rng(seed),
                    batch=250,
                )
                low = float(result.confidence_interval.low)
                high = float(result.confidence_interval.high)
                if math.isfinite(low) and math.isfinite(high):
                    break
    low, high = min(low, point), max(high, point)
    if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
        return math.nan, math.nan, NOTE_DEGENERATE
    return low, high, ""


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis)


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def mean_interval(
    values: Any,
    confidence: float = CONFIDENCE,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> Estimate:
    """The mean of the non-missing values, with a bootstrap interval.

    Args:
        values: numbers (NaN/None are dropped).
        confidence: the interval's confidence level.
        n_resamples: bootstrap resamples.
        seed: the bootstrap's random seed (fixed: reproducible intervals).

    Returns:
        The estimate; NaN with ``n == 0`` when nothing is left. The interval is missing
        (NaN, with a ``note``) below :data:`MIN_BOOTSTRAP_N` values or when all are equal.

    """
    x = _present(values)
    if len(x) == 0:
        return NAN_ESTIMATE
    point = float(np.mean(x))
    if np.ptp(x) == 0:
        point = float(x[0])
    low, high, note = _bootstrap((x,), _mean, point, confidence, n_resamples, seed)
    return Estimate(len(x), point, low, high, note)


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``successes / n``.

    Args:
        successes: the number of successes, ``0 <= successes <= n``.
        n: the number of trials.
        confidence: the confidence level.

    Returns:
        ``(low, high)``, inside [0, 1] and never of zero width for ``n >= 1`` (one-sided
        when ``successes`` is 0 or ``n``); NaNs when ``n == 0``.

    """
    if n <= 0:
        return math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n, got {successes} of {n}")
    z = _z(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def proportion_interval(values: Any, confidence: float = CONFIDENCE) -> Estimate:
    """The share of true values among the non-missing ones, with the Wilson interval."""
    x = _present(values)
    n = len(x)
    if n == 0:
        return NAN_ESTIMATE
    successes = int(np.count_nonzero(x))
    low, high = wilson_interval(successes, n, confidence)
    return Estimate(n, successes / n, low, high)


def estimate(values: Any, boolean: bool | None = None, confidence: float = CONFIDENCE) -> Estimate:
    """The estimate of one outcome: a probability for booleans, else a mean.

    Args:
        values: the outcome's values over replications.
        boolean: whether the values are booleans; guessed from the dtype when None.
        confidence: the confidence level.

    Returns:
        The estimate with its interval.

    """
    if boolean is None:
        boolean = is_boolean(values)
    if boolean:
        return proportion_interval(values, confidence)
    return mean_interval(values, confidence)


def newcombe_unpaired(
    x1: int, n1: int, x2: int, n2: int, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """Newcombe's hybrid score interval for ``x1/n1 - x2/n2`` (independent samples).

    Returns:
        ``(difference, low, high)``; NaNs when either sample is empty.

    """
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan, math.nan
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def newcombe_paired(
    a: int, b: int, c: int, d: int, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """Newcombe's square-and-add interval for a difference of paired proportions.

    The pairs form a 2x2 table: ``a`` both true, ``b`` true in the first sample only,
    ``c`` true in the second only, ``d`` both false. The difference is
    ``(a + b)/n - (a + c)/n = (b - c)/n`` (Newcombe 1998, method 10).

    Returns:
        ``(difference, low, high)``; NaNs when there are no pairs.

    """
    n = a + b + c + d
    if n <= 0:
        return math.nan, math.nan, math.nan
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_interval(a + b, n, confidence)
    l2, u2 = wilson_interval(a + c, n, confidence)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0
    if margins > 0:
        cross = a * d - b * c
        if cross > n / 2:
            phi = (cross - n / 2) / math.sqrt(margins)
        elif cross < 0:
            phi = cross / math.sqrt(margins)
    diff = (b - c) / n
    dl, du = p1 - l1, u2 - p2
    low = diff - math.sqrt(max(0.0, dl * dl - 2 * phi * dl * du + du * du))
    el, eu = p2 - l2, u1 - p1
    high = diff + math.sqrt(max(0.0, el * el - 2 * phi * el * eu + eu * eu))
    return diff, max(-1.0, low), min(1.0, high)


def paired_difference(
    values: Any,
    baseline: Any,
    boolean: bool | None = None,
    confidence: float = CONFIDENCE,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> Difference:
    """Difference ``values - baseline`` for paired samples (same replications, aligned).

    Pairs where either value is missing are dropped. Numbers: mean of the
    per-replication differences, bootstrap interval; a pair's difference within
    ``ROUNDING`` (relative) of its values counts as 0 (rounding, not an effect).
    Booleans: difference of proportions, Newcombe's paired square-and-add interval.

    Args:
        values: the scenario's values, one per replication.
        baseline: the baseline's values for the same replications, same order.
        boolean: whether the values are booleans; guessed from the dtypes when None.
        confidence: the confidence level.
        n_resamples: bootstrap resamples.
        seed: the bootstrap's random seed.

    Returns:
        The difference, with ``paired=True``.

    """
    if boolean is None:
        boolean = is_boolean(values) or is_boolean(baseline)
    x, y = to_float(values), to_float(baseline)
    if len(x) != len(y):
        raise ValueError(f"paired samples differ in length: {len(x)} and {len(y)}")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    n = len(x)
    if n == 0:
        return Difference(0, math.nan, math.nan, math.nan, True, NOTE_NO_VALUES)
    if boolean:
        xb, yb = x != 0, y != 0
        a = int(np.count_nonzero(xb & yb))
        b = int(np.count_nonzero(xb & ~yb))
        c = int(np.count_nonzero(~xb & yb))
        d = n - a - b - c
        diff, low, high = newcombe_paired(a, b, c, d, confidence)
        return Difference(n, diff, low, high, True)
    deltas = x - y
    # differences within floating-point rounding of the values are no difference: two
    # scenarios whose numbers agree up to the order of a sum must not look different
    deltas[np.abs(deltas) <= ROUNDING * np.maximum(np.abs(x), np.abs(y))] = 0.0
    point = float(np.mean(deltas)) if np.ptp(deltas) else float(deltas[0])
    low, high, note = _bootstrap(
        (deltas,), _mean, point, confidence, n_resamples, seed, paired=True
    )
    return Difference(n, point, low, high, True, note)


def unpaired_difference(
    values: Any,
    baseline: Any,
    boolean: bool | None = None,
    confidence: float = CONFIDENCE,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> Difference:
    """Difference ``values - baseline`` for independent samples.

    Missing values are dropped from each sample. Numbers: difference of means,
    bootstrap resampling each sample independently. Booleans: difference of
    proportions, Newcombe's hybrid score interval.

    Args:
        values: the scenario's values.
        baseline: the baseline's values.
        boolean: whether the values are booleans; guessed from the dtypes when None.
        confidence: the confidence level.
        n_resamples: bootstrap resamples.
        seed: the bootstrap's random seed.

    Returns:
        The difference, with ``paired=False``.

    """
    if boolean is None:
        boolean = is_boolean(values) or is_boolean(baseline)
    x, y = _present(values), _present(baseline)
    n = min(len(x), len(y))
    if n == 0:
        return Difference(n, math.nan, math.nan, math.nan, False, NOTE_NO_VALUES)
    if boolean:
        diff, low, high = newcombe_unpaired(
            int(np.count_nonzero(x)), len(x), int(np.count_nonzero(y)), len(y), confidence
        )
        return Difference(n, diff, low, high, False)
    mx = float(np.mean(x)) if np.ptp(x) else float(x[0])
    my = float(np.mean(y)) if np.ptp(y) else float(y[0])
    point = mx - my
    low, high, note = _bootstrap((x, y), _mean_difference, point, confidence, n_resamples, seed)
    return Difference(n, point, low, high, False, note)


def excludes_zero(low: float, high: float) -> bool:
    """True when the interval ``[low, high]`` lies strictly on one side of zero.

    A missing interval (NaN) excludes nothing: nothing is significant without one.
    """
    return bool((low > 0 and high > 0) or (low < 0 and high < 0))


def describe_methods(paired: Sequence[bool] | bool) -> str:
    """One line saying how the differences were estimated."""
    flags = [paired] if isinstance(paired, bool) else list(paired)
    parts = []
    if any(flags):
        parts.append(
            "paired (same seed and replications): mean of per-replication differences over "
            "the replications with a value in both runs (n), bootstrap BCa; booleans: "
            "Newcombe paired score"
        )
    if not all(flags):
        parts.append(
            "unpaired: difference of means, bootstrap of each sample; "
            "booleans: Newcombe hybrid score"
        )
    return "; ".join(parts)
