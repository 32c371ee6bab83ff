"""Data collection into preallocated (T+1, R, ...) arrays, read back as pandas DataFrames."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.engine.arrays import Params, State

if TYPE_CHECKING:
    import pandas as pd

ToScale = Callable[[np.ndarray], np.ndarray]


class Recorder:
    """Model-level and per-actor series of R replications for steps 0..horizon.

    Step 0 is the initial state; a replication that finishes early has no rows after its
    last step (``State.last_step``).
    """

    def __init__(
        self,
        horizon: int,
        replications: int,
        actors: int,
        sides: int,
        issues: int,
        war_issue: np.ndarray | None = None,
        population: bool = False,
    ) -> None:
        n, r = horizon + 1, replications
        self.war_issue = np.zeros(0, dtype=np.intp) if war_issue is None else war_issue
        wars = len(self.war_issue)
        # the bargaining range on the war issues (normalised; NaN at step 0)
        self.range_low = np.full((n, r, wars), np.nan)
        self.range_high = np.full((n, r, wars), np.nan)
        self.territory = np.zeros((n, r, sides))
        # population shares, only in scenarios with fronts or population
        self.population = np.zeros((n, r, sides)) if population else None
        self.forecast = np.zeros((n, r, issues))
        self.harm = np.zeros((n, r))
        self.settled = np.zeros((n, r), dtype=bool)
        self.force = np.zeros((n, r, actors))
        self.position = np.zeros((n, r, actors, issues))
        self.stress = np.zeros((n, r, actors))
        self.cost = np.zeros((n, r, actors))

    def record(self, state: State, params: Params) -> None:
        """Store the state after step ``state.step`` (rows that had finished keep theirs)."""
        t = state.step
        self.territory[t] = state.territory
        if self.population is not None:
            self.population[t] = state.population
        self.forecast[t] = state.forecast
        self.harm[t] = state.harm
        self.settled[t] = state.settled
        self.force[t] = state.total_force()
        self.position[t] = state.x
        self.stress[t] = state.stress(params)
        self.cost[t] = state.pain
        self.range_low[t] = state.range_low
        self.range_high[t] = state.range_high

    def model_frame(
        self,
        last_step: np.ndarray,
        replications: np.ndarray,
        sides: tuple[str, ...],
        issues: tuple[str, ...],
        to_scale: ToScale,
    ) -> pd.DataFrame:
        """One row per replication and step: territory, population (in scenarios with fronts
        or population), forecast (issue scale), civilian harm, settled, and on each war
        issue the bargaining range (``range_low``, ``range_high``, issue scale) and its
        ``ripeness`` (its width, negative when closed).

        Args:
            last_step: each row's last step, (R,).
            replications: each row's replication number, (R,).
            sides: the side names.
            issues: the issue names.
            to_scale: normalised positions to each issue's scale.

        """
        rows, steps = _kept(last_step)
        territory = self.territory[steps, rows]
        scaled = to_scale(self.forecast[steps, rows])
        data = {"replication": replications[rows].astype(np.int64), "step": steps}
        data |= {f"territory.{s}": territory[:, b] for b, s in enumerate(sides)}
        if self.population is not None:
            population = self.population[steps, rows]
            data |= {f"population.{s}": population[:, b] for b, s in enumerate(sides)}
        data |= {f"forecast.{k}": scaled[:, j] for j, k in enumerate(issues)}
        data |= {"civilian_harm": self.harm[steps, rows], "settled": self.settled[steps, rows]}
        if len(self.war_issue):
            full = np.full((len(steps), len(issues)), np.nan)
            for name, values in (("range_low", self.range_low), ("range_high", self.range_high)):
                full[:, self.war_issue] = values[steps, rows]
                data |= {f"{name}.{issues[k]}": to_scale(full)[:, k] for k in self.war_issue}
            data |= {
                f"ripeness.{issues[k]}": data[f"range_high.{issues[k]}"]
                - data[f"range_low.{issues[k]}"]
                for k in self.war_issue
            }
        import pandas as pd  # (only the time series need pandas)

        return pd.DataFrame(data)

    def actor_frame(
        self,
        last_step: np.ndarray,
        replications: np.ndarray,
        actors: tuple[str, ...],
        issues: tuple[str, ...],
        to_scale: ToScale,
    ) -> pd.DataFrame:
        """One row per replication, step and actor: force, positions (issue scale),
        stress, cost.
        """
        rows, steps = _kept(last_step)
        a = len(actors)
        scaled = to_scale(self.position[steps, rows])  # (n, A, K)
        data = {
            "replication": np.repeat(replications[rows].astype(np.int64), a),
            "step": np.repeat(steps, a),
            "actor": np.tile(np.array(actors, dtype=object), len(steps)),
            "force": self.force[steps, rows].ravel(),
        }
        data |= {f"position.{k}": scaled[:, :, j].ravel() for j, k in enumerate(issues)}
        data |= {"stress": self.stress[steps, rows].ravel(), "cost": self.cost[steps, rows].ravel()}
        import pandas as pd  # (only the time series need pandas)

        return pd.DataFrame(data)


def _kept(last_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, step) of every recorded step, replication by replication."""
    counts = last_step + 1
    rows = np.repeat(np.arange(len(last_step)), counts)
    starts = np.cumsum(counts) - counts
    steps = np.arange(counts.sum()) - np.repeat(starts, counts)
    return rows, steps
