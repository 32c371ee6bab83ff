"""A ceasefire on some fronts: fighting falls while it holds, and it may break down.

References: Clayton et al., "Introducing the ETH/PRIO Civil Conflict Ceasefire Dataset",
Journal of Conflict Resolution (2022), doi:10.1177/00220027221129195 (2,202 ceasefires in
civil conflicts, 1989-2020, many of them short-lived); Clayton & Sticher, "The Logic of
Ceasefires in Civil War", International Studies Quarterly 65(3) (2021); Fortna, *Peace
Time* (2004), on monitoring; Stedman, "Spoiler Problems in Peace Processes",
International Security 22(2) (1997), on spoilers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from sim.levers.base import Id, Lever, LeverSpec, Rows, register
from sim.scenario.params import Fraction

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State

#: the default weekly hazard h0 of a breakdown (median survival ln 2 / 0.1 ≈ 7 weeks)
HAZARD = 0.1


class CeasefireSpec(LeverSpec):
    """A named ceasefire on fronts declared under ``fronts`` (pairs of sides)."""

    type: Literal["ceasefire"]
    #: the name of its outcomes, ``ceasefire.<name>.held_weeks`` and ``.broke_down``
    name: Id
    fronts: list[tuple[Id, Id]] = Field(min_length=1)
    #: how much fighting falls on those fronts while it holds (activity 1 − reduction)
    reduction: Fraction
    #: how well it is monitored (0-1): the hazard falls by this share
    monitoring: Fraction = 0.0
    #: the share of armed groups on those fronts outside it (0-1): the hazard rises by it
    spoiler_share: Fraction = 0.0
    #: h0, the weekly hazard of a breakdown without monitoring or spoilers
    hazard: Fraction = HAZARD


@register
class Ceasefire(Lever):
    """While in force, fighting on its fronts falls by ``reduction`` (their activity is
    ``1 − reduction``; several ceasefires on a front combine as ``1 − Π(1 − reduction)``),
    and the forces freed shift to the sides' other fronts. Each week in force it breaks
    down with hazard ``h0 (1 − monitoring)(1 + spoiler_share)`` (at most 1): one uniform
    draw per week from the replication's ceasefire stream; the week it breaks down,
    fighting is back, and once broken it stays broken. Default h0 = 0.1 a week (median
    survival about 7 weeks, the middle of 5-14 weeks): a judgement from the ceasefire
    data (Clayton et al. 2022) and Syria's 2016 truces (the cessation of hostilities of
    27 February frayed within about eight weeks; the truce of 12 September lasted one).
    Outcomes ``ceasefire.<name>.held_weeks`` (weeks in force) and
    ``ceasefire.<name>.broke_down``.
    """

    spec = CeasefireSpec
    reference = "Clayton et al. (2022); Fortna (2004); Stedman (1997)"
    writes = frozenset({"ceasefire"})

    def setup(self, params: Params) -> None:
        """Resolve the fronts and the draw column; no week held, not broken."""
        self.fronts = np.array([self.index.front(pair) for pair in self.config.fronts])
        self.column = self.index.ceasefires.index(self.config.name)
        r = params.replications
        self.held = np.zeros(r, dtype=np.int64)
        self.broken = np.zeros(r, dtype=bool)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Draw whether it breaks down this week; while it holds, cut the fighting."""
        r = rows.at
        v = {name: value[r] for name, value in self.values.items()}
        hazard = np.minimum(1.0, v["hazard"] * (1.0 - v["monitoring"]) * (1.0 + v["spoiler_share"]))
        in_force = ~self.broken[r]
        breaks = in_force & (params.fronts.draws[r, step - 1, self.column] < hazard)
        holds = in_force & ~breaks
        self.broken[r] = self.broken[r] | breaks
        self.held[r] = self.held[r] + holds
        cut = (v["reduction"] * holds)[:, None]
        reduction = effects.array("ceasefire")
        f = self.fronts
        reduction[rows.column, f] = 1.0 - (1.0 - reduction[rows.column, f]) * (1.0 - cut)

    def outcome(self) -> tuple[np.ndarray, np.ndarray]:
        """Weeks held and whether it broke down, per replication."""
        return self.held, self.broken
