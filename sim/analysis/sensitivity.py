"""Global sensitivity of outcomes to a scenario's uncertain parameters (SALib).

Following SALib's sample → evaluate → analyze contract: parameters are sampled in
*quantile* space (each uncertain parameter's quantile u ∈ [0, 1], mapped through its
own distribution by inverse transform), the model is run once per sample, and Sobol'
or Morris indices are computed per outcome. Every run uses the same stream for the
model's own noise (common random numbers), so the indices measure the parameters'
effect, not noise. References: Saltelli et al. (2010); Morris (1991); Herman & Usher,
SALib (2017).

At the edges: an outcome that is the same in every run has no variance to apportion,
so its indices are 0 (their ``_conf`` missing) with a ``note``; an outcome that is
missing (NaN) in some or all runs cannot be analysed (the estimators need a value
from every run) and is listed in :attr:`Sweep.skipped` with the reason. The same seed,
0 included, gives the same samples, indices and confidence intervals (SALib's Sobol'
analysis treats a seed of 0 as "no seed", so it is given a ``numpy.random.SeedSequence``
of the seed instead, which draws the same numbers an integer seed would).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.analysis.compare import suggest
from sim.errors import LeverageError
from sim.experiment.design import run_design
from sim.outcomes import headline
from sim.scenario.sample import Sampler, random_params
from sim.scenario.schema import Scenario

METHODS = ("sobol", "morris")


@dataclass
class Sweep:
    """A sensitivity analysis: the samples, the model's outcomes, and the indices.

    Attributes:
        method: ``sobol`` or ``morris``.
        parameters: the uncertain parameters' paths.
        samples: one row per model run, the parameters' drawn values.
        outcomes: one row per model run.
        indices: tidy table, one row per outcome and parameter (Sobol': ``S1``,
            ``S1_conf``, ``ST``, ``ST_conf``; Morris: ``mu_star``, ``mu_star_conf``,
            ``sigma``), and ``note`` (why the indices of a constant outcome are 0, else
            empty). It has these columns even when no outcome could be analysed.
        skipped: the outcomes that could not be analysed, each with the reason.
        failed: the model runs that raised (``replication``: its row of ``samples``,
            ``error``, ``traceback``); their outcomes are missing, so the outcomes they
            would have given are skipped (SALib needs a value from every run).

    """

    method: str
    parameters: list[str]
    samples: pd.DataFrame
    outcomes: pd.DataFrame
    indices: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    failed: list[dict] = field(default_factory=list)

    @property
    def analysed(self) -> list[str]:
        """The outcomes that have indices (constant ones included)."""
        return list(dict.fromkeys(self.indices["outcome"])) if len(self.indices) else []


KEYS = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"), "morris": ("mu_star", "mu_star_conf", "sigma")}
NOTE_CONSTANT = "the same value in every run: no variance to apportion (indices 0)"


def _salib(method: str):  # noqa: ANN202 - the SALib sample and analyze modules
    try:
        if method == "sobol":
            from SALib.analyze import sobol as analyze
            from SALib.sample import sobol as sample
        else:
            from SALib.analyze import morris as analyze
            from SALib.sample import morris as sample
    except ImportError:
        raise LeverageError(
            "sensitivity analysis needs the 'sensitivity' extra: "
            "pip install 'leverage-sim[sensitivity]'"
        ) from None
    return sample, analyze


def sweep(
    scenario: Scenario,
    method: str = "sobol",
    samples: int = 64,
    seed: int = 0,
    outcomes: Sequence[str] | None = None,
    workers: int = 1,
) -> Sweep:
    """Run a global sensitivity analysis of a scenario.

    Args:
        scenario: a scenario with at least one parameter drawn from a distribution.
        method: ``sobol`` (Saltelli sampling, first and total order indices; runs
            ``samples × (d + 2)`` models for d parameters) or ``morris`` (elementary
            effects; ``samples × (d + 1)`` runs).
        samples: SALib's base sample size N (a power of 2 for Sobol').
        seed: seeds the sampling, the bootstrap of the indices and the model's noise
            (any seed >= 0, 0 included, gives the same numbers every time).
        outcomes: outcome columns to analyse (default: the headline ones).
        workers: local processes running the model.

    Raises:
        LeverageError: unknown method, no uncertain parameters, unknown outcomes.

    """
    if method not in METHODS:
        raise LeverageError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    params = random_params(scenario)
    if not params:
        raise LeverageError(
            f"scenario {scenario.name!r} has no parameter drawn from a "
            "distribution: nothing to analyse"
        )
    names = [path for path, _ in params]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    sample, analyze = _salib(method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's advice on sample sizes
        if method == "sobol":
            u = sample.sample(problem, samples, calc_second_order=False, seed=seed)
        else:
            u = sample.sample(problem, samples, seed=seed)
    u = np.clip(u, 0.0, 1.0 - 1e-12)
    values = Sampler(params).values(u)  # (N, P), columns in the order of ``names``
    runs, failed = run_design(
        scenario, seed, values, executor="processes" if workers > 1 else "serial", workers=workers
    )
    table = _outcomes(runs, len(values))
    if not runs.num_rows:
        raise LeverageError(
            f"every one of the {len(values)} model runs failed; first: "
            f"{failed[0]['error'] if failed else 'unknown'}"
        )
    chosen = _choose(table, outcomes)
    indices, skipped = [], {}
    keys = KEYS[method]
    for outcome in chosen:
        y = table[outcome].astype(float).to_numpy()
        missing = int(np.isnan(y).sum())
        if missing:
            skipped[outcome] = (
                f"missing (NaN) in every one of the {len(y)} runs"
                if missing == len(y)
                else f"missing (NaN) in {missing} of the {len(y)} runs; "
                "the indices need a value from every run"
            )
            continue
        if np.ptp(y) == 0:
            zeros = dict.fromkeys(keys, 0.0) | {k: np.nan for k in keys if k.endswith("_conf")}
            indices += [
                {"outcome": outcome, "parameter": name, **zeros, "note": NOTE_CONSTANT}
                for name in names
            ]
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "sobol":  # SALib's sobol.analyze ignores a seed of 0: see above
                res = analyze.analyze(
                    problem, y, calc_second_order=False, seed=np.random.SeedSequence(seed)
                )
            else:
                res = analyze.analyze(problem, u, y, seed=seed)
        for i, name in enumerate(names):
            indices.append(
                {
                    "outcome": outcome,
                    "parameter": name,
                    **{k: float(res[k][i]) for k in keys},
                    "note": "",
                }
            )
    frame = pd.DataFrame(indices, columns=["outcome", "parameter", *keys, "note"])
    return Sweep(
        method, names, pd.DataFrame(values, columns=names), table[chosen], frame, skipped, failed
    )


def _outcomes(table: pa.Table, runs: int) -> pd.DataFrame:
    """One row per run (0 .. runs - 1); a failed run's row is missing (NaN; flags as
    0/1 numbers, so that they can be missing too).
    """
    frame = table.to_pandas() if table.num_rows else pd.DataFrame({"replication": []})
    flags = [c for c in frame.columns if frame[c].dtype == bool]
    frame[flags] = frame[flags].astype(float)
    return frame.set_index("replication").reindex(range(runs)).reset_index(drop=True)


def _choose(table: pd.DataFrame, outcomes: Sequence[str] | None) -> list[str]:
    numeric = [
        c
        for c in table.columns
        if c != "replication"
        and not c.startswith("param.")
        and (pd.api.types.is_numeric_dtype(table[c]) or table[c].dtype == bool)
    ]
    if outcomes is None:
        return headline(numeric)
    unknown = [o for o in outcomes if o not in numeric]
    if unknown:
        raise LeverageError(
            f"unknown outcome(s) {', '.join(unknown)}; {suggest(unknown[0], numeric)}"
        )
    return list(outcomes)


def top_parameters(indices: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The ``n`` most influential parameters per outcome (by ST, or by mu_star)."""
    key = "ST" if "ST" in indices else "mu_star"
    return (
        indices.sort_values(["outcome", key], ascending=[True, False])
        .groupby("outcome", sort=False)
        .head(n)
        .reset_index(drop=True)
    )


def plot_indices(result: Sweep, n: int = 10):  # noqa: ANN201 - matplotlib Figure
    """Bar charts of the ``n`` most influential parameters for each outcome."""
    from matplotlib.figure import Figure

    top = top_parameters(result.indices, n)
    outcomes = list(dict.fromkeys(top["outcome"]))
    fig = Figure(figsize=(9, 2.2 + 2.6 * len(outcomes)), layout="constrained")
    axes = fig.subplots(max(1, len(outcomes)), 1, squeeze=False)[:, 0]
    key, err = ("ST", "ST_conf") if result.method == "sobol" else ("mu_star", "mu_star_conf")
    for ax, outcome in zip(axes, outcomes, strict=False):
        part = top[top.outcome == outcome].iloc[::-1]
        ax.barh(part["parameter"], part[key], xerr=part[err], color="#4472c4")
        ax.set_title(outcome, fontsize=10)
        ax.set_xlabel("total-order index ST" if key == "ST" else "mu* (elementary effects)")
        ax.tick_params(axis="y", labelsize=8)
    return fig
