"""A generic two-sided civil war, drawn from documented ranges, as a ``Scenario``.

A war is drawn once (``draw_war``: every number of every optional part, in a fixed order,
from the war's own random stream), and a ``Design`` says which parts a scenario uses
(interveners, rebel factions, a guarantee, a sanctions threat or imposition). Two designs
built from the same draw differ only by the factor they change: the comparisons of
``sim.validation.patterns`` are paired (common random numbers).

The war: a government and one to ``MAX_FACTIONS`` rebel factions (each a veto player;
D. Cunningham 2006) fight over one war issue, ``war_outcome`` (1 if the government wins,
0 if the rebels do), so it ends by a settlement at the talks (the bargaining model of war,
docs/model.md "How wars end") or by a victory. The rebels must disarm under a deal and
fear reneging (Walter 1997). Interveners (an ally of either side, with a reaction
function: Regan 2002, Balch-Lindsay, Enterline & Joyce 2008) and a third party (a great
power that can guarantee a deal, Walter 1997 and Fortna 2004, or threaten sanctions on
the government, Drezner 2003) take part in the talks without a veto.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sim.scenario.schema import Scenario
from sim.validation.ranges import HORIZON, MAX_FACTIONS, RANGES

Intervention = Literal["none", "government", "rebels", "both", "drawn"]
Sanctions = Literal["none", "threat", "imposed"]

#: P(no intervention, on the government's side, the rebels', both): Regan (2002) finds
#: outside intervention in about two thirds of the civil wars of 1944-94 (101 of 138);
#: the split between one side and both is a judgement
INTERVENTION_SHARES = {"none": 1 / 3, "government": 1 / 4, "rebels": 1 / 4, "both": 1 / 6}
#: P(1, 2, 3, 4 rebel factions): judgement (most civil wars are fought by one or two
#: rebel groups, UCDP; D. Cunningham 2006 counts up to several veto players)
FACTION_SHARES = (0.5, 0.3, 0.1, 0.1)
#: the guarantee's troops, in the units of ``troops_needed`` (sent in full)
TROOPS = 10.0
#: the government's force (the unit of force: every other force is relative to it)
GOVERNMENT_FORCE = 100.0


@dataclass(frozen=True)
class War:
    """One drawn war: every number any design may use, and the drawn design factors."""

    number: int
    values: dict[str, float]
    intervention: Intervention
    factions: int


@dataclass(frozen=True)
class Design:
    """Which parts of a drawn war a scenario uses; ``drawn`` (or None) keeps the draw."""

    name: str = "drawn"
    intervention: Intervention = "drawn"
    factions: int | None = None
    guarantee: bool = False
    sanctions: Sanctions = "none"
    #: whether talks open (at the drawn step); without them no settlement is possible and
    #: the war is fought out (a diagnostic of the battlefield alone)
    talks: bool = True
    notes: dict[str, str] = field(default_factory=dict, compare=False)


def _ranges_of(key: str) -> str:
    """The range of a drawn value: the part of its name after the actor's dot."""
    return key.rsplit(".", 1)[-1]


def draw_war(seed: int, number: int) -> War:
    """Draw war ``number`` of a design seeded ``seed``: the same arguments, the same war.

    Args:
        seed: the design's seed (≥ 0).
        number: the war's number (≥ 0); its stream is ``SeedSequence([seed, number])``.

    Returns:
        The war's numbers (keys ``part.range``, e.g. ``faction2.pain_tolerance``) and its
        drawn design factors.

    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, number]))
    values: dict[str, float] = {}

    def take(key: str) -> None:
        r = RANGES[_ranges_of(key)]
        u = rng.random()
        if r.log:
            values[key] = float(np.exp(np.log(r.low) + u * (np.log(r.high) - np.log(r.low))))
        else:
            values[key] = float(r.low + u * (r.high - r.low))

    for key in (
        "force_ratio",
        "government_territory",
        "decisiveness",
        "rate",
        "loss_cost",
        "prior_strength",
        "planning_horizon",
        "breakdown_hazard",
        "talks_start",
        "rebel_economy",
    ):
        take(key)
    for part in ("government", *(f"faction{n}" for n in range(MAX_FACTIONS))):
        cost = "government_war_cost" if part == "government" else "rebel_war_cost"
        ideal = "government_ideal" if part == "government" else "rebel_ideal"
        for name in (cost, ideal, "pain_tolerance", "resolve", "salience", "optimism"):
            take(f"{part}.{name}")
        if part != "government":
            take(f"{part}.reneging_risk")
    for part in ("government_ally", "rebel_ally"):
        for name in (
            "intervention_force",
            "intervener_economy",
            "intervener_war_cost",
            "intervener_pain_tolerance",
            "intervener_salience",
            "intervener_ideal_offset",
            "intervener_leverage",
            "reaction_b",
            "reaction_e",
            "reaction_k",
            "reaction_m",
            "reaction_ramp",
        ):
            take(f"{part}.{name}")
    for name in (
        "third_party_economy",
        "third_party_ideal",
        "third_party_salience",
        "intervener_pain_tolerance",
        "guarantee_credibility",
        "sanctions_ties",
        "sanctions_cost",
        "sanctions_demand",
        "sanctions_deadline",
        "sanctions_blowback",
    ):
        take(f"third_party.{name}")
    kinds = list(INTERVENTION_SHARES)
    intervention = kinds[int(rng.choice(len(kinds), p=list(INTERVENTION_SHARES.values())))]
    factions = 1 + int(rng.choice(MAX_FACTIONS, p=list(FACTION_SHARES)))
    return War(number, values, intervention, factions)  # type: ignore[arg-type]


def draw_wars(seed: int, count: int) -> list[War]:
    """Wars 0 .. count - 1 of a design seeded ``seed``."""
    return [draw_war(seed, n) for n in range(count)]


def build(war: War, design: Design = Design()) -> Scenario:
    """The scenario of a drawn war under a design (validated by the scenario schema).

    Args:
        war: the drawn war.
        design: which parts to use.

    Returns:
        The validated scenario: sides ``government`` and ``rebels``, the war issue
        ``war_outcome``, talks among every actor from the drawn step.

    Raises:
        pydantic.ValidationError: never for drawn values inside their ranges.

    """
    return Scenario.model_validate(scenario_data(war, design))


def scenario_data(war: War, design: Design = Design()) -> dict[str, Any]:
    """The scenario of ``build`` as plain data (the format of the scenario files)."""
    v = war.values
    factions = war.factions if design.factions is None else design.factions
    if not 1 <= factions <= MAX_FACTIONS:
        raise ValueError(f"factions must be 1-{MAX_FACTIONS}, got {factions}")
    intervention = war.intervention if design.intervention == "drawn" else design.intervention
    rebel_force = GOVERNMENT_FORCE / v["force_ratio"]
    actors: dict[str, Any] = {
        "government": _belligerent(v, "government", "government", GOVERNMENT_FORCE, 1.0, "")
    }
    for n in range(factions):
        actors[f"rebels{n}"] = _belligerent(
            v,
            f"faction{n}",
            "rebels",
            rebel_force / factions,
            v["rebel_economy"] / factions,
            "rebels",
        )
    allies = {
        "government": ("government_ally", "government", 1.0, "government"),
        "rebels": ("rebel_ally", "rebels", 0.0, "rebels0"),
    }
    for side in ("government", "rebels"):
        if intervention in (side, "both"):
            part, on, victory, client = allies[side]
            client_force = GOVERNMENT_FORCE if side == "government" else rebel_force
            actors[part] = _ally(v, part, on, victory, client, client_force)
    t = "third_party"
    actors[t] = {
        "force": 0.0,
        "economy": v[f"{t}.third_party_economy"],
        "unit_cost": 1e-4,
        "position": {"war": v[f"{t}.third_party_ideal"]},
        "salience": {"war": v[f"{t}.third_party_salience"]},
        "pain_tolerance": v[f"{t}.intervener_pain_tolerance"],
        "note": "a great power without a side: mediator, guarantor, sanctions sender",
    }
    levers: list[dict[str, Any]] = []
    if design.talks:
        levers.append(
            {"type": "talks", "participants": list(actors), "start": int(v["talks_start"])}
        )
    if design.guarantee:
        levers.append(
            {
                "type": "guarantee",
                "guarantors": [t],
                "protects": "rebels",
                "troops": TROOPS,
                "troops_needed": TROOPS,
                "credibility": v[f"{t}.guarantee_credibility"],
            }
        )
    if design.sanctions != "none":
        actors[t]["ties"] = {"government": 0.01}
        actors["government"]["ties"] = {t: v[f"{t}.sanctions_ties"]}
        levers.append(_sanctions(v, design.sanctions))
    return {
        "name": f"war_{war.number}_{design.name}",
        "description": "A generated civil war (sim.validation).",
        "issues": {
            "war": {
                "war_outcome": {"government": 1.0, "rebels": 0.0},
                "low": "the rebels win",
                "high": "the government wins",
            }
        },
        "sides": {
            "government": v["government_territory"],
            "rebels": 1.0 - v["government_territory"],
        },
        "actors": actors,
        "levers": levers,
        "battlefield": {
            "decisiveness": v["decisiveness"],
            "rate": v["rate"],
            "loss_cost": v["loss_cost"],
        },
        "bargaining": {
            "prior_strength": v["prior_strength"],
            "planning_horizon": v["planning_horizon"],
            "breakdown_hazard": v["breakdown_hazard"],
        },
        "horizon": HORIZON,
        "replications": 1,
        "seed": 0,
    }


def _belligerent(
    v: dict[str, float], part: str, side: str, force: float, economy: float, kind: str
) -> dict[str, Any]:
    """The government (``kind`` "") or a rebel faction: a veto player on its side."""
    rebel = kind == "rebels"
    cost = v[f"{part}.{'rebel_war_cost' if rebel else 'government_war_cost'}"]
    ideal = v[f"{part}.{'rebel_ideal' if rebel else 'government_ideal'}"]
    actor = {
        "side": side,
        "force": force,
        "economy": economy,
        # the annual cost of its force, per unit and week: cost × economy / 52 / force
        "unit_cost": cost * economy / 52.0 / force,
        "position": {"war": ideal},
        "salience": {"war": v[f"{part}.salience"]},
        "resolve": v[f"{part}.resolve"],
        "pain_tolerance": v[f"{part}.pain_tolerance"],
        "veto": True,
        "optimism": v[f"{part}.optimism"],
    }
    if rebel:
        actor |= {"disarms": True, "reneging_risk": v[f"{part}.reneging_risk"]}
    return actor


def _ally(
    v: dict[str, float], part: str, side: str, victory: float, client: str, client_force: float
) -> dict[str, Any]:
    """An intervener on ``side`` with a reaction function (not a veto player)."""
    force = v[f"{part}.intervention_force"] * client_force
    economy = v[f"{part}.intervener_economy"]
    offset = v[f"{part}.intervener_ideal_offset"]
    return {
        "side": side,
        "force": force,
        "economy": economy,
        "unit_cost": v[f"{part}.intervener_war_cost"] * economy / 52.0 / force,
        "position": {"war": abs(victory - offset)},
        "salience": {"war": v[f"{part}.intervener_salience"]},
        "pain_tolerance": v[f"{part}.intervener_pain_tolerance"],
        "leverage": {client: v[f"{part}.intervener_leverage"]},
        "reaction": {
            "a": 1.0,
            "b": v[f"{part}.reaction_b"],
            "e": v[f"{part}.reaction_e"],
            "k": v[f"{part}.reaction_k"],
            "m": v[f"{part}.reaction_m"],
            "ramp": v[f"{part}.reaction_ramp"],
        },
    }


def _sanctions(v: dict[str, float], kind: Sanctions) -> dict[str, Any]:
    """The third party's sanctions on the government: a threat with a deadline, or the
    same sanctions imposed at that deadline.
    """
    t = "third_party"
    bite = v[f"{t}.sanctions_ties"]  # one sender: the bite is the target's ties with it
    intensity = min(1.0, v[f"{t}.sanctions_cost"] / 52.0 / bite)
    deadline = int(v[f"{t}.sanctions_deadline"])
    common = {
        "senders": [t],
        "targets": ["government"],
        "intensity": intensity,
        "blowback": v[f"{t}.sanctions_blowback"],
    }
    if kind == "threat":
        return {
            "type": "sanctions_threat",
            "name": "demand",
            **common,
            "demand": {"issue": "war", "value": v[f"{t}.sanctions_demand"]},
            "deadline": deadline,
        }
    return {"type": "sanctions", **common, "start": deadline}
