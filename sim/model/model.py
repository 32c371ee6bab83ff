"""``LeverageModel``: the readable per-replication view of the engine (a ``mesa.Model``).

A ``LeverageModel`` is the engine run with one replication (R = 1), or a view of one row of
a finished batch (``LeverageModel.view``). Notebooks and the interactive view read it; the
experiment runner does not need it (workers never import Mesa).
"""

from __future__ import annotations

import math
import os
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.engine import Blueprint, Engine, Streams
from sim.engine.arrays import Params, State
from sim.engine.recorder import Recorder
from sim.errors import LeverageError
from sim.model.agents import StateAgent
from sim.outcomes import outcome_columns
from sim.scenario.schema import Scenario


class LeverageModel(mesa.Model):
    """One replication of a scenario.

    Args:
        scenario: the scenario, or its compiled ``Blueprint`` (faster for many runs).
        values: the replication's drawn parameter values by path (``Blueprint.draw``);
            parameters missing here take their distribution's mean.
        rng: the replication's generator, handed down by the runner; its noise, incident
            and trigger streams are spawned from it.
        record: keep the time series (``timeseries``, ``actor_series``).

    Attributes:
        blueprint: the compiled scenario (``blueprint.scenario`` is the scenario).
        engine: the engine behind the view (R = 1, or the batch it is a row of).
        row: this replication's row in the engine.

    """

    def __init__(
        self,
        scenario: Scenario | Blueprint,
        values: dict[str, float] | None = None,
        rng: np.random.Generator | None = None,
        record: bool = True,
        *,
        engine: Engine | None = None,
        row: int = 0,
    ) -> None:
        rng = rng if rng is not None else np.random.default_rng(0)
        super().__init__(rng=rng)
        if engine is None:
            bp = scenario if isinstance(scenario, Blueprint) else Blueprint(scenario)
            engine = Engine(
                bp, bp.values_batch([values or {}]), Streams.of_generators([rng]), record
            )
        self.engine, self.row = engine, row
        self.blueprint, self.index = engine.blueprint, engine.index  # (the scenario:
        # ``blueprint.scenario``; Mesa 3.5's Model owns the name ``scenario``)
        self.running = bool(engine.state.running[row])
        self._actors: dict[str, StateAgent] | None = None

    @classmethod
    def view(cls, engine: Engine, row: int, replication: int | None = None) -> LeverageModel:
        """A view of row ``row`` of a batch that has run (it cannot step on its own)."""
        from sim.scenario.sample import replication_rng

        return cls(
            engine.blueprint,
            rng=replication_rng(0, row if replication is None else replication),
            engine=engine,
            row=row,
        )

    @property
    def values(self) -> dict[str, float]:
        """The replication's drawn parameter values by path."""
        return dict(zip(self.blueprint.paths, self.engine.values[self.row].tolist(), strict=True))

    @property
    def params(self) -> Params:
        """The replication's parameters (a batch of one: every array has a leading 1)."""
        return self.engine.params.row(self.row)

    @property
    def state(self) -> State:
        """The replication's current state (a batch of one)."""
        return self.engine.row(self.row)[1]

    @property
    def leverage(self) -> np.ndarray:
        """Effective leverage E[i, j] of i over j now, a dense (A, A) matrix."""
        e = self.engine
        return e.dense_leverage(e.state.leverage[self.row : self.row + 1])[0]

    @property
    def recorder(self) -> Recorder | None:
        """The engine's time series (arrays of shape (T+1, R, ...)), or None."""
        return self.engine.recorder

    @property
    def step_count(self) -> int:
        """The last step taken."""
        return int(self.engine.state.last_step[self.row])

    @property
    def actors(self) -> dict[str, StateAgent]:
        """Each actor's ``StateAgent`` by id: the readable per-actor views of the arrays."""
        if self._actors is None:
            self._actors = {a: StateAgent(self, i, a) for i, a in enumerate(self.index.actors)}
        return self._actors

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's set of all agents (the actors' ``StateAgent`` views)."""
        if self._actors is None:
            _ = self.actors
        return super().agents

    def step(self) -> None:
        """One step of the replication (docs/model.md, "One step")."""
        if self.engine.params.replications != 1:
            raise LeverageError("this model is a view of one row of a batch; it cannot step")
        self.engine.step()
        self.running = bool(self.engine.state.running[0])

    def run(self) -> LeverageModel:
        """Step until settlement or the horizon."""
        while self.running:
            self.step()
        return self

    def outcomes(self, replication: int = 0) -> dict[str, Any]:
        """The outcomes of the run, named as in the result set's ``outcomes`` table."""
        columns = outcome_columns(
            self.engine, np.full(self.engine.params.replications, replication)
        )
        return {name: _plain(values[self.row]) for name, values in columns.items()}

    def timeseries(self, replication: int = 0) -> pd.DataFrame:
        """Model-level series: territory, forecast, civilian harm, settled (a DataFrame)."""
        return self._recorded().model_frame(
            *self._cut(replication), self.index.sides, self.index.issues, self.blueprint.to_scale
        )

    def actor_series(self, replication: int = 0) -> pd.DataFrame:
        """Per-actor series: force, positions, stress, cost (a DataFrame)."""
        return self._recorded().actor_frame(
            *self._cut(replication), self.index.actors, self.index.issues, self.blueprint.to_scale
        )

    def _cut(self, replication: int) -> tuple[np.ndarray, np.ndarray]:
        """Last steps and replication numbers selecting this row only."""
        last = np.full(self.engine.params.replications, -1)
        last[self.row] = self.engine.state.last_step[self.row]
        return last, np.full(len(last), replication)

    def _recorded(self) -> Recorder:
        if self.engine.recorder is None:
            raise LeverageError("this run kept no time series (it was made with record=False)")
        return self.engine.recorder


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it stands for (NaN as ``math.nan``, so that rows
    compare equal).
    """
    value = value.item() if isinstance(value, np.generic) else value
    return math.nan if isinstance(value, float) and math.isnan(value) else value


def run_replication(
    scenario: Scenario | Blueprint | str | os.PathLike[str],
    seed: int,
    replication: int,
    record: bool = True,
) -> LeverageModel:
    """Replication ``replication`` of a run with seed ``seed``, run alone to its end.

    Its numbers are those of the same replication in ``sim run`` (parameters drawn from
    streams keyed by (seed, replication, path), randomness from the replication's own
    streams), whatever the batch it runs in there.

    Args:
        scenario: a scenario, its compiled ``Blueprint``, or the path of a scenario file.
        seed: the run's seed (a scenario file's own is ``load_scenario(path).seed``).
        replication: the replication number.
        record: keep the time series.

    Raises:
        ScenarioError: for a scenario file with problems (one line each).

    """
    from sim.scenario.load import load_scenario
    from sim.scenario.sample import replication_rng

    if isinstance(scenario, str | os.PathLike):
        scenario = load_scenario(scenario)
    bp = scenario if isinstance(scenario, Blueprint) else Blueprint(scenario)
    return LeverageModel(
        bp, bp.draw(seed, replication), replication_rng(seed, replication), record
    ).run()
