"""``Ensemble``: many replications of one scenario stepped together.

Each replication is still its own ``LeverageModel``: its levers and triggers act in
Python, one replication at a time. What every replication computes at a step — the values
derived from forces (strengths, contest shares, stakes, effective leverage, capability),
the battlefield, costs, the Friedkin–Johnsen update, the forecast and the test of the talks
— runs once per step on arrays stacked along a leading batch axis. Those equations are
elementwise, or sum over the last axis one run's row at a time, so each replication's
numbers are exactly those of ``LeverageModel.step``, whatever the batch. Stacked arrays
are kept while the replications hand over the same objects (most inputs change only at
some steps). A replication the batch does not cover at a step (safe-zone floors, a
collapsed or collapsing side, another bargaining model) takes that step on its own.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import mesa
import numpy as np

from sim.bargaining.base import forecast_weights, weighted_mean
from sim.bargaining.compromise import Compromise
from sim.bargaining.influence import Influence, friedkin_johnsen_step, susceptibility
from sim.model import battlefield as bf
from sim.model import costs
from sim.model import leverage as lev
from sim.model.context import State
from sim.model.model import LeverageModel
from sim.model.settlement import within_each

OnError = Callable[[int, Exception], None]

#: Batches stop paying once their largest arrays (issues × actors × actors per replication:
#: the influence weights) outgrow the CPU's caches. Measured on the Syria baseline (17
#: actors) and generated scenarios of 10–200 actors (BENCHMARKS.md): best near 200
#: replications for 17 actors, 26 for 50, 6–8 for 100; for 200 actors one by one is best.
BATCH_BYTES = 512 * 1024
MAX_BATCH = 200


def batch_size(actors: int, issues: int) -> int:
    """How many replications of a scenario to step together (1: one by one)."""
    per_replication = 8 * max(issues, 1) * actors * actors
    return max(1, min(MAX_BATCH, BATCH_BYTES // per_replication))


class Ensemble(mesa.Model):
    """Steps ``members`` (replications of one scenario, not yet run) to their ends.

    Args:
        members: the replications' models, freshly made.
        on_error: called with (member index, exception) when a replication raises; that
            replication stops there and the others go on. Without it, the error is raised.

    """

    def __init__(self, members: Sequence[LeverageModel], on_error: OnError | None = None
                 ) -> None:
        super().__init__(rng=np.random.default_rng(0))
        self.members = list(members)
        self.on_error = on_error
        self.failed: set[int] = set()
        self._kept: dict[str, tuple[list, Any]] = {}
        first = self.members[0].bargaining if self.members else None
        self.kind = ("influence" if type(first) is Influence
                     else "compromise" if type(first) is Compromise else None)

    def run(self) -> list[LeverageModel]:
        """Step until every replication has settled or reached the horizon."""
        while self.running:
            self.step()
        return self.members

    def step(self) -> None:
        """One step of every replication still running."""
        live = [i for i, m in enumerate(self.members) if m.running and i not in self.failed]
        if not live:
            self.running = False
            return
        if len(live) == 1:  # (nothing to batch: the replication's own step is cheaper)
            try:
                self.members[live[0]].step()
            except Exception as exc:  # noqa: BLE001 - recorded, as in a batch
                self._fail(live[0], exc)
            return
        prepared: list[tuple[int, State]] = []
        derive: list[tuple[int, State]] = []
        for i in live:
            prev = self.members[i].state
            try:
                if self.members[i]._prepare(prev, prev.step + 1, derive=False):
                    derive.append((i, prev))
            except Exception as exc:  # noqa: BLE001 - one replication fails, not the batch
                self._fail(i, exc)
                continue
            prepared.append((i, prev))
        self._derive(derive)
        batch: list[tuple[int, State]] = []
        for i, prev in prepared:
            if i in self.failed:
                continue
            if self._batched(self.members[i]):
                batch.append((i, prev))
            else:
                self._advance_one(i, prev, prev.step + 1)
        if batch:
            self._advance_batch(batch)

    def _fail(self, i: int, exc: Exception) -> None:
        if self.on_error is None:
            raise exc
        self.failed.add(i)
        self.on_error(i, exc)

    def _derive(self, items: list[tuple[int, State]]) -> None:
        """``LeverageModel._derive`` for these replications: at once, or one by one when
        they cannot be taken together (or taking them together raised).
        """
        members = [self.members[i] for i, _ in items]
        if len(items) > 1 and len({m._given is None for m in members}) == 1:
            try:
                self._derive_together(members, [prev for _, prev in items])
                return
            except Exception:  # noqa: BLE001, S110 - one by one, to find the one that fails
                pass
        for (i, prev), m in zip(items, members, strict=True):
            try:
                m._derive(prev)
            except Exception as exc:  # noqa: BLE001 - one replication fails, not the batch
                self._fail(i, exc)

    def _derive_together(self, members: list[LeverageModel], prevs: list[State]) -> None:
        """``LeverageModel._derive`` on arrays stacked along a batch axis."""
        stacked = self._stacked
        params = [m.params for m in members]
        side_matrix = members[0].side_matrix
        before = np.stack([prev.force for prev in prevs])  # (levers move forces in place)
        force = before + stacked("extra force", [m._extra_force for m in members])
        strength = bf.side_strength(force, side_matrix, stacked("aid", [m._aid for m in members]),
                                    stacked("alive", [prev.alive for prev in prevs]))
        if len({p.decisiveness for p in params}) == 1:
            share = bf.contest_share(strength, params[0].decisiveness)
        else:
            share = np.stack([bf.contest_share(s, p.decisiveness)
                              for s, p in zip(strength, params, strict=True)])
        contested = (strength.sum(axis=-1) > 0).tolist()
        harm = costs.civilian_harm_each(
            strength, stacked("strength0", members, lambda ms: np.array([m.strength0 for m in ms])),
            stacked("harm", params, lambda ps: np.array([p.harm for p in ps])),
            np.array([m._harm_factor for m in members])).tolist()
        aid_gain = 0.0
        if any(m._aided for m in members):
            none = np.zeros_like(members[0].ctx.aid), np.zeros_like(members[0].ctx.aid_leverage)
            aid_gain = lev.aid_leverage(
                np.stack([m._aid_given if m._aided else none[0] for m in members]),
                np.stack([m._aid_to if m._aided else none[1] for m in members]),
                members[0].index.side_of, strength)
        leverage = lev.effective_leverage(
            stacked("structural", [p.leverage for p in params]), members[0].same_side,
            lev.drawdown(before, stacked("force0", [p.force0 for p in params])), aid_gain,
            stacked("sanctions", [m._sanctions for m in members]),
            stacked("pressure", [m._pressure for m in members]))
        unchanged = self._same_leverage(members, leverage)
        given = None if members[0]._given is None else stacked(
            "given", [m._given for m in members])
        capability = self._rows("capability", lev.force_capability(
            force, stacked("force weight", params,
                           lambda ps: np.array([p.capability_weights[0] for p in ps])[:, None]),
            stacked("economic", [m._economic for m in members]), given))
        shares = self._rows("share", share)
        upkeep = self._rows("upkeep", force * stacked("upkeep rate",
                                                      [m.upkeep_rate for m in members]))
        stake = self._rows("stake", costs.side_stake(force, side_matrix))
        for k, (m, prev) in enumerate(zip(members, prevs, strict=True)):
            m._force, m._upkeep, m._stake = force[k], upkeep[k], stake[k]
            m._share = shares[k] if contested[k] else None
            m._harm, m._capability, m._derived_for = harm[k], capability[k], prev.alive
            if not unchanged[k]:  # (kept otherwise: the influence weights stand)
                m._leverage = leverage[k]

    def _same_leverage(self, members: list[LeverageModel], leverage: np.ndarray) -> list[bool]:
        """Whether each replication's new effective leverage equals the one it has."""
        known = [k for k, m in enumerate(members) if m._derived_for is not None]
        same = [False] * len(members)
        if known:
            old = self._stacked("leverage", [members[k]._leverage for k in known])
            new = leverage if len(known) == len(members) else leverage[known]
            for k, equal in zip(known, (new == old).all(axis=(-2, -1)).tolist(), strict=True):
                same[k] = equal
        return same

    def _batched(self, m: LeverageModel) -> bool:
        return (self.kind is not None and m._floor is None and m._all_alive
                and m._share is not None)

    def _stacked(self, name: str, items: list, make: Callable[[list], Any] = np.stack
                 ) -> Any:
        """``make(items)``, kept while it is asked for with the same objects in the same
        order (the members hand over new arrays when values change; see ``Derived``).
        """
        kept = self._kept.get(name)
        if kept is not None and len(kept[0]) == len(items) and all(
                map(operator.is_, items, kept[0])):
            return kept[1]
        value = make(items)
        self._kept[name] = (items, value)
        return value

    def _rows(self, name: str, stacked: np.ndarray) -> list[np.ndarray]:
        """The rows of ``stacked`` (views), kept as its ``_stacked`` value for ``name``:
        handed back next step, they need no stacking.
        """
        rows = list(stacked)
        self._kept[name] = (rows, stacked)
        return rows

    def _advance_batch(self, batch: list[tuple[int, State]]) -> None:
        """``LeverageModel._advance`` for a batch of replications at once."""
        # (np.stack keeps each array's memory layout, so every sum runs in the same order
        # as for one replication alone; np.array would make copies C-ordered and change it.)
        members = [self.members[i] for i, _ in batch]
        prevs = [prev for _, prev in batch]
        t = prevs[0].step + 1
        params = [m.params for m in members]
        stacked = self._stacked
        before = stacked("territory", [p.territory for p in prevs])
        moved = bf.move_territory(
            before, stacked("share", [m._share for m in members]),
            stacked("rate", params, lambda ps: np.array([p.rate for p in ps])[:, None]),
            stacked("shocks", [m._shocks for m in members])[:, t - 1])
        total = moved.sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            territory = moved / total[:, None]
        collapse = stacked("collapse", params,
                           lambda ps: np.array([p.collapse for p in ps])[:, None])
        alone = (total <= 0) | (territory < collapse).any(axis=-1)
        if alone.any():  # a side collapses (or nothing is held): on their own
            for k in np.flatnonzero(alone):
                self._advance_one(batch[k][0], prevs[k], t)
            keep = np.flatnonzero(~alone)
            if not len(keep):
                return
            batch = [batch[k] for k in keep]
            members, prevs, params = ([v[k] for k in keep] for v in (members, prevs, params))
            before, territory, collapse = before[keep], territory[keep], collapse[keep]
        wins = (territory >= 1.0 - collapse).any(axis=-1)
        for k in np.flatnonzero(wins):
            if members[k].victory < 0:
                members[k].victory = bf.victor(territory[k], float(collapse[k, 0]))
        pain = stacked("pain", [p.pain for p in prevs]) + stacked(
            "upkeep", [m._upkeep for m in members])
        if any(m._cost for m in members):  # (the levers write ctx.cost in place: no keeping)
            pain += np.stack([m.ctx.cost if m._cost else np.zeros_like(m.ctx.cost)
                              for m in members])
        pain += costs.losses_by_stake(
            np.maximum(before - territory, 0.0), stacked("stake", [m._stake for m in members]),
            members[0].side_matrix,
            stacked("loss_cost", params, lambda ps: np.array([p.loss_cost for p in ps])[:, None]))
        stress = pain / stacked("tolerance", [p.pain_tolerance for p in params])
        x = stacked("x", [p.x for p in prevs])
        if self.kind == "influence":
            weights = stacked("weights", [m._leverage for m in members], lambda _: np.stack(
                [m.bargaining.weights(m._leverage, p.salience)
                 for m, p in zip(members, params, strict=True)]))
            lam = susceptibility(stacked("resolve", [p.resolve for p in params]), stress)
            x = friedkin_johnsen_step(x, stacked("x0", [p.x0 for p in params]), weights, lam)
        forecast = self._forecast(members, params, x)
        agree = self._agreement(members, params, x, forecast)
        rows = zip(self._rows("territory", territory), self._rows("pain", pain),
                   self._rows("x", x) if self.kind == "influence" else (p.x for p in prevs),
                   forecast, strict=True)
        for k, (m, prev, (territory_k, pain_k, x_k, forecast_k)) in enumerate(
                zip(members, prevs, rows, strict=True)):
            m.state = State(force=prev.force, territory=territory_k, alive=prev.alive,
                            x=x_k, pain=pain_k, leverage=m._leverage, forecast=forecast_k,
                            extra_force=m._extra_force, harm=prev.harm + m._harm,
                            incident=prev.incident | bool(
                                m._events[t - 1] < m.ctx.incident_probability),
                            step=t)
            self._finish(batch[k][0], m, stress[k], t, agree[k])

    def _forecast(self, members: list[LeverageModel], params: list, x: np.ndarray
                  ) -> np.ndarray:
        """``BargainingModel.forecast`` (the weighted mean) for the batch."""
        inputs = [self._stacked("capability", [m._capability for m in members]),
                  self._stacked("participants", [m._participants for m in members]),
                  self._stacked("salience", [p.salience for p in params])]
        return weighted_mean(self._stacked("forecast weights", inputs,
                                           lambda arrays: forecast_weights(*arrays)), x)

    def _agreement(self, members: list[LeverageModel], params: list, x: np.ndarray,
                   forecast: np.ndarray) -> list[bool | None]:
        """Whether each replication's veto players agree with its forecast (``_settle``);
        None where there are no talks.
        """
        talks = [k for k, m in enumerate(members) if m.ctx.talks]
        agree: list[bool | None] = [None] * len(members)
        if talks:
            a = x.shape[-2]
            rows = self._stacked("veto", [members[k]._veto for k in talks],
                                 lambda vetoes: np.stack([np.isin(np.arange(a), v)
                                                          for v in vetoes]))
            tolerance = self._stacked("talks tolerance", [params[k] for k in talks],
                                      lambda ps: np.array([p.tolerance for p in ps]))
            for k, ok in zip(talks, within_each(x[talks], forecast[talks], rows, tolerance)
                             .tolist(), strict=True):
                agree[k] = ok
        return agree

    def _finish(self, i: int, m: LeverageModel, stress: np.ndarray, t: int,
                agree: bool | None) -> None:
        try:
            m._settle(m.ctx, t, agree)
            if m.recorder is not None:
                m.recorder.record(m.state, m.settled, m._force, stress)
            if m.settled or t >= m.horizon:
                m.running = False
            m.steps = t
        except Exception as exc:  # noqa: BLE001 - one replication fails, not the batch
            self._fail(i, exc)

    def _advance_one(self, i: int, prev: State, t: int) -> None:
        try:
            self.members[i]._advance(prev, t)
            self.members[i].steps = t
        except Exception as exc:  # noqa: BLE001 - one replication fails, not the batch
            self._fail(i, exc)
