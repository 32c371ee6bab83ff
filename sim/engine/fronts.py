"""Fronts, population and ceasefires: the battlefield as pairwise contests (docs/model.md,
"Fronts, population and ceasefires").

A scenario with a ``fronts`` section replaces the one contest over the whole territory of
step 3 by one contest per front, between the two sides of a pair, each side committing a
share of its strength to each of its fronts; territory moves along the fronts and the
population moves with it. Shapes: R replications, B sides, F fronts; a front's two sides
are its *slots* 0 (side b) and 1 (side c), kept flat as 2F slots (front f's are 2f and
2f + 1). Every sum over fronts or sides goes through ``fixed_sum``.

References: Tullock (1980) for the contest; Kalyvas, *The Logic of Violence in Civil War*
(2006), ch. 5 and 7, for control of territory as control of its population; Clayton et al.,
"Introducing the ETH/PRIO Civil Conflict Ceasefire Dataset", Journal of Conflict
Resolution (2022), for ceasefires.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from sim.core.sums import fixed_sum


@dataclass(frozen=True)
class FrontParams:
    """The numbers of the fronts and the population, for R replications.

    ``sides`` is not drawn; every other array has a leading replication axis.
    """

    sides: np.ndarray  # (F, 2) int: each front's sides b and c
    allocation: np.ndarray  # (R, F, 2): share of b's (c's) strength committed to the front
    rate: np.ndarray  # (R, F): kappa of each front
    density: np.ndarray  # (R, F): relative population density of the ground along it
    population0: np.ndarray  # (R, B): initial population shares (sum 1)
    draws: np.ndarray  # (R, T, C): each ceasefire's weekly breakdown draw (C ceasefires)

    def row(self, r: int) -> FrontParams:
        """Row ``r`` alone, as a batch of one."""
        keep = slice(r, r + 1)
        return replace(
            self,
            allocation=self.allocation[keep],
            rate=self.rate[keep],
            density=self.density[keep],
            population0=self.population0[keep],
            draws=self.draws[keep],
        )


class Fighting(NamedTuple):
    """One step of fighting along the fronts.

    Attributes:
        flows: territory won by each front's side b from side c, Φ_bc, (R, F).
        gain: each side's net territory won, ``Σ_c Φ_bc``, (R, B).
        intensity: density-weighted force engaged times activity,
            ``Σ_f ρ_f a_f (D_bf + D_cf)``, (R,).

    """

    flows: np.ndarray
    gain: np.ndarray
    intensity: np.ndarray


class Fronts:
    """The per-run constants of the fronts: which side holds which slot.

    Args:
        sides: each front's two sides, (F, 2).
        n_sides: B.

    """

    def __init__(self, sides: np.ndarray, n_sides: int) -> None:
        self.sides = sides
        self.slot_side = sides.ravel()  # (2F,)
        self.sign = np.tile([1.0, -1.0], len(sides))  # (2F,): b wins Φ, c wins −Φ
        lists = [np.flatnonzero(self.slot_side == b) for b in range(n_sides)]
        # each side's slots, padded with 2F (an index reading a zero)
        self.side_slots = np.full(
            (n_sides, max([len(x) for x in lists] + [1])), self.slot_side.size, dtype=np.intp
        )
        for b, slots in enumerate(lists):
            self.side_slots[b, : len(slots)] = slots

    def by_side(self, values: np.ndarray) -> np.ndarray:
        """Sum per side of per-slot values (R, 2F), shape (R, B)."""
        padded = np.concatenate([values, np.zeros((values.shape[0], 1))], axis=-1)
        return fixed_sum(padded[:, self.side_slots])

    def allocate(self, allocation: np.ndarray, activity: np.ndarray | None) -> np.ndarray:
        """The allocation after ceasefires: forces freed on a front where fighting falls
        shift to the side's other fronts,
        ``F'_bf = F_bf a_f · Σ_g F_bg / Σ_g F_bg a_g`` (0 where a side has no active front),
        shape (R, F, 2).

        Args:
            allocation: F, (R, F, 2).
            activity: a_f = 1 − the ceasefires' reduction on front f, (R, F), or None (1).

        """
        if activity is None:
            return allocation
        r, f = activity.shape
        flat = allocation.reshape(r, 2 * f)
        kept = flat * np.repeat(activity, 2, axis=-1)
        total, active = self.by_side(flat), self.by_side(kept)
        scale = np.where(active > 0, total / np.where(active > 0, active, 1.0), 0.0)
        return (kept * scale[:, self.slot_side]).reshape(r, f, 2)

    def fight(
        self,
        territory: np.ndarray,
        strength: np.ndarray,
        params: FrontParams,
        decisiveness: np.ndarray,
        activity: np.ndarray | None,
    ) -> Fighting:
        """The flows of territory along the fronts in one step.

        Dyad strength ``D_bc = F'_bc S_b``; dyad contest share
        ``q_bc = D_bc^γ / (D_bc^γ + D_cb^γ)`` (Tullock 1980); flow
        ``Φ_bc = κ_bc a_bc (q_bc (T_b + T_c) − T_b)``, i.e. the issue's
        ``κ (1 − cf)(q − T_b/(T_b + T_c))(T_b + T_c) a`` with one activity factor
        ``a = 1 − cf`` (the ceasefires' reduction). ``Φ_cb = −Φ_bc`` exactly, so the
        flows conserve territory. A front where neither side commits force does not move.

        Args:
            territory: T, (R, B).
            strength: S, (R, B) (0 for collapsed sides).
            params: the fronts' numbers.
            decisiveness: γ, (R,).
            activity: a, (R, F), or None (every front at 1).

        """
        b, c = self.sides[:, 0], self.sides[:, 1]
        dyad = self.allocate(params.allocation, activity) * strength[:, self.sides]  # (R, F, 2)
        exponent = np.broadcast_to(decisiveness[:, None, None], dyad.shape).copy()
        powered = np.power(np.maximum(dyad, 0.0), exponent)
        total = powered[:, :, 0] + powered[:, :, 1]
        engaged = total > 0
        share = powered[:, :, 0] / np.where(engaged, total, 1.0)
        held_b = territory[:, b]
        pair = held_b + territory[:, c]
        flows = np.where(engaged, params.rate * (share * pair - held_b), 0.0)
        if activity is not None:
            flows = flows * activity
        gain = self.by_side(np.repeat(flows, 2, axis=-1) * self.sign)
        engaged_force = params.density * (dyad[:, :, 0] + dyad[:, :, 1])
        if activity is not None:  # (a ceasefire cuts the fighting on its fronts)
            engaged_force = engaged_force * activity
        intensity = fixed_sum(engaged_force)
        return Fighting(flows, gain, intensity)

    def intensity0(self, params: FrontParams, strength0: np.ndarray) -> np.ndarray:
        """The density-weighted force engaged at step 0 (each side's own force, no aid, no
        ceasefire), (R,): the scale of civilian harm.
        """
        dyad = params.allocation * strength0[:, self.sides]
        return fixed_sum(params.density * (dyad[:, :, 0] + dyad[:, :, 1]))

    def population_along(
        self,
        population: np.ndarray,
        territory: np.ndarray,
        flows: np.ndarray,
        density: np.ndarray,
    ) -> np.ndarray:
        """Population after it moves with the territory won along the fronts, (R, B).

        On a front where side c loses ground ``|Φ|`` to side b, the people living on it
        change hands: ``ρ_bc |Φ| N_c / T_c``, the front's relative density times the loser's
        population per unit of its territory (Kalyvas 2006: who controls the ground
        controls the people on it). A side cannot lose more than its population: when the
        shares it loses over its fronts add up to more than 1 they are scaled down to 1.
        The moves are paired, so the total is conserved.

        Args:
            population: N before the step, (R, B).
            territory: T before the step, (R, B).
            flows: Φ, (R, F).
            density: ρ, (R, F).

        """
        lost = np.stack([np.maximum(-flows, 0.0), np.maximum(flows, 0.0)], axis=-1)
        lost = lost.reshape(flows.shape[0], -1)  # (R, 2F): ground each slot's side loses
        held = territory[:, self.slot_side]
        fraction = np.where(
            held > 0, np.repeat(density, 2, axis=-1) * lost / np.where(held > 0, held, 1.0), 0.0
        )
        over = self.by_side(fraction)
        fraction = fraction / np.maximum(over, 1.0)[:, self.slot_side]
        moved = (population[:, self.slot_side] * fraction).reshape(flows.shape + (2,))
        to_b = moved[:, :, 1] - moved[:, :, 0]  # (R, F): people b gains on each front
        return population + self.by_side(np.repeat(to_b, 2, axis=-1) * self.sign)


def population_pooled(population: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Population after a change of territory that has no front (the one contest of a
    scenario without fronts), (R, B).

    A side whose territory falls from ``before`` to ``after`` gives up the same fraction
    of its population (its own average density; all of it when it is left with none); the
    people given up go to the sides whose territory rose, in proportion to their gains.
    The total is conserved.

    Args:
        population: N, (R, B).
        before: territory before the change, (R, B).
        after: territory after it, (R, B).

    """
    change = after - before
    lost = np.where(change < 0, np.minimum(1.0, -change / np.where(before > 0, before, 1.0)), 0.0)
    gained = np.maximum(change, 0.0)
    return _hand_over(population, population * lost, gained)


def population_left(population: np.ndarray, territory: np.ndarray) -> np.ndarray:
    """Population after the sides left with no territory (collapsed, or emptied along their
    fronts) give up all of theirs, to the others in proportion to their territory, (R, B).
    """
    gone = np.where(territory > 0, 0.0, population)
    if not gone.any():
        return population
    return _hand_over(population, gone, territory)


def _hand_over(population: np.ndarray, given_up: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The people ``given_up`` (R, B) shared out in proportion to ``weight`` (R, B) (kept
    where no side has weight).
    """
    pool = fixed_sum(given_up, keepdims=True)
    total = fixed_sum(weight, keepdims=True)
    moves = total > 0
    share = weight / np.where(moves, total, 1.0)
    return np.where(moves, population - given_up + pool * share, population)
