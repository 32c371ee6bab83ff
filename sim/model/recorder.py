"""Data collection into preallocated arrays, read back as pandas DataFrames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.context import Params, State


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

    def record(self, state: State, params: Params, settled: bool) -> None:
        """Store the state of the step just completed."""
        t = self.steps
        self.territory[t] = state.territory
        self.forecast[t] = state.forecast
        self.harm[t] = state.harm
        self.settled[t] = settled
        self.force[t] = state.total_force()
        self.position[t] = state.x
        self.stress[t] = state.pain / params.pain_tolerance
        self.cost[t] = state.pain
        self.steps += 1

    def model_frame(self, sides: tuple[str, ...], issues: tuple[str, ...],
                    to_scale, replication: int = 0) -> pd.DataFrame:
        """One row per step: territory, forecast (issue scale), civilian harm, settled."""
        n = self.steps
        data = {"replication": np.full(n, replication), "step": np.arange(n)}
        data |= {f"territory.{s}": self.territory[:n, b] for b, s in enumerate(sides)}
        scaled = to_scale(self.forecast[:n])
        data |= {f"forecast.{k}": scaled[:, j] for j, k in enumerate(issues)}
        data |= {"civilian_harm": self.harm[:n], "settled": self.settled[:n]}
        return pd.DataFrame(data)

    def actor_frame(self, actors: tuple[str, ...], issues: tuple[str, ...],
                    to_scale, replication: int = 0) -> pd.DataFrame:
        """One row per step and actor: force, positions (issue scale), stress, cost."""
        n, a = self.steps, len(actors)
        scaled = to_scale(self.position[:n])  # (n, A, K)
        data = {"replication": np.full(n * a, replication),
                "step": np.repeat(np.arange(n), a),
                "actor": np.tile(np.array(actors, dtype=object), n),
                "force": self.force[:n].ravel()}
        data |= {f"position.{k}": scaled[:, :, j].ravel() for j, k in enumerate(issues)}
        data |= {"stress": self.stress[:n].ravel(), "cost": self.cost[:n].ravel()}
        return pd.DataFrame(data)
