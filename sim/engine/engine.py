"""The engine: R replications of a scenario, stepped together on arrays (docs/model.md).

``Engine.step`` follows docs/model.md, steps 1-8, in order. One replication is R = 1 on
the same code. A replication's numbers do not depend on the others in its batch: every
equation is elementwise or sums along the last axis one replication's row at a time,
randomness comes from each replication's own streams, and rows that have finished are
frozen (their state is carried over unchanged).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.bargaining import BARGAINING_MODELS, BargainingInputs
from sim.bargaining.network import Network
from sim.core.sums import fixed_sum
from sim.engine import battlefield as bf
from sim.engine import costs
from sim.engine import leverage as lev
from sim.engine.arrays import Effects, Params, State
from sim.engine.blueprint import Blueprint
from sim.engine.recorder import Recorder
from sim.engine.settlement import deciders, within
from sim.engine.streams import EVENTS, NOISE, Streams
from sim.engine.triggers import Triggers
from sim.levers import LEVERS, Lever
from sim.levers.base import LeverSpec, Rows
from sim.scenario.schema import Scenario


class Engine:
    """R replications of one scenario.

    Args:
        blueprint: the compiled scenario.
        values: the replications' drawn parameter values, shape (R, P), columns in the
            order of ``blueprint.paths`` (``Blueprint.draw_batch``).
        streams: each replication's random streams (noise, incidents, triggers).
        record: keep the time series (``recorder``).

    Attributes:
        params: the replications' parameters.
        state: the current state (a new value each step).
        levers: the active and scheduled levers (triggered ones are appended as they fire).
        recorder: the time series, or None.

    """

    def __init__(
        self, blueprint: Blueprint, values: np.ndarray, streams: Streams, record: bool = True
    ) -> None:
        self.blueprint, self.index = blueprint, blueprint.index
        scenario = blueprint.scenario
        self.values = values
        self.streams = streams
        self.params, lever_values, trigger_values = blueprint.build(values)
        p = self.params
        r = p.replications
        self.horizon = scenario.horizon
        self.levers: list[Lever] = [
            self._lever(
                spec,
                v,
                np.full(r, float(spec.start)),
                np.full(r, np.inf if spec.end is None else float(spec.end)),
            )
            for spec, v in zip(scenario.levers, lever_values, strict=True)
        ]
        self.triggers = Triggers(
            list(scenario.triggers),
            trigger_values,
            self.index,
            blueprint.to_scale,
            streams.triggers,
            r,
            self.horizon,
        )
        self.bargaining = BARGAINING_MODELS[scenario.bargaining.model]()
        ix = self.index
        self.network = self._network(scenario)
        net = self.network
        self.structural = net.gather(p.leverage)  # (R, E)
        self.same_side = blueprint.same_side[net.holder, net.target]  # (E,)
        self.target_side = ix.side_of[net.target]  # (E,)
        self.members = ix.members
        self.side_of = ix.side_of
        self.upkeep_rate = costs.upkeep_rate(p.unit_cost, p.economy)
        self.economic = lev.economic_part(p.economy, float(p.capability_weights[1]))
        self.strength0 = fixed_sum(bf.side_totals(p.force0, self.members))
        shape = (self.horizon, len(ix.sides))
        self.shocks = streams.normals(NOISE, shape) * p.noise[:, None, None]  # (R, T, B)
        self._events: np.ndarray | None = None  # (R, T), drawn when first needed
        everyone = np.ones(p.force0.shape, dtype=bool)
        capability = lev.capability(
            p.force0, float(p.capability_weights[0]), self.economic, p.capability
        )
        zeros = np.zeros(p.force0.shape)
        forecast = self.bargaining.forecast(
            BargainingInputs(
                x=p.x0,
                x0=p.x0,
                salience=p.salience,
                capability=capability,
                leverage=self.structural,
                network=self.network,
                resolve=p.resolve,
                stress=zeros,
                participants=everyone,
            )
        )
        self.state = State(
            step=0,
            force=p.force0.copy(),
            extra_force=zeros,
            territory=p.territory0.copy(),
            alive=p.territory0 > 0,
            x=p.x0.copy(),
            pain=zeros,
            leverage=self.structural.copy(),
            forecast=forecast,
            harm=np.zeros(r),
            incident=np.zeros(r, dtype=bool),
            running=np.full(r, self.horizon > 0),
            settled=np.zeros(r, dtype=bool),
            settlement_step=np.full(r, -1),
            settlement_position=np.full(forecast.shape, np.nan),
            victory=np.full(r, -1),
            hold=np.zeros(r, dtype=np.int64),
            last_step=np.zeros(r, dtype=np.int64),
        )
        self.recorder: Recorder | None = None
        if record:
            self.recorder = Recorder(self.horizon, r, len(ix.actors), len(ix.sides), len(ix.issues))
            self.recorder.record(self.state, p)

    @property
    def running(self) -> bool:
        """Whether any replication is still running."""
        return bool(self.state.running.any())

    def _lever(
        self, spec: LeverSpec, values: dict[str, np.ndarray], start: np.ndarray, end: np.ndarray
    ) -> Lever:
        return LEVERS[spec.type](spec, values, self.index, self.params, start, end)

    def run(self) -> Engine:
        """Step until every replication has settled or reached the horizon."""
        while self.running:
            self.step()
        return self

    def step(self) -> None:
        """One step of every running replication (docs/model.md, "One step")."""
        prev, p = self.state, self.params
        t = prev.step + 1
        running = prev.running
        effects = self._levers_and_triggers(t, prev, running)  # 1
        force = effects.force + effects.extra_force  # 2: forces in the theatre
        aid = None if effects.aid is None else fixed_sum(effects.aid, axis=1)  # (R, B)
        totals = bf.side_totals(force, self.members)  # (R, B)
        strength = bf.side_strength(totals, aid, prev.alive)
        territory, alive, victory = self._battlefield(t, prev, effects, strength)  # 3
        pain, harm, incident = self._costs(  # 4
            t, prev, effects, force, totals, territory, strength
        )
        leverage = self._leverage(effects, strength)  # 5
        capability = lev.capability(
            force, float(p.capability_weights[0]), self.economic, p.capability
        )
        stress = pain / p.pain_tolerance
        participants = np.where(effects.talks[:, None], effects.participants, True)
        inputs = BargainingInputs(
            x=prev.x,
            x0=p.x0,
            salience=p.salience,
            capability=capability,
            leverage=leverage,
            network=self.network,
            resolve=p.resolve,
            stress=stress,
            participants=participants,
        )
        x = self.bargaining.update(inputs)  # 6
        forecast = self.bargaining.forecast(replace(inputs, x=x))
        hold, settled = self._settlement(effects, participants, x, forecast, prev)  # 7
        new = State(
            step=t,
            force=effects.force,
            extra_force=effects.extra_force,
            territory=territory,
            alive=alive,
            x=x,
            pain=pain,
            leverage=leverage,
            forecast=forecast,
            harm=harm,
            incident=incident,
            running=running & ~settled & (t < self.horizon),
            settled=prev.settled | settled,
            settlement_step=np.where(settled, t, prev.settlement_step),
            settlement_position=np.where(settled[:, None], forecast, prev.settlement_position),
            victory=victory,
            hold=hold,
            last_step=np.full(running.shape, t),
        )
        self.state = new if running.all() else _freeze(new, prev, running)
        if self.recorder is not None:
            self.recorder.record(self.state, p)  # 8

    def _levers_and_triggers(self, t: int, prev: State, running: np.ndarray) -> Effects:
        """Triggers test the previous state and may start levers; then every lever whose
        window covers the step acts, in order, in the running replications.
        """
        for n, fires in self.triggers.check(t, prev, self.params, running):
            spec = self.triggers.specs[n].then
            start = np.where(fires, float(t + spec.start), np.inf)
            end = np.where(fires, np.inf if spec.end is None else float(t + spec.end), np.inf)
            self.levers.append(self._lever(spec, self.triggers.values[n], start, end))
        effects = Effects(prev.force, len(self.index.sides), self.network.edge_of)
        for lever in self.levers:
            rows = lever.active(t) & running
            if rows.any():
                lever.act(t, prev, self.params, effects, Rows(rows))
        return effects

    def _battlefield(
        self, t: int, prev: State, effects: Effects, strength: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Territory moves toward the contest shares; floors; collapses; victory."""
        p = self.params
        share = bf.contest_share(strength, p.decisiveness)
        share = np.where(fixed_sum(strength, keepdims=True) > 0, share, prev.territory)
        moved = bf.move_territory(prev.territory, share, p.rate, self.shocks[:, t - 1] * prev.alive)
        territory = bf.apply_floors(moved, effects.floor, prev.alive)
        fallen = bf.collapsed(territory, prev.alive, p.collapse)
        falls = fallen.any(axis=-1) & (~fallen & prev.alive).any(axis=-1)
        alive = prev.alive
        if falls.any():
            alive = np.where(falls[:, None], prev.alive & ~fallen, prev.alive)
            territory = np.where(
                falls[:, None], bf.apply_floors(territory, effects.floor, alive), territory
            )
        victory = np.where(prev.victory < 0, bf.victor(territory, p.collapse), prev.victory)
        return territory, alive, victory

    def _costs(
        self,
        t: int,
        prev: State,
        effects: Effects,
        force: np.ndarray,
        totals: np.ndarray,
        territory: np.ndarray,
        strength: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cumulative cost, civilian harm and incidents."""
        p = self.params
        pain = prev.pain + force * self.upkeep_rate
        pain = pain + effects.cost
        if p.loss_cost.any():
            lost = np.maximum(prev.territory - territory, 0.0)
            stake = costs.side_stake(force, totals, self.side_of)
            pain += costs.battle_losses(lost, stake, self.side_of, p.loss_cost)
        harm = prev.harm + costs.civilian_harm(
            strength, self.strength0, p.harm, effects.harm_factor
        )
        incident = prev.incident
        if effects.incident_probability.any():
            incident = incident | (self._event_draws()[:, t - 1] < effects.incident_probability)
        return pain, harm, incident

    def _event_draws(self) -> np.ndarray:
        """Each replication's incident draws for the whole run, (R, T)."""
        if self._events is None:
            self._events = self.streams.uniforms(EVENTS, self.horizon)
        return self._events

    def _leverage(self, effects: Effects, strength: np.ndarray) -> np.ndarray:
        """Effective leverage on the network's edges after the levers' effects
        (docs/model.md, step 5), shape (R, E).
        """
        p, net = self.params, self.network
        aid_gain = None
        if effects.aid_leverage is not None:
            aid_gain = lev.aid_leverage(
                effects.array("aid"), effects.aid_leverage, net.holder, self.target_side, strength
            )
        sanctions, pressure = effects.sanction_leverage, effects.pressure
        withdrawn = lev.drawdown(effects.force, p.force0)[:, net.holder]
        return lev.effective_leverage(
            self.structural, self.same_side, withdrawn, aid_gain, sanctions, pressure
        )

    def _network(self, scenario: Scenario) -> Network:
        """The edges where leverage can be non-zero: the scenario's structural leverage
        (wherever a replication can draw a non-zero value, whatever the batch), and the
        pairs the scenario's levers (triggered ones too) may write.
        """
        pairs = self.blueprint.leverage_support.copy()
        specs = [*scenario.levers, *(t.then for t in scenario.triggers)]
        for spec in specs:
            for i, j in LEVERS[spec.type].leverage_pairs(spec, self.index):
                pairs[i, j] = True
        return Network.of(pairs, len(self.index.actors))

    def dense_leverage(self, values: np.ndarray) -> np.ndarray:
        """Leverage on the edges (R, E) as dense matrices E[r, i, j], (R, A, A)."""
        return self.network.dense(values)

    def _settlement(
        self,
        effects: Effects,
        participants: np.ndarray,
        x: np.ndarray,
        forecast: np.ndarray,
        prev: State,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Consecutive steps of agreement at the talks, and the replications that settle."""
        p = self.params
        agree = within(x, forecast, deciders(p.veto, participants), p.tolerance)
        hold = np.where(effects.talks & agree, prev.hold + 1, 0)
        return hold, effects.talks & (hold >= p.hold)

    def row(self, r: int) -> tuple[Params, State]:
        """Replication ``r``'s parameters and state, as a batch of one."""
        return self.params.row(r), _row(self.state, r)


def _freeze(new: State, old: State, running: np.ndarray) -> State:
    """``new`` in the running rows, ``old`` in the others."""
    changes = {}
    for name, value in vars(new).items():
        if isinstance(value, np.ndarray):
            keep = running.reshape(running.shape + (1,) * (value.ndim - 1))
            changes[name] = np.where(keep, value, getattr(old, name))
    return replace(new, **changes)


def _row(state: State, r: int) -> State:
    return replace(
        state,
        **{
            name: value[r : r + 1]
            for name, value in vars(state).items()
            if isinstance(value, np.ndarray)
        },
    )
