"""Synthetic result sets for the analysis tests (the simulation is not needed).

``make_run(name, seed=..., shift=...)`` writes a small but complete result-set folder
``<tmp>/results/<name>/<run_id>/`` in the format of ``sim/results.py`` and returns the
loaded ``ResultSet``. Parameters are drawn per replication from ``(seed, replication)``
only, so two runs with the same seed and replications are paired (common random
numbers), and ``shift`` moves the outcomes in a known direction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.experiment import parts
from sim.results import ResultSet, load

SIDES = ("regime", "opposition", "isis")
ISSUES = ("transition", "ceasefire")
ACTORS = ("regime", "russia", "iran", "usa", "turkey", "saudi")
TRIGGERS = ("russia_returns",)
LEVERAGE_PAIRS = (
    ("russia", "regime", 0.8),
    ("iran", "regime", 0.6),
    ("usa", "turkey", 0.4),
    ("usa", "saudi", 0.5),
    ("turkey", "usa", 0.2),
    ("saudi", "usa", 0.1),
    ("regime", "russia", 0.15),
)


def _scenario(
    name: str,
    seed: int,
    replications: int,
    horizon: int,
    description: str,
    levers: list[dict] | None,
) -> dict:
    return {
        "name": name,
        "description": description,
        "horizon": horizon,
        "replications": replications,
        "seed": seed,
        "issues": {i: {"scale": [0, 1], "low": "no", "high": "yes"} for i in ISSUES},
        "sides": {"regime": 0.4, "opposition": 0.35, "isis": 0.25},
        "actors": {
            a: {
                "economy": 1.0 + k,
                "position": {i: 0.5 for i in ISSUES},
                "salience": {i: 0.5 for i in ISSUES},
            }
            for k, a in enumerate(ACTORS)
        },
        "levers": levers
        if levers is not None
        else [
            {
                "type": "sanctions",
                "name": "EU sanctions",
                "senders": ["usa", "saudi"],
                "targets": ["russia"],
                "intensity": {"uniform": [0.001, 0.004]},
                "start": 2,
            },
            {"type": "talks", "participants": list(ACTORS)},
        ],
        "triggers": [],
    }


def write_run(
    root: Path,
    name: str = "baseline",
    *,
    seed: int = 7,
    replications: int = 40,
    shift: float = 0.0,
    status: str = "complete",
    horizon: int = 20,
    run_id: str | None = None,
    description: str = "A synthetic scenario for the tests.",
    levers: list[dict] | None = None,
    drop_outcomes: tuple[str, ...] = (),
    chunked: bool = False,
) -> ResultSet:
    """Write a fake result set and load it."""
    folder = Path(root) / "results" / name / (run_id or f"run-{seed}-{replications}")
    folder.mkdir(parents=True, exist_ok=True)
    noise_key = sum(map(ord, name))
    outcome_rows, series_rows, actor_rows, leverage_rows = [], [], [], []
    for r in range(replications):
        u = np.random.default_rng([seed, r]).uniform(size=8)  # the common random numbers
        e = np.random.default_rng([seed, r, noise_key]).normal(size=4) * 0.02
        settled = bool(u[0] < 0.45 + shift)
        step = float(np.floor(4 + 12 * u[1])) if settled else np.nan
        last = int(step) if settled else horizon
        share = np.array([0.4 + 0.3 * u[2] + shift, 0.35 - 0.1 * u[2], 0.25 - 0.2 * u[2]])
        share = np.clip(share, 0.01, None)
        share = share / share.sum()
        forecast = {
            "transition": float(np.clip(0.3 + 0.4 * u[3] + shift + e[0], 0, 1)),
            "ceasefire": float(np.clip(0.6 + 0.2 * u[4] - shift + e[1], 0, 1)),
        }
        harm = float(50 + 100 * u[5] - 40 * shift + 5 * e[2] * 50)
        costs = {a: float((k + 1) * 0.01 * (1 + u[6]) * (1 - shift)) for k, a in enumerate(ACTORS)}
        victory = SIDES[int(np.argmax(share))] if share.max() > 0.6 else "none"
        row = {
            "replication": r,
            "settled": settled,
            "settlement_step": step,
            **{f"settlement_position.{i}": (v if settled else np.nan) for i, v in forecast.items()},
            **{f"forecast.{i}": v for i, v in forecast.items()},
            **{f"territory.{s}": float(v) for s, v in zip(SIDES, share, strict=True)},
            "victory": victory,
            "triggered.russia_returns": bool(u[7] < 0.3),
            "triggered_step.russia_returns": float(3 + r % 5) if u[7] < 0.3 else np.nan,
            "incident": bool(u[7] > 0.9 - shift),
            "civilian_harm": harm,
            "coalition_cohesion": float(0.7 + 0.2 * u[6] + e[3]),
            **{f"cost.{a}": c for a, c in costs.items()},
            **{f"stress.{a}": float(min(1.0, 5 * c)) for a, c in costs.items()},
            **{
                f"position.{a}.{i}": float(0.5 + 0.05 * k)
                for k, a in enumerate(ACTORS)
                for i in ISSUES
            },
            "param.actors.russia.resolve": float(0.6 + 0.3 * u[1]),
        }
        outcome_rows.append({k: v for k, v in row.items() if k not in drop_outcomes})
        start = np.array([0.4, 0.35, 0.25])
        for t in range(last + 1):
            w = t / max(last, 1)
            terr = (1 - w) * start + w * share
            series_rows.append(
                {
                    "replication": r,
                    "step": t,
                    **{f"territory.{s}": float(v) for s, v in zip(SIDES, terr, strict=True)},
                    **{f"forecast.{i}": float(0.5 + w * (v - 0.5)) for i, v in forecast.items()},
                    "civilian_harm": harm * w,
                    "settled": bool(settled and t == last),
                }
            )
            for k, a in enumerate(ACTORS):
                actor_rows.append(
                    {
                        "replication": r,
                        "step": t,
                        "actor": a,
                        "force": float(10 - k - w),
                        **{f"position.{i}": 0.5 for i in ISSUES},
                        "stress": float(min(1.0, 5 * costs[a] * w)),
                        "cost": costs[a] * w,
                    }
                )
        for t in (0, last):
            for holder, target, value in LEVERAGE_PAIRS:
                v = value * (1 - 0.3 * (t > 0)) * (0.8 + 0.4 * u[2])
                leverage_rows.append(
                    {
                        "replication": r,
                        "step": t,
                        "holder": holder,
                        "target": target,
                        "value": float(v),
                    }
                )
    tables = {
        "outcomes": pd.DataFrame(outcome_rows),
        "timeseries": pd.DataFrame(series_rows),
        "actors": pd.DataFrame(actor_rows),
        "leverage": pd.DataFrame(leverage_rows),
    }
    for table, frame in tables.items():
        if chunked:
            (folder / table).mkdir(exist_ok=True)
            half = replications // 2
            for number, rows in enumerate(
                (frame[frame.replication < half], frame[frame.replication >= half])
            ):
                (folder / table / parts.name(number)).write_bytes(parts.encode(rows))
        else:
            frame.to_parquet(folder / f"{table}.parquet")
    scenario = _scenario(name, seed, replications, horizon, description, levers)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    manifest = {
        "scenario": name,
        "seed": seed,
        "replications": replications,
        "status": status,
        "started": "2024-01-01T00:00:00+00:00",
        "finished": "2024-01-01T00:01:00+00:00" if status == "complete" else None,
        "command": f"sim run scenarios/{name}.yaml --seed {seed} --replications {replications}",
        "versions": {"leverage-sim": "0.1.0", "python": "3.11", "numpy": np.__version__},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return load(folder)


@pytest.fixture
def make_run(tmp_path: Path) -> Callable[..., ResultSet]:
    """A factory writing synthetic result sets under the test's temporary folder."""

    def factory(name: str = "baseline", **kwargs) -> ResultSet:
        return write_run(tmp_path, name, **kwargs)

    return factory


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> list[ResultSet]:
    """Baseline, a paired scenario with a clear effect, and an unpaired one (read-only)."""
    root = tmp_path_factory.mktemp("shared")
    return [
        write_run(root, "baseline", seed=7, replications=40, run_id="run-a"),
        write_run(root, "sanctions", seed=7, replications=40, shift=0.15, run_id="run-b"),
        write_run(root, "withdrawal", seed=99, replications=30, shift=-0.1, run_id="run-c"),
    ]
