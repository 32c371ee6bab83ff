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
from sim.engine import coercion, costs, war
from sim.engine import fronts as fr
from sim.engine import leverage as lev
from sim.engine.arrays import Effects, Params, State
from sim.engine.blueprint import Blueprint
from sim.engine.reaction import Reactions
from sim.engine.recorder import Recorder
from sim.engine.settlement import (
    bargaining_range,
    binding_veto,
    deciders,
    reservation_interval,
    within,
)
from sim.engine.streams import CEASEFIRES, EVENTS, NOISE, LeverDraws, Streams
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
        self.horizon = scenario.horizon
        self._fronts_setup()
        p = self.params
        r = p.replications
        self.lever_draws = LeverDraws(streams, _draws_per_row(scenario, self.horizon))
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
        self.target_side = ix.side_of[net.target]  # (E,)
        self.members = ix.members
        self.side_of = ix.side_of
        self.upkeep_rate = costs.upkeep_rate(p.unit_cost, p.economy)
        # the scenario's capabilities, or None when every actor's is derived
        self.given_capability = None if np.isnan(p.capability).all() else p.capability
        self.economic = lev.economic_part(p.economy, float(p.capability_weights[1]))
        self.strength0 = fixed_sum(bf.side_totals(p.force0, self.members))
        wars = len(p.war_issue)
        # with war issues, the noise stream then gives each week's engagements on each war
        # issue (R, T, W, n_e) and the draw deciding a breakdown (R,)
        signals = self.horizon * wars * p.signal_trials
        shocks, after = streams.normals(
            NOISE, (self.horizon, len(ix.sides)), signals + 1 if wars else 0
        )
        self.shocks = shocks * p.noise[:, None, None]  # (R, T, B)
        self.signals = after[:, :signals].reshape(r, self.horizon, wars, p.signal_trials)
        self.breakdown_draw = after[:, signals] if wars else np.ones(r)
        self._war_setup()
        self.reaction: Reactions | None = None  # interveners that react (docs/model.md)
        if p.reacts.any():
            self.reaction = Reactions(p, ix.side_of, ix.members, self.weight)
        self._events: np.ndarray | None = None  # (R, T), drawn when first needed
        everyone = np.ones(p.force0.shape, dtype=bool)
        capability = lev.capability(
            p.force0, float(p.capability_weights[0]), self.economic, self.given_capability
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
            alpha=np.zeros((r, len(ix.actors), wars)),
            beta=np.zeros((r, len(ix.actors), wars)),
            cost_rate=zeros,
            range_low=np.full((r, wars), np.nan),
            range_high=np.full((r, wars), np.nan),
            binding=np.full((r, wars), -1),
            signed_hold=np.zeros(r, dtype=np.int64),
            signed=np.zeros(r, dtype=bool),
            broke_down=np.zeros(r, dtype=bool),
            economy=p.economy.copy(),
            capacity=np.ones(p.economy.shape),
            population=None if p.fronts is None else p.fronts.population0.copy(),
        )
        # the actors whose economy_elasticity can be positive: only their force and aid
        # shrink with an eroded economy
        self.eroding = np.array(
            [
                a.economy_elasticity.random or a.economy_elasticity.value > 0
                for a in scenario.actors.values()
            ],
            dtype=bool,
        ).nonzero()[0]
        self.recorder: Recorder | None = None
        if record:
            self.recorder = Recorder(
                self.horizon,
                r,
                len(ix.actors),
                len(ix.sides),
                len(ix.issues),
                p.war_issue,
                population=p.fronts is not None,
            )
            self.recorder.record(self.state, p)

    @property
    def running(self) -> bool:
        """Whether any replication is still running."""
        return bool(self.state.running.any())

    def _lever(
        self, spec: LeverSpec, values: dict[str, np.ndarray], start: np.ndarray, end: np.ndarray
    ) -> Lever:
        lever = LEVERS[spec.type](spec, values, self.index, self.params, start, end)
        lever.bind(self.horizon, self.lever_draws.take(np.isfinite(start), lever.draws))
        return lever

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
        aid = None if effects.aid is None else fixed_sum(effects.aid, axis=1)  # (R, B)
        if self.reaction is not None:  # (the reacting interveners' forces, and credibility)
            self._react(t, prev, effects, aid, running)
        own = effects.force if not len(self.eroding) else effects.force * prev.capacity
        force = own + effects.extra_force  # 2: forces in the theatre
        totals = bf.side_totals(force, self.members)  # (R, B)
        strength = bf.side_strength(totals, aid, prev.alive)
        territory, alive, victory, fighting = self._battlefield(t, prev, effects, strength)  # 3
        population = self._population(prev, territory, strength, fighting)
        alpha, beta = self._beliefs(t, prev, strength)
        pain, harm, incident = self._costs(  # 4
            t, prev, effects, force, totals, territory, strength, fighting
        )
        cost_rate = self._cost_rate(t, prev, pain)
        economy, capacity = self._erode(prev, effects)
        dependence = self._dependence(effects, force, strength)
        leverage = self._leverage(effects, strength, dependence)  # 5
        capability = lev.capability(
            force, float(p.capability_weights[0]), self.economic, self.given_capability
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
        if effects.conceded is not None:
            x = coercion.hold_concessions(x, p.x0, effects.conceded, effects.conceded_to)
        forecast = self.bargaining.forecast(replace(inputs, x=x))
        deciding = deciders(p.veto, participants)  # 7
        ranges = self._ranges(
            effects, x, forecast, territory, alpha, beta, cost_rate, deciding, dependence
        )
        agreement = self._settlement(effects, deciding, x, forecast, prev, ranges)
        hold, settled, signed_hold, signed, position = agreement
        broke_down = self._breaks_down(t, effects, settled)
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
            settlement_position=np.where(settled[:, None], position, prev.settlement_position),
            victory=victory,
            hold=hold,
            last_step=np.full(running.shape, t),
            alpha=alpha,
            beta=beta,
            cost_rate=cost_rate,
            range_low=ranges[0],
            range_high=ranges[1],
            binding=ranges[2],
            signed_hold=signed_hold,
            signed=signed,
            broke_down=prev.broke_down | broke_down,
            economy=economy,
            capacity=capacity,
            population=population,
        )
        self.state = new if running.all() else _freeze(new, prev, running)
        if self.reaction is not None:
            self.reaction.observe(t, self.state.force, running)
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
        effects = Effects(
            prev.force,
            len(self.index.sides),
            self.network.edge_of,
            len(self.params.war_issue),
            len(self.index.issues),
            fronts=len(self.index.fronts),
        )
        if self.reaction is not None:
            effects.intent = self.reaction.intent.copy()
        for lever in self.levers:
            rows = lever.active(t) & running
            if rows.any():
                lever.act(t, prev, self.params, effects, Rows(rows))
        return effects

    def _react(
        self, t: int, prev: State, effects: Effects, aid: np.ndarray | None, running: np.ndarray
    ) -> None:
        """Interveners that react (docs/model.md): after the levers, the reacting actors'
        forces move toward their desired force; a reacting patron's credibility of
        abandonment, derived from its reaction, is recomputed for this step.
        """
        self.reaction.act(t, prev, effects, aid, running)
        if len(self.threatening):
            holders = self.network.holder[self.threatening]
            self.credibility = self.reaction.credibility(
                self.params.abandonment_credibility, holders
            )

    def _battlefield(
        self, t: int, prev: State, effects: Effects, strength: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, fr.Fighting | None]:
        """Territory moves toward the contest shares (or along the fronts); floors;
        collapses; victory.
        """
        p = self.params
        shock = self.shocks[:, t - 1] * prev.alive
        fighting = None
        if self.fronts is None:
            moved = self._contest(prev, strength, shock)
        else:
            activity = None if effects.ceasefire is None else 1.0 - effects.ceasefire
            fighting = self.fronts.fight(
                prev.territory, strength, p.fronts, p.decisiveness, activity
            )
            moved = np.maximum(prev.territory + fighting.gain + shock, 0.0)
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
        return territory, alive, victory, fighting

    def _contest(self, prev: State, strength: np.ndarray, shock: np.ndarray) -> np.ndarray:
        """The one contest: territory moves toward the contest shares, plus ``shock``."""
        p = self.params
        share = bf.contest_share(strength, p.decisiveness)
        share = np.where(fixed_sum(strength, keepdims=True) > 0, share, prev.territory)
        return bf.move_territory(prev.territory, share, p.rate, shock)

    def _fronts_setup(self) -> None:
        """The fronts' constants, and each ceasefire's weekly breakdown draws for the whole
        run from the replication's ceasefire stream (docs/model.md, "Fronts, population and
        ceasefires"); nothing without fronts or population.
        """
        p, ix = self.params, self.index
        self.fronts = None if not ix.fronts else fr.Fronts(p.fronts.sides, len(ix.sides))
        if self.fronts is not None:
            self.intensity0 = self.fronts.intensity0(p.fronts, bf.side_totals(p.force0, ix.members))
        if ix.ceasefires:
            r = p.replications
            draws = np.zeros((r, self.horizon, len(ix.ceasefires)))
            rows = self.streams.batch(CEASEFIRES) or [self.streams.ceasefires(i) for i in range(r)]
            for i, rng in enumerate(rows):
                draws[i] = rng.random(draws.shape[1:])
            self.params = replace(p, fronts=replace(p.fronts, draws=draws))

    def _population(
        self,
        prev: State,
        territory: np.ndarray,
        strength: np.ndarray,
        fighting: fr.Fighting | None,
    ) -> np.ndarray | None:
        """Population moves with the territory won along the fronts (or in the one
        contest), and leaves sides with no territory; not with the noise, floors or
        renormalisation (None when not tracked).
        """
        if prev.population is None:
            return None
        if fighting is not None:
            population = self.fronts.population_along(
                prev.population, prev.territory, fighting.flows, self.params.fronts.density
            )
        else:  # (the one contest's move, without the noise)
            contest = self._contest(prev, strength, np.zeros_like(prev.territory))
            population = fr.population_pooled(prev.population, prev.territory, contest)
        return fr.population_left(population, territory)

    def _costs(
        self,
        t: int,
        prev: State,
        effects: Effects,
        force: np.ndarray,
        totals: np.ndarray,
        territory: np.ndarray,
        strength: np.ndarray,
        fighting: fr.Fighting | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cumulative cost, civilian harm and incidents (with fronts, harm follows the
        density-weighted force engaged along them).
        """
        p = self.params
        pain = prev.pain + force * self.upkeep_rate
        pain = pain + effects.cost
        if p.loss_cost.any():
            lost = np.maximum(prev.territory - territory, 0.0)
            stake = costs.side_stake(force, totals, self.side_of)
            pain += costs.battle_losses(lost, stake, self.side_of, p.loss_cost)
        if fighting is None:
            step_harm = costs.civilian_harm(strength, self.strength0, p.harm, effects.harm_factor)
        else:
            step_harm = costs.civilian_harm(
                fighting.intensity[:, None], self.intensity0, p.harm, effects.harm_factor
            )
        harm = prev.harm + step_harm
        incident = prev.incident
        if effects.incident_probability.any():
            incident = incident | (self._event_draws()[:, t - 1] < effects.incident_probability)
        return pain, harm, incident

    def _event_draws(self) -> np.ndarray:
        """Each replication's incident draws for the whole run, (R, T)."""
        if self._events is None:
            self._events = self.streams.uniforms(EVENTS, self.horizon)
        return self._events

    def _leverage(
        self, effects: Effects, strength: np.ndarray, dependence: np.ndarray | None
    ) -> np.ndarray:
        """Effective leverage on the network's edges after the levers' effects
        (docs/model.md, step 5), shape (R, E).
        """
        net = self.network
        aid_gain = None
        if effects.aid_leverage is not None:
            aid_gain = lev.aid_leverage(
                effects.array("aid"), effects.aid_leverage, net.holder, self.target_side, strength
            )
        patron = None
        if dependence is not None:
            patron = np.zeros(self.structural.shape)
            patron[:, self.threatening] = dependence.max(axis=-1) * self.credibility
        return lev.effective_leverage(self.structural, patron, aid_gain, effects.pressure)

    def _erode(self, prev: State, effects: Effects) -> tuple[np.ndarray, np.ndarray]:
        """The economy after this step's sanctions losses and the capacity it leaves
        (docs/model.md, "Sanction threats and economic erosion"), (R, A) each.
        """
        if effects.sanction_cost is None:
            return prev.economy, prev.capacity
        p = self.params
        economy = coercion.erode(prev.economy, p.economy, effects.sanction_cost)
        if not len(self.eroding):
            return economy, prev.capacity
        return economy, coercion.capacity(economy, p.economy, p.economy_elasticity, self.eroding)

    def _war_setup(self) -> None:
        """Per-run constants of the bargaining model of war (docs/model.md, "How wars end")."""
        p, ix, net = self.params, self.index, self.network
        wars = p.war_sides  # (W, 2)
        self.peace_issues = np.setdiff1d(np.arange(len(ix.issues)), p.war_issue)
        on_a = ix.side_of[:, None] == wars[None, :, 0]  # (A, W)
        on_b = ix.side_of[:, None] == wars[None, :, 1]
        # the outcome if the actor's dyad opponent wins, and the way losing a patron moves
        # the actor's expected outcome (toward it): +1, -1, or 0 off the dyad
        self.opponent_wins = np.where(on_a, p.war_value[:, 1], p.war_value[:, 0])  # (A, W)
        self.toward_loss = np.where(
            on_a | on_b,
            np.sign(self.opponent_wins - np.where(on_a, p.war_value[:, 0], p.war_value[:, 1])),
            0.0,
        )
        self.disarming = p.disarms[:, None] & (on_a | on_b)  # (A, W)
        self.war_salience = p.salience[:, :, p.war_issue]  # (R, A, W)
        self.veto_columns = np.flatnonzero(p.veto)  # (the deciders, when anyone has a veto)
        self.weight = war.horizon_weight(p.rate, p.planning_horizon)  # (R,)
        # Patron threats: the edges whose holder can credibly threaten to abandon a target
        # on a dyad's side (credibility > 0 in some replication) and could contribute to
        # its side (same side, or no side: an outside donor).
        holder_side, target_side = ix.side_of[net.holder], ix.side_of[net.target]
        on_dyad = (on_a | on_b).any(axis=1)[net.target] if len(wars) else np.zeros(net.edges, bool)
        credible = (p.abandonment_credibility[:, net.holder] > 0).any(axis=0)
        could = (holder_side == target_side) | (holder_side < 0)
        self.threatening = np.flatnonzero(on_dyad & credible & could & (target_side >= 0))
        e = self.threatening
        # (R, E'); recomputed each step from a reacting holder's reaction (``_react``)
        self.credibility = p.abandonment_credibility[:, net.holder[e]]
        self.threat_same_side = (holder_side[e] == target_side[e]).astype(float)
        side_surge = bf.side_totals(p.surge, self.members)  # (R, B)
        self.substitute = (
            side_surge[:, target_side[e]] - p.surge[:, net.holder[e]] * self.threat_same_side
        )

    def _beliefs(self, t: int, prev: State, strength: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Beliefs about each war's dyad share after this week's battlefield signal (the
        prior is set at step 1 from the true share and each actor's optimism).
        """
        p = self.params
        if not len(p.war_issue):
            return prev.alpha, prev.beta
        share = war.dyad_share(strength, p.war_sides, p.decisiveness)
        alpha, beta = prev.alpha, prev.beta
        if t == 1:
            alpha, beta = war.prior(share, p.optimism, self.side_of, p.war_sides, p.prior_strength)
        return war.update_beliefs(alpha, beta, share, self.signals[:, t - 1], p.discount)

    def _cost_rate(self, t: int, prev: State, pain: np.ndarray) -> np.ndarray:
        """The moving average of each actor's weekly cost (the first week's cost at step 1);
        kept only with war issues (nothing else reads it).
        """
        if not len(self.params.war_issue):
            return prev.cost_rate
        weekly = pain - prev.pain
        if t == 1:
            return weekly
        return war.cost_rate(prev.cost_rate, weekly, self.params.planning_horizon)

    def _dependence(
        self, effects: Effects, force: np.ndarray, strength: np.ndarray
    ) -> np.ndarray | None:
        """Dependence of each threatened edge's target on its holder, (R, E', W), or None
        when no edge carries a credible threat.
        """
        e = self.threatening
        if not len(e):
            return None
        net, p = self.network, self.params
        holder, side = net.holder[e], self.target_side[e]
        given = force[:, holder] * self.threat_same_side
        if effects.aid is not None:
            given = given + effects.aid[:, holder, side]
        return war.dependence(
            strength,
            given,
            self.substitute,
            side,
            p.war_sides,
            p.war_value,
            p.decisiveness,
            self.weight,
        )

    def _ranges(
        self,
        effects: Effects,
        x: np.ndarray,
        forecast: np.ndarray,
        territory: np.ndarray,
        alpha: np.ndarray,
        beta: np.ndarray,
        cost_rate: np.ndarray,
        deciding: np.ndarray,
        dependence: np.ndarray | None,
    ) -> tuple[np.ndarray, ...]:
        """The bargaining range on each war issue, with and without commitment problems
        (docs/model.md, step 7).

        Returns:
            low, high, the binding decider (with commitment problems), and low, high
            ignoring them; (R, W) each.

        """
        p = self.params
        wars = p.war_issue
        if not len(wars):
            empty = np.zeros((x.shape[0], 0))
            return empty, empty, empty.astype(int), empty, empty
        # Only the deciders' intervals matter: with veto players, the work is done on their
        # columns alone (``who``); otherwise on every actor, masked by ``deciding``.
        who = self.veto_columns if len(self.veto_columns) else slice(None)
        if len(self.veto_columns):
            deciding = np.ones((x.shape[0], len(self.veto_columns)), dtype=bool)
        expected = war.expected_outcome(
            alpha[:, who],
            beta[:, who],
            war.dyad_territory(territory, p.war_sides),
            self.weight,
            p.war_value,
        )
        if dependence is not None and effects.conditional is not None:
            e = self.threatening
            shift = effects.conditional[:, e] * dependence * self.credibility[:, :, None]
            net = self.network
            edges = np.zeros((net.edges, x.shape[0], len(wars)))  # (E, R, W)
            edges[e] = np.swapaxes(shift, 0, 1)
            into = np.swapaxes(net.into(edges[net.by_depth]), 0, 1)  # (R, A, W)
            expected = expected + (into * self.toward_loss)[:, who]
        ideal = x[:, who][:, :, wars]
        cost = war.cost_term(
            cost_rate[:, who],
            p.planning_horizon,
            p.pain_tolerance[:, who],
            self.war_salience[:, who],
        )
        low_s, high_s = reservation_interval(ideal, expected, cost)
        low, high = low_s, high_s  # (the same when nobody disarms)
        if self.disarming[who].any():
            guarantee = np.zeros((x.shape[0], len(self.index.sides) + 1))  # (+1: no side)
            if effects.guarantee is not None:
                guarantee[:, :-1] = effects.guarantee
            risk = (
                p.reneging_risk[:, who, None]
                * self.disarming[who]
                * (1.0 - guarantee[:, self.side_of[who]])[:, :, None]
            )
            low, high = reservation_interval(ideal, expected, cost, risk, self.opponent_wins[who])
        binding = binding_veto(low, high, deciding, forecast[:, wars])
        if len(self.veto_columns):
            binding = np.where(binding >= 0, self.veto_columns[np.maximum(binding, 0)], -1)
        low, high = bargaining_range(low, high, deciding)
        signed_low, signed_high = bargaining_range(low_s, high_s, deciding)
        return low, high, binding, signed_low, signed_high

    def _breaks_down(self, t: int, effects: Effects, settled: np.ndarray) -> np.ndarray:
        """Whether a deal made at step t (in the ``settled`` rows) breaks down before the
        horizon: hazard ``h(1 − G)`` per step over the remaining steps, G the strongest
        guarantee of the dyads' sides (Fortna 2004), (R,).
        """
        p = self.params
        out = np.zeros(p.replications, dtype=bool)
        if not len(p.war_issue) or not settled.any():
            return out
        rows = np.flatnonzero(settled)
        g = np.zeros(len(rows))
        if effects.guarantee is not None:
            g = effects.guarantee[rows][:, p.war_sides.ravel()].max(axis=-1)
        hazard = p.breakdown_hazard[rows] * (1.0 - g)
        survive = war.survival(1.0 - hazard, float(self.horizon - t))
        out[rows] = self.breakdown_draw[rows] < 1.0 - survive
        return out

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
        deciding: np.ndarray,
        x: np.ndarray,
        forecast: np.ndarray,
        prev: State,
        ranges: tuple[np.ndarray, ...],
    ) -> tuple[np.ndarray, ...]:
        """Consecutive steps of agreement at the talks, and the replications that settle.

        On an issue without ``war_outcome`` the deciders agree when they are within
        ``tolerance`` of the forecast; on a war issue, when the bargaining range is open.
        ``signed`` counts the steps the range ignoring commitment problems was open.

        Returns:
            hold, settled, signed_hold, signed, and the settlement position (the forecast,
            clipped into the range on war issues), (R,) and (R, K).

        """
        p, wars = self.params, self.params.war_issue
        talks = effects.talks
        if not len(wars):
            agree = within(x, forecast, deciding, p.tolerance)
            hold = np.where(talks & agree, prev.hold + 1, 0)
            settled = talks & (hold >= p.hold)
            return hold, settled, hold, prev.signed | settled, forecast
        low, high, _, signed_low, signed_high = ranges
        others = self.peace_issues
        agree = within(x[:, :, others], forecast[:, others], deciding, p.tolerance)
        agree &= talks
        hold = np.where(agree & (low <= high).all(axis=-1), prev.hold + 1, 0)
        signed_hold = np.where(
            agree & (signed_low <= signed_high).all(axis=-1), prev.signed_hold + 1, 0
        )
        position = forecast.copy()
        position[:, wars] = np.clip(forecast[:, wars], low, np.maximum(low, high))
        settled = hold >= p.hold
        return hold, settled, signed_hold, prev.signed | (signed_hold >= p.hold), position

    def row(self, r: int) -> tuple[Params, State]:
        """Replication ``r``'s parameters and state, as a batch of one."""
        return self.params.row(r), _row(self.state, r)


def _draws_per_row(scenario: Scenario, horizon: int) -> int:
    """The most lever draws a replication can need: each scheduled lever's ``draws``, and
    each triggered one's once per step (a repeating trigger fires at most once a step).
    """
    scheduled = sum(LEVERS[spec.type].draws for spec in scenario.levers)
    triggered = sum(LEVERS[t.then.type].draws for t in scenario.triggers)
    return scheduled + triggered * horizon


def _freeze(new: State, old: State, running: np.ndarray) -> State:
    """``new`` in the running rows, ``old`` in the others."""
    changes = {}
    for name, value in vars(new).items():
        before = getattr(old, name)
        if isinstance(value, np.ndarray) and value is not before:  # (carried over: as is)
            keep = running.reshape(running.shape + (1,) * (value.ndim - 1))
            changes[name] = np.where(keep, value, before)
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
