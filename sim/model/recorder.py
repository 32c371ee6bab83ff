"""Data collection into preallocated arrays, read back as pandas DataFrames."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from sim.model.context import State

ToScale = Callable[[np.ndarray], np.ndarray]


class Recorder:
    """Model-level and per-actor series for steps 0..horizon (step 0: the initial state)."""

    def __init__(self, horizon: int, actors: int, sides: int, issues: int) -> None:
        n = horizon + 1
        self.steps = 0
        self.territory = np.zeros((n, sides))
        self.forecast = np.zeros((n, issues))
        self.harm = np.zeros(n)
        self.settled = np.zeros(n, dtype=bool)
        self.force = np.zeros((n, actors))
        self.position = np.zeros((n, actors, issues))
        self.stress = np.zeros((n, actors))
        self.cost = np.zeros((n, actors))

    def record(self, state: State, settled: bool, force: np.ndarray, stress: np.ndarray
               ) -> None:
        """Store the state of the step just completed.

        Args:
            state: the state after the step.
            settled: whether the talks have settled.
            force: force in the theatre (``state.total_force()``).
            stress: ``state.pain / pain_tolerance``.

        """
        t = self.steps
        self.territory[t] = state.territory
        self.forecast[t] = state.forecast
        self.harm[t] = state.harm
        self.settled[t] = settled
        self.force[t] = force
        self.position[t] = state.x
        self.stress[t] = stress
        self.cost[t] = state.pain
        self.steps += 1

    def model_frame(self, sides: tuple[str, ...], issues: tuple[str, ...],
                    to_scale: ToScale, replication: int = 0) -> pd.DataFrame:
        """One row per step: territory, forecast (issue scale), civilian harm, settled."""
        return model_frame([(replication, self)], sides, issues, to_scale)

    def actor_frame(self, actors: tuple[str, ...], issues: tuple[str, ...],
                    to_scale: ToScale, replication: int = 0) -> pd.DataFrame:
        """One row per step and actor: force, positions (issue scale), stress, cost."""
        return actor_frame([(replication, self)], actors, issues, to_scale)


def _stack(runs: Sequence[tuple[int, Recorder]], name: str) -> np.ndarray:
    return np.concatenate([getattr(r, name)[:r.steps] for _, r in runs])


def _replications(runs: Sequence[tuple[int, Recorder]], per_step: int = 1) -> np.ndarray:
    return np.repeat(np.array([n for n, _ in runs], dtype=np.int64),
                     [r.steps * per_step for _, r in runs])


def _steps(runs: Sequence[tuple[int, Recorder]]) -> np.ndarray:
    return np.concatenate([np.arange(r.steps) for _, r in runs])


def model_frame(runs: Sequence[tuple[int, Recorder]], sides: tuple[str, ...],
                issues: tuple[str, ...], to_scale: ToScale) -> pd.DataFrame:
    """The model-level series of several runs, ``(replication, recorder)``, in one frame."""
    territory = _stack(runs, "territory")
    scaled = to_scale(_stack(runs, "forecast"))
    data = {"replication": _replications(runs), "step": _steps(runs)}
    data |= {f"territory.{s}": territory[:, b] for b, s in enumerate(sides)}
    data |= {f"forecast.{k}": scaled[:, j] for j, k in enumerate(issues)}
    data |= {"civilian_harm": _stack(runs, "harm"), "settled": _stack(runs, "settled")}
    return pd.DataFrame(data)


def actor_frame(runs: Sequence[tuple[int, Recorder]], actors: tuple[str, ...],
                issues: tuple[str, ...], to_scale: ToScale) -> pd.DataFrame:
    """The per-actor series of several runs, ``(replication, recorder)``, in one frame."""
    a = len(actors)
    steps = _steps(runs)
    scaled = to_scale(_stack(runs, "position"))  # (n, A, K)
    data = {"replication": _replications(runs, a),
            "step": np.repeat(steps, a),
            "actor": np.tile(np.array(actors, dtype=object), len(steps)),
            "force": _stack(runs, "force").ravel()}
    data |= {f"position.{k}": scaled[:, :, j].ravel() for j, k in enumerate(issues)}
    data |= {"stress": _stack(runs, "stress").ravel(), "cost": _stack(runs, "cost").ravel()}
    return pd.DataFrame(data)
