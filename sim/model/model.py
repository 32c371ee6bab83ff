"""``LeverageModel``: Mesa drives the step equations over the model's arrays."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from sim.bargaining import BARGAINING_MODELS, BargainingInputs
from sim.errors import LeverageError
from sim.levers import LEVERS, Lever
from sim.levers.base import LeverSpec
from sim.model import battlefield as bf
from sim.model import costs
from sim.model import leverage as lev
from sim.model.agents import StateAgent
from sim.model.context import State, StepContext
from sim.model.inputs import Blueprint
from sim.model.recorder import Recorder
from sim.model.settlement import within
from sim.model.triggers import TriggerState, metric_reader
from sim.scenario.schema import Scenario

_EFFECTS, _FORCES = "effects", "forces"  # what acting levers may have changed


class LeverageModel(mesa.Model):
    """One replication of a scenario.

    The step works on whole arrays (no loop over actors). The levers act again only at
    steps where their effects may have changed (``Lever.key``), and what depends only on
    their effects and on forces (side strength, contest shares, upkeep, loss stakes,
    effective leverage, capability, and so the influence and forecast weights) is computed
    again only then or when a side collapses; in between it is reused. The noise and
    incident draws of the whole run are drawn at the start.

    Args:
        scenario: the scenario, or its compiled ``Blueprint`` (faster for many runs).
        values: the replication's drawn parameter values by path (``Blueprint.draw``);
            parameters missing here take their distribution's mean.
        rng: the replication's generator, handed down by the runner.
        record: keep the time series (``timeseries``, ``actor_series``); runs that only
            need their outcomes skip it.

    """

    def __init__(self, scenario: Scenario | Blueprint, values: dict[str, float] | None = None,
                 rng: np.random.Generator | None = None, record: bool = True) -> None:
        super().__init__(rng=rng if rng is not None else np.random.default_rng(0))
        bp = scenario if isinstance(scenario, Blueprint) else Blueprint(scenario)
        self.blueprint, self.index, self.scenario = bp, bp.index, bp.scenario
        self.values = dict(values or {})
        self.params, lever_values, trigger_values = bp.build(values)
        self.noise_rng, self.event_rng = self.rng.spawn(2)
        self._trigger_rng: np.random.Generator | None = None
        self.levers: list[Lever] = [self._lever(spec, v, spec.start, spec.end)
                                    for spec, v in zip(self.scenario.levers, lever_values,
                                                       strict=True)]
        self.triggers = [TriggerState(t, metric_reader(t.when.metric, self.index, bp.to_scale), v)
                         for t, v in zip(self.scenario.triggers, trigger_values, strict=True)]
        self.bargaining = BARGAINING_MODELS[self.scenario.bargaining.model]()
        self.side_matrix = self.index.side_matrix
        self.same_side = bp.same_side
        self.everyone = np.ones(len(self.index.actors), dtype=bool)
        self.horizon = self.scenario.horizon
        p = self.params
        self.state = State(force=p.force0.copy(), territory=p.territory0.copy(),
                           alive=p.territory0 > 0, x=p.x0.copy(), pain=np.zeros_like(p.force0),
                           leverage=p.leverage.copy(), forecast=np.zeros(p.x0.shape[1]),
                           extra_force=np.zeros_like(p.force0))
        self.upkeep_rate = costs.upkeep(1.0, p.unit_cost, p.economy)
        self.strength0 = float(p.force0 @ self.side_matrix.sum(axis=1))
        cap = lev.capability(self.state.total_force(), p.economy, p.capability,
                             p.capability_weights)
        self._inputs = BargainingInputs(
            x=self.state.x, x0=p.x0, salience=p.salience, capability=cap, leverage=p.leverage,
            resolve=p.resolve, stress=self.state.stress(p), participants=self.everyone)
        self.state.forecast = self.bargaining.forecast(self._inputs)
        self.leverage_start = self.state.leverage.copy()
        self.settled = False
        self.settlement_step: int | None = None
        self.settlement_position: np.ndarray | None = None
        self.victory = -1
        self._hold = 0
        # The replication's noise and incident draws, one row per step, drawn at once (the
        # same numbers as drawing them step by step from the same streams).
        sides = len(self.index.sides)
        self._shocks = self.noise_rng.standard_normal((self.horizon, sides)) * p.noise
        self._events = self.event_rng.random(self.horizon).tolist()
        self.ctx = StepContext(0, self.state, p, self.index.side_of)
        self._veto_rows = np.flatnonzero(p.veto)
        self._economic = p.capability_weights[1] * p.economy / p.economy.sum()
        self._given = None if np.isnan(p.capability).all() else p.capability
        self._levers_seen = -1  # len(self.levers) when the window edges were found
        self._edges: set[int] | None = None  # steps where an active set may change
        self._active_at: list[Lever] | None = None  # the active levers, as of the last edge
        self._keyed: list[Lever] = []  # those of them whose key may change
        self._acted: list[Lever] | None = None  # the levers and keys behind ctx
        self._keys: list = []
        self._readers = False  # some active lever reads forces
        self._forces_moved = False  # whether levers changed forces when they last acted
        self._derived_for: np.ndarray | None = None  # the `alive` the derived values are for
        self.recorder: Recorder | None = None
        if record:
            self.recorder = Recorder(self.horizon, len(self.index.actors), sides,
                                     len(self.index.issues))
            self.recorder.record(self.state, False, self.state.total_force(),
                                 self.state.stress(p))
        self._actors: dict[str, StateAgent] | None = None

    @property
    def actors(self) -> dict[str, StateAgent]:
        """Each actor's ``StateAgent`` by id: the readable per-actor views of the arrays.

        The agents are made (and registered with Mesa) when first asked for, here or
        through ``agents``; the step itself does not need them.
        """
        if self._actors is None:
            self._actors = {a: StateAgent(self, i, a) for i, a in enumerate(self.index.actors)}
        return self._actors

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's set of all agents (the actors' ``StateAgent`` views)."""
        if self._actors is None:
            _ = self.actors
        return super().agents

    @property
    def trigger_rng(self) -> np.random.Generator:
        """The stream of the triggers' probability draws (the third spawned from ``rng``,
        made when a trigger first needs it).
        """
        if self._trigger_rng is None:
            self._trigger_rng = self.rng.spawn(1)[0]
        return self._trigger_rng

    def _lever(self, spec: LeverSpec, values: dict[str, float], start: int,
               end: int | None) -> Lever:
        return LEVERS[spec.type](spec, values, self.index, start, end)

    def step(self) -> None:
        """One step: levers and triggers, forces, battlefield, costs, leverage, bargaining,
        settlement, data collection (docs/model.md, "One step").
        """
        prev = self.state
        t = prev.step + 1
        self._prepare(prev, t)
        self._advance(prev, t)

    def _prepare(self, prev: State, t: int, derive: bool = True) -> bool:
        """Step ``t``, first part: levers and triggers, and what they change. Returns
        whether the values that depend on forces had to be derived again (``_derive``;
        left to the caller when ``derive`` is False).
        """
        acted = self._levers_and_triggers(t, prev)
        if acted is _EFFECTS or self._derived_for is not prev.alive:
            self._derive_effects(prev)
        elif acted is not _FORCES:
            return False
        if derive:
            self._derive(prev)
        return True

    def _advance(self, prev: State, t: int) -> None:
        """Step ``t``, the rest: battlefield, costs, bargaining, settlement, recording."""
        p, ctx = self.params, self.ctx
        territory, alive = self._battlefield(prev, t)
        pain = prev.pain + self._upkeep
        if self._cost:
            pain = pain + ctx.cost
        if p.loss_cost > 0:  # (adds exact zeros when no side lost ground)
            lost = np.maximum(prev.territory - territory, 0.0)
            pain += costs.losses_by_stake(lost, self._stake, self.side_matrix, p.loss_cost)
        harm = prev.harm + self._harm
        incident = prev.incident | bool(self._events[t - 1] < ctx.incident_probability)
        stress = pain / p.pain_tolerance
        self.state = State(force=prev.force, territory=territory, alive=alive, x=prev.x,
                           pain=pain, leverage=self._leverage, forecast=prev.forecast,
                           extra_force=self._extra_force, harm=harm, incident=incident, step=t)
        inputs = self._inputs  # (one object per run; its arrays are replaced, not changed)
        inputs.x, inputs.capability, inputs.leverage = prev.x, self._capability, self._leverage
        inputs.stress, inputs.participants = stress, self._participants
        inputs.x = self.bargaining.update(inputs)
        self.state.x = inputs.x
        self.state.forecast = self.bargaining.forecast(inputs)
        self._settle(ctx, t)
        if self.recorder is not None:
            self.recorder.record(self.state, self.settled, self._force, stress)
        if self.settled or t >= self.horizon:
            self.running = False

    def _levers_and_triggers(self, step: int, prev: State) -> str | None:
        """Triggers test the previous state and may start levers; then the active levers'
        effects are written into ``self.ctx``. They are written again only when the active
        levers or their keys have changed, or when forces moved while the levers last acted
        and an active lever reads them; otherwise the last step's stand. When only levers
        that just move forces changed their keys, only those act again. Returns
        ``_EFFECTS`` when the effects were written again, ``_FORCES`` when only forces may
        have moved, None when nothing acted.
        """
        ctx = self.ctx
        ctx.step, ctx.state = step, prev
        for trigger in self.triggers:
            if trigger.eligible(prev, self.params) and trigger.fire(step, self.trigger_rng):
                spec = trigger.spec.then
                end = None if spec.end is None else step + spec.end
                self.levers.append(self._lever(spec, trigger.values, step + spec.start, end))
        active = self._active(step)
        keys = [lever.key(ctx) for lever in self._keyed]
        if active == self._acted:
            changed = [lever for lever, key, old in zip(self._keyed, keys, self._keys,
                                                        strict=True) if key != old]
            if not changed and not (self._forces_moved and self._readers):
                return None
            if changed and not self._readers and all(lever.moves_forces_only
                                                     for lever in changed):
                self._keys = keys  # only forces move: those levers act again, in order
                self._act([lever for lever in active if lever.moves_forces_only], prev)
                return _FORCES
        self._acted, self._keys = active, keys
        ctx.clear()
        self._act(active, prev)
        return _EFFECTS

    def _act(self, levers: list[Lever], prev: State) -> None:
        before = prev.force.copy()
        for lever in levers:
            lever.act(self.ctx)
        self._forces_moved = not np.array_equal(prev.force, before)

    def _active(self, step: int) -> list[Lever]:
        """The levers active at ``step``; the list is made again only at the steps where a
        window opens or closes, or after a trigger has added a lever.
        """
        if len(self.levers) != self._levers_seen:
            self._levers_seen = len(self.levers)
            custom = any(type(lever).active is not Lever.active for lever in self.levers)
            self._edges = None if custom else (
                {lever.start for lever in self.levers}
                | {lever.end + 1 for lever in self.levers if lever.end is not None})
        elif (self._edges is not None and step not in self._edges
              and self._active_at is not None):
            return self._active_at
        self._active_at = [lever for lever in self.levers if lever.active(step)]
        self._keyed = [lever for lever in self._active_at if not lever.constant_key]
        self._readers = any(lever.reads_forces for lever in self._active_at)
        return self._active_at

    def _derive_effects(self, prev: State) -> None:
        """What depends only on the levers' effects and the living sides (the effects are
        copied: the levers write them into the context in place).
        """
        ctx = self.ctx
        self._extra_force = ctx.extra_force.copy()
        self._aid = ctx.aid.sum(axis=0)
        self._aided = np.count_nonzero(ctx.aid_leverage) > 0
        if self._aided:
            self._aid_given, self._aid_to = ctx.aid.copy(), ctx.aid_leverage.copy()
        self._sanctions, self._pressure = ctx.sanction_leverage.copy(), ctx.pressure.copy()
        self._harm_factor = ctx.harm_factor
        self._all_alive = np.count_nonzero(prev.alive) == prev.alive.size
        self._floor = ctx.floor.copy() if np.count_nonzero(ctx.floor) else None
        self._cost = np.count_nonzero(ctx.cost) > 0
        self._participants = ctx.participants.copy() if ctx.talks else self.everyone
        self._veto = self._veto_rows if len(self._veto_rows) else np.flatnonzero(
            self._participants)

    def _derive(self, prev: State) -> None:
        """What depends on forces as well (after ``_derive_effects``)."""
        p = self.params
        self._force = force = prev.force + self._extra_force
        strength = bf.side_strength(force, self.side_matrix, self._aid, prev.alive)
        self._share = bf.contest_share(strength, p.decisiveness) if strength.sum() > 0 \
            else None
        self._upkeep = force * self.upkeep_rate
        self._stake = costs.side_stake(force, self.side_matrix)
        self._harm = costs.civilian_harm(strength, self.strength0, p.harm, self._harm_factor)
        leverage = lev.effective_leverage(
            p.leverage, self.same_side, lev.drawdown(prev.force, p.force0),
            lev.aid_leverage(self._aid_given, self._aid_to, self.index.side_of, strength)
            if self._aided else 0.0,
            self._sanctions, self._pressure)
        if self._derived_for is None or not np.array_equal(leverage, self._leverage):
            self._leverage = leverage  # (kept otherwise: the influence weights stand)
        self._capability = lev.force_capability(force, p.capability_weights[0],
                                                self._economic, self._given)
        self._derived_for = prev.alive

    def _battlefield(self, prev: State, step: int) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        shock = self._shocks[step - 1]
        if not self._all_alive:
            shock = shock * prev.alive
        share = self._share if self._share is not None else prev.territory
        moved = bf.move_territory(prev.territory, share, p.rate, shock)
        if self._floor is None:
            territory = bf.normalise(moved, None if self._all_alive else prev.alive)
        else:
            territory = bf.apply_floors(moved, self._floor, prev.alive)
        alive = prev.alive
        shares = territory.tolist()  # (quick tests in Python; the equations decide)
        if shares and min(shares) < p.collapse:
            fallen = bf.collapsed(territory, alive, p.collapse)
            if fallen.any() and (~fallen & alive).any():
                alive = alive & ~fallen
                territory = bf.apply_floors(territory, self.ctx.floor, alive)
                shares = territory.tolist()
        if self.victory < 0 and shares and max(shares) >= 1.0 - p.collapse:
            self.victory = bf.victor(territory, p.collapse)
        return territory, alive

    def _settle(self, ctx: StepContext, step: int, agree: bool | None = None) -> None:
        """Count the steps the talks have agreed (``agree``: whether they agree now, when
        already known); settle once they have held long enough.
        """
        if not ctx.talks:
            self._hold = 0
            return
        if agree is None:
            agree = within(self.state.x.take(self._veto, axis=0), self.state.forecast,
                           self.params.tolerance)
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
        return self._recorded().model_frame(self.index.sides, self.index.issues,
                                         self.blueprint.to_scale, replication)

    def actor_series(self, replication: int = 0) -> pd.DataFrame:
        """Per-actor series: force, positions, stress, cost (a DataFrame)."""
        return self._recorded().actor_frame(self.index.actors, self.index.issues,
                                         self.blueprint.to_scale, replication)

    def _recorded(self) -> Recorder:
        if self.recorder is None:
            raise LeverageError("this run kept no time series (it was made with record=False)")
        return self.recorder
