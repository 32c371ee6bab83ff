"""The engine's arrays: parameters, the state, and one step's effects, for R replications.

Every array has a leading replication axis R (one row per replication); A actors,
B sides, K issues. One replication is R = 1 on the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.engine.fronts import FrontParams


@dataclass(frozen=True)
class Params:
    """Numbers fixed for a run of R replications (positions normalised to [0, 1])."""

    force0: np.ndarray  # (R, A)
    economy: np.ndarray  # (R, A)
    unit_cost: np.ndarray  # (R, A)
    x0: np.ndarray  # (R, A, K)
    salience: np.ndarray  # (R, A, K)
    capability: np.ndarray  # (R, A), NaN where derived from force and economy
    resolve: np.ndarray  # (R, A)
    pain_tolerance: np.ndarray  # (R, A)
    veto: np.ndarray  # (A,) bool (not drawn)
    leverage: np.ndarray  # (R, A, A): L[r, i, j], structural leverage of i over j
    ties: np.ndarray  # (R, A, A): ties[r, i, j], share of i's ties held with j
    territory0: np.ndarray  # (R, B)
    decisiveness: np.ndarray  # (R,)
    rate: np.ndarray  # (R,)
    noise: np.ndarray  # (R,)
    collapse: np.ndarray  # (R,)
    loss_cost: np.ndarray  # (R,)
    harm: np.ndarray  # (R,)
    tolerance: np.ndarray  # (R,)
    hold: int
    capability_weights: np.ndarray  # (2,): force, economy
    # How wars end (docs/model.md): W war issues, each with a principal dyad of two sides.
    optimism: np.ndarray  # (R, A), bias of the prior toward the actor's own side
    reneging_risk: np.ndarray  # (R, A), rho
    abandonment_credibility: np.ndarray  # (R, A)
    surge: np.ndarray  # (R, A), force it could add if a partner on its side left
    disarms: np.ndarray  # (A,) bool (not drawn)
    war_issue: np.ndarray  # (W,) int, the issue index of each war issue (not drawn)
    war_sides: np.ndarray  # (W, 2) int, the dyad's sides a and b (not drawn)
    war_value: np.ndarray  # (W, 2), normalised outcome if a / b wins (not drawn)
    prior_strength: np.ndarray  # (R,), engagements
    discount: np.ndarray  # (R,), phi
    planning_horizon: np.ndarray  # (R,), H in steps
    breakdown_hazard: np.ndarray  # (R,), per step
    signal_trials: int  # n_e
    # Sanction threats and economic erosion (docs/model.md).
    economy_elasticity: np.ndarray  # (R, A), epsilon: sustained force ~ (economy ratio)^epsilon
    # Interveners that react (docs/model.md): the actors with a reaction and its
    # coefficients a, b, e, k, m, ramp (sim.engine.reaction.COEFFICIENTS; 0 elsewhere).
    reacts: np.ndarray  # (A,) bool (not drawn)
    reaction: np.ndarray  # (R, A, 6)
    # Fronts, population and ceasefires (docs/model.md): None without fronts or population
    fronts: FrontParams | None = None

    @property
    def replications(self) -> int:
        """R, the number of rows."""
        return self.force0.shape[0]

    def row(self, r: int) -> Params:
        """Row ``r`` alone, as a batch of one (R = 1)."""
        keep = slice(r, r + 1)
        return replace(
            self,
            **{
                f.name: getattr(self, f.name)[keep]
                for f in fields(self)
                if f.name not in _UNBATCHED
            },
            fronts=None if self.fronts is None else self.fronts.row(r),
        )


_UNBATCHED = {
    "veto",
    "hold",
    "capability_weights",
    "disarms",
    "war_issue",
    "war_sides",
    "war_value",
    "signal_trials",
    "reacts",
    "fronts",
}


@dataclass(frozen=True)
class State:
    """The state of R replications after a step (step 0: before the first step).

    A value: every step makes a new one. Rows that have finished (settled, or at the
    horizon) keep their last values and ``running`` False.
    """

    step: int
    force: np.ndarray  # (R, A), each actor's own force (deployments move it), before the
    # cap of an eroded economy (``capacity``)
    extra_force: np.ndarray  # (R, A), force committed by levers this step (safe zones)
    territory: np.ndarray  # (R, B)
    alive: np.ndarray  # (R, B) bool: side not collapsed
    x: np.ndarray  # (R, A, K), normalised positions
    pain: np.ndarray  # (R, A), cumulative cost as a fraction of the economy
    leverage: np.ndarray  # (R, E), effective leverage on the leverage network's edges
    forecast: np.ndarray  # (R, K), normalised
    harm: np.ndarray  # (R,), cumulative civilian harm
    incident: np.ndarray  # (R,) bool
    running: np.ndarray  # (R,) bool
    settled: np.ndarray  # (R,) bool
    settlement_step: np.ndarray  # (R,) int, -1 when not settled
    settlement_position: np.ndarray  # (R, K), NaN when not settled
    victory: np.ndarray  # (R,) int: the side that won, or -1
    hold: np.ndarray  # (R,) int: consecutive steps the talks have agreed
    last_step: np.ndarray  # (R,) int: the last step each row took
    # How wars end (docs/model.md); W war issues (empty arrays when there are none).
    alpha: np.ndarray  # (R, A, W): Beta beliefs about the dyad share (wins of side a)
    beta: np.ndarray  # (R, A, W): (wins of side b)
    cost_rate: np.ndarray  # (R, A): moving average of the weekly cost
    range_low: np.ndarray  # (R, W): the bargaining range, normalised (NaN at step 0)
    range_high: np.ndarray  # (R, W)
    binding: np.ndarray  # (R, W) int: the decider with the least slack, -1 for none
    signed_hold: np.ndarray  # (R,) int: consecutive steps the range ignoring commitment
    # problems has been open at the talks
    signed: np.ndarray  # (R,) bool: that range held open for ``hold`` steps at the talks
    broke_down: np.ndarray  # (R,) bool: the settlement broke down over the rest of the run
    # Sanction threats and economic erosion (docs/model.md).
    economy: np.ndarray  # (R, A): the economy after sanctions losses (Params.economy at 0)
    capacity: np.ndarray  # (R, A): (economy / initial economy)^epsilon, 1 without erosion
    # Fronts, population and ceasefires (docs/model.md): None without fronts or population
    population: np.ndarray | None = None  # (R, B): population shares

    def total_force(self) -> np.ndarray:
        """Force in the theatre: own force as sustained (``force × capacity``) plus force
        committed by levers, shape (R, A).
        """
        return self.force * self.capacity + self.extra_force

    def stress(self, params: Params) -> np.ndarray:
        """Cumulative cost relative to pain tolerance (resolve halves at 1), shape (R, A)."""
        return self.pain / params.pain_tolerance


class Effects:
    """What the levers write at one step, for R replications; each field documented once.

    ``force`` starts as the previous step's own forces and deployments overwrite it; the
    arrays of the lazily made fields stay None (no effect) until a lever asks for them
    with ``array``. A lever writes only into the rows it is given.

    Fields:
        force: (R, A) actors' own force after deployments.
        extra_force: (R, A) force committed by levers (safe-zone sponsors).
        cost: (R, A) extra cost this step, as a fraction of the economy.
        harm_factor: (R,) product of civilian-harm reductions (safe zones).
        incident_probability: (R,) probability of a direct incident this step.
        talks: (R,) bool, talks open this step.
        participants: (R, A) bool, actors at the talks.
        aid: (R, A, B) force donor a adds to side b (lazy).
        aid_leverage: (R, E) 1 on the edges where the holder aids the target (lazy).
        pressure: (R, E) proportional boost of E on the edges (lazy).
        floor: (R, B) territory floors (lazy).
        guarantee: (R, B) G, the guarantee of a deal protecting each side (lazy).
        conditional: (R, E, W) 1 where the edge's holder conditions its support of the
            target on war issue w and the target does not meet the demand (lazy).
        sanction_cost: (R, A) the part of ``cost`` that is sanctions losses of targets, which
            erodes their economy (lazy).
        conceded: (R, A, K) 1 where the actor has conceded to a threat's demand on issue k
            (lazy).
        conceded_to: (R, A, K) the demand conceded to, normalised (lazy).
        intent: (R, A) the intent a of the actors with a reaction, after deployments
            (set by the engine from the last step's when some actor reacts; else None).
        force_fixed: (R, A) 1 where a ``fixed`` deployment holds a reacting actor's force
            this step (its reaction waits) (lazy).
        ceasefire: (R, F) the reduction of fighting on each front by the ceasefires in
            force, combined as ``1 − Π(1 − reduction)`` (lazy; F fronts).

    The leverage fields and ``conditional`` are kept on the leverage network's edges
    (``edge``).

    """

    LAZY = {
        "aid": "AB",
        "aid_leverage": "E",
        "pressure": "E",
        "floor": "B",
        "guarantee": "B",
        "conditional": "EW",
        "sanction_cost": "A",
        "conceded": "AK",
        "conceded_to": "AK",
        "intent": "A",
        "force_fixed": "A",
        "ceasefire": "F",
    }
    ALL = (
        "force",
        "extra_force",
        "cost",
        "harm_factor",
        "incident_probability",
        "talks",
        "participants",
        *LAZY,
    )

    def __init__(
        self,
        force: np.ndarray,
        sides: int,
        edge_of: np.ndarray,
        wars: int = 0,
        issues: int = 0,
        fronts: int = 0,
    ) -> None:
        r, a = force.shape
        self.edge_of = edge_of
        self.shape = {
            "A": a,
            "B": sides,
            "E": int(edge_of.max(initial=-1)) + 1,
            "W": wars,
            "K": issues,
            "F": fronts,
        }
        self.force = force.copy()
        self.extra_force = np.zeros((r, a))
        self.cost = np.zeros((r, a))
        self.harm_factor = np.ones(r)
        self.incident_probability = np.zeros(r)
        self.talks = np.zeros(r, dtype=bool)
        self.participants = np.zeros((r, a), dtype=bool)
        self.aid: np.ndarray | None = None
        self.aid_leverage: np.ndarray | None = None
        self.pressure: np.ndarray | None = None
        self.floor: np.ndarray | None = None
        self.guarantee: np.ndarray | None = None
        self.conditional: np.ndarray | None = None
        self.sanction_cost: np.ndarray | None = None
        self.conceded: np.ndarray | None = None
        self.conceded_to: np.ndarray | None = None
        self.intent: np.ndarray | None = None
        self.force_fixed: np.ndarray | None = None
        self.ceasefire: np.ndarray | None = None

    def edge(self, holder: np.ndarray | int, target: np.ndarray | int) -> np.ndarray:
        """The edge index of each (holder, target) pair; -1 where the network has no such
        edge (there, leverage stays 0).
        """
        return self.edge_of[holder, target]

    def array(self, name: str) -> np.ndarray:
        """The array of a lazily made field, made (zeros) when first asked for."""
        value = getattr(self, name)
        if value is None:
            dims = tuple(self.shape[d] for d in self.LAZY[name])
            value = np.zeros((self.force.shape[0], *dims), order="F")  # (columns whole)
            setattr(self, name, value)
        return value
