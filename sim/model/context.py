"""The model's arrays: per-replication parameters, the state, and one step's effects."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Params:
    """Numbers fixed for one replication (positions normalised to [0, 1])."""

    force0: np.ndarray  # (A,)
    economy: np.ndarray  # (A,)
    unit_cost: np.ndarray  # (A,)
    x0: np.ndarray  # (A, K)
    salience: np.ndarray  # (A, K)
    capability: np.ndarray  # (A,), NaN where derived from force and economy
    resolve: np.ndarray  # (A,)
    pain_tolerance: np.ndarray  # (A,)
    veto: np.ndarray  # (A,) bool
    leverage: np.ndarray  # (A, A): L[i, j], structural leverage of i over j
    ties: np.ndarray  # (A, A): ties[i, j], share of i's ties held with j
    territory0: np.ndarray  # (B,)
    decisiveness: float
    rate: float
    noise: float
    collapse: float
    loss_cost: float
    harm: float
    tolerance: float
    hold: int
    capability_weights: np.ndarray  # (2,): force, economy


@dataclass
class State:
    """The model's state after a step (step 0: before the first step)."""

    force: np.ndarray  # (A,), base force (deployments move it)
    territory: np.ndarray  # (B,)
    alive: np.ndarray  # (B,) bool: side not collapsed
    x: np.ndarray  # (A, K), normalised positions
    pain: np.ndarray  # (A,), cumulative cost as a fraction of the economy
    leverage: np.ndarray  # (A, A), effective leverage E
    forecast: np.ndarray  # (K,), normalised
    extra_force: np.ndarray  # (A,), force committed by levers this step (safe zones)
    harm: float = 0.0
    incident: bool = False
    step: int = 0

    def stress(self, params: Params) -> np.ndarray:
        """Cumulative cost relative to pain tolerance (resolve halves at 1)."""
        return self.pain / params.pain_tolerance

    def total_force(self) -> np.ndarray:
        """Force in the theatre, including force committed by levers."""
        return self.force + self.extra_force


@dataclass
class StepContext:
    """What levers read and write during one step.

    Levers read ``state`` (the previous step's state) and ``params``, and add their
    effects to the arrays below. The model keeps one context per replication: it clears
    the effects and lets every active lever act again only when a lever's effects may have
    changed (see ``Lever.key``); at other steps the effects of the last step stand.
    """

    step: int
    state: State
    params: Params
    side_of: np.ndarray  # (A,), side index or -1
    aid: np.ndarray = field(init=False)  # (A, B): force added to side b by donor a
    aid_leverage: np.ndarray = field(init=False)  # (A, A): 1 where donor i aids actor j
    cost: np.ndarray = field(init=False)  # (A,): extra cost this step, fraction of economy
    sanction_leverage: np.ndarray = field(init=False)  # (A, A): leverage from sanctions
    pressure: np.ndarray = field(init=False)  # (A, A): proportional boost of E[i, j]
    floor: np.ndarray = field(init=False)  # (B,): territory floors (safe zones)
    participants: np.ndarray = field(init=False)  # (A,) bool: actors at the talks
    extra_force: np.ndarray = field(init=False)  # (A,): force committed by levers (safe zones)
    talks: bool = False
    harm_factor: float = 1.0
    incident_probability: float = 0.0

    def __post_init__(self) -> None:
        a = len(self.side_of)
        b = len(self.state.territory)
        self.aid = np.zeros((a, b))
        self.aid_leverage = np.zeros((a, a))
        self.cost = np.zeros(a)
        self.sanction_leverage = np.zeros((a, a))
        self.pressure = np.zeros((a, a))
        self.floor = np.zeros(b)
        self.participants = np.zeros(a, dtype=bool)
        self.extra_force = np.zeros(a)

    def clear(self) -> None:
        """Remove every effect (before the active levers act again)."""
        for array in (self.aid, self.aid_leverage, self.cost, self.sanction_leverage,
                      self.pressure, self.floor, self.participants, self.extra_force):
            array.fill(0)
        self.talks = False
        self.harm_factor = 1.0
        self.incident_probability = 0.0
