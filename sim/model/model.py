"""``LeverageModel``: Mesa drives the step equations over the model's arrays."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from sim.bargaining import BARGAINING_MODELS, BargainingInputs
from sim.levers import LEVERS, Lever
from sim.levers.base import LeverSpec
from sim.model import battlefield as bf
from sim.model import costs
from sim.model import leverage as lev
from sim.model.agents import StateAgent
from sim.model.context import State, StepContext
from sim.model.inputs import Blueprint
from sim.model.recorder import Recorder
from sim.model.settlement import veto_agree
from sim.model.triggers import TriggerState, metric_reader
from sim.scenario.schema import Scenario


class LeverageModel(mesa.Model):
    """One replication of a scenario.

    Args:
        scenario: the scenario, or its compiled ``Blueprint`` (faster for many runs).
        values: the replication's drawn parameter values by path (``Blueprint.draw``);
            parameters missing here take their distribution's mean.
        rng: the replication's generator, handed down by the runner.

    """

    def __init__(self, scenario: Scenario | Blueprint, values: dict[str, float] | None = None,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__(rng=rng if rng is not None else np.random.default_rng(0))
        bp = scenario if isinstance(scenario, Blueprint) else Blueprint(scenario)
        self.blueprint, self.index, self.scenario = bp, bp.index, bp.scenario
        self.values = dict(values or {})
        self.params, lever_values, trigger_values = bp.build(values)
        self.noise_rng, self.event_rng, self.trigger_rng = self.rng.spawn(3)
        self.levers: list[Lever] = [self._lever(spec, v, spec.start, spec.end)
                                    for spec, v in zip(self.scenario.levers, lever_values,
                                                       strict=True)]
        self.triggers = [TriggerState(t, metric_reader(t.when.metric, self.index, bp.to_scale), v)
                         for t, v in zip(self.scenario.triggers, trigger_values, strict=True)]
        self.bargaining = BARGAINING_MODELS[self.scenario.bargaining.model]()
        self.side_matrix = self.index.side_matrix
        self.same_side = self.side_matrix @ self.side_matrix.T
        self.everyone = np.ones(len(self.index.actors), dtype=bool)
        self.horizon = self.scenario.horizon
        p = self.params
        self.state = State(force=p.force0.copy(), territory=p.territory0.copy(),
                           alive=p.territory0 > 0, x=p.x0.copy(), pain=np.zeros_like(p.force0),
                           leverage=p.leverage.copy(), forecast=np.zeros(p.x0.shape[1]),
                           extra_force=np.zeros_like(p.force0))
        self.upkeep_rate = costs.upkeep(1.0, p.unit_cost, p.economy)
        self.strength0 = float(p.force0 @ self.side_matrix.sum(axis=1))
        self.state.forecast = self.bargaining.forecast(self._inputs(self.state.x, p.leverage,
                                                                    self.everyone))
        self.leverage_start = self.state.leverage.copy()
        self.settled = False
        self.settlement_step: int | None = None
        self.settlement_position: np.ndarray | None = None
        self.victory = -1
        self._hold = 0
        self.recorder = Recorder(self.horizon, len(self.index.actors), len(self.index.sides),
                                 len(self.index.issues))
        self.recorder.record(self.state, p, False)
        self.actors = {a: StateAgent(self, i, a) for i, a in enumerate(self.index.actors)}

    def _lever(self, spec: LeverSpec, values: dict[str, float], start: int,
               end: int | None) -> Lever:
        return LEVERS[spec.type](spec, values, self.index, start, end)

    def _inputs(self, x: np.ndarray, leverage: np.ndarray, participants: np.ndarray
                ) -> BargainingInputs:
        p, s = self.params, self.state
        cap = lev.capability(s.total_force(), p.economy, p.capability, p.capability_weights)
        return BargainingInputs(x=x, x0=p.x0, salience=p.salience, capability=cap,
                                leverage=leverage, resolve=p.resolve,
                                stress=s.pain / p.pain_tolerance, participants=participants)

    def step(self) -> None:
        """One step: levers and triggers, forces, battlefield, costs, leverage, bargaining,
        settlement, data collection (DESIGN §3.2).
        """
        p, prev = self.params, self.state
        t = prev.step + 1
        ctx = StepContext(t, prev, p, self.index.side_of)
        self._levers_and_triggers(ctx)
        force = prev.total_force()
        strength = bf.side_strength(force, self.side_matrix, ctx.aid.sum(axis=0), prev.alive)
        territory, alive = self._battlefield(prev, strength, ctx.floor)
        lost = np.maximum(prev.territory - territory, 0.0)
        pain = prev.pain + force * self.upkeep_rate + ctx.cost
        if p.loss_cost > 0 and lost.any():
            pain += costs.battle_losses(lost, force, self.side_matrix, p.loss_cost)
        harm = prev.harm + costs.civilian_harm(strength, self.strength0, p.harm, ctx.harm_factor)
        incident = prev.incident | bool(self.event_rng.random() < ctx.incident_probability)
        leverage = lev.effective_leverage(
            p.leverage, self.same_side, lev.drawdown(prev.force, p.force0),
            lev.aid_leverage(ctx.aid, ctx.aid_leverage, self.index.side_of, strength)
            if ctx.aid_leverage.any() else 0.0,
            ctx.sanction_leverage, ctx.pressure)
        self.state = State(force=prev.force, territory=territory, alive=alive, x=prev.x,
                           pain=pain, leverage=leverage, forecast=prev.forecast,
                           extra_force=prev.extra_force, harm=harm, incident=incident, step=t)
        participants = ctx.participants if ctx.talks else self.everyone
        inputs = self._inputs(prev.x, leverage, participants)
        inputs.x = self.bargaining.update(inputs)
        self.state.x = inputs.x
        self.state.forecast = self.bargaining.forecast(inputs)
        self._settle(ctx, t)
        self.recorder.record(self.state, p, self.settled)
        if self.settled or t >= self.horizon:
            self.running = False

    def _levers_and_triggers(self, ctx: StepContext) -> None:
        for trigger in self.triggers:
            if trigger.check(ctx.state, self.params, ctx.step, self.trigger_rng):
                spec = trigger.spec.then
                end = None if spec.end is None else ctx.step + spec.end
                self.levers.append(self._lever(spec, trigger.values, ctx.step + spec.start, end))
        for lever in self.levers:
            if lever.active(ctx.step):
                lever.act(ctx)

    def _battlefield(self, prev: State, strength: np.ndarray, floor: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        shock = self.noise_rng.standard_normal(len(prev.territory)) * p.noise * prev.alive
        share = bf.contest_share(strength, p.decisiveness) if strength.sum() > 0 \
            else prev.territory
        territory = bf.apply_floors(bf.move_territory(prev.territory, share, p.rate, shock),
                                    floor, prev.alive)
        alive = prev.alive
        fallen = bf.collapsed(territory, alive, p.collapse)
        if fallen.any() and (~fallen & alive).any():
            alive = alive & ~fallen
            territory = bf.apply_floors(territory, floor, alive)
        if self.victory < 0:
            self.victory = bf.victor(territory, p.collapse)
        return territory, alive

    def _settle(self, ctx: StepContext, step: int) -> None:
        if not ctx.talks:
            self._hold = 0
            return
        veto = self.params.veto if self.params.veto.any() else ctx.participants
        agree = veto_agree(self.state.x, self.state.forecast, veto, self.params.tolerance)
        self._hold = self._hold + 1 if agree else 0
        if self._hold >= self.params.hold:
            self.settled = True
            self.settlement_step = step
            self.settlement_position = self.state.forecast.copy()

    def run(self) -> LeverageModel:
        """Step until settlement or the horizon."""
        while self.running:
            self.step()
        return self

    def timeseries(self, replication: int = 0) -> pd.DataFrame:
        """Model-level series: territory, forecast, civilian harm, settled (a DataFrame)."""
        return self.recorder.model_frame(self.index.sides, self.index.issues,
                                         self.blueprint.to_scale, replication)

    def actor_series(self, replication: int = 0) -> pd.DataFrame:
        """Per-actor series: force, positions, stress, cost (a DataFrame)."""
        return self.recorder.actor_frame(self.index.actors, self.index.issues,
                                         self.blueprint.to_scale, replication)
