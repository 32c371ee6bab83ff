"""The documented ranges a generated civil war is drawn from (docs/validation.md).

Each range says where it comes from: ``source`` when a study gives the number or its
order of magnitude, ``note`` for a judgement (and why). Every number is drawn uniformly
within its range (``log``: uniformly on a log scale). The ranges were set once, before
the patterns were measured, and are not tuned to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """A closed interval ``[low, high]`` with its provenance."""

    low: float
    high: float
    source: str = ""
    note: str = ""
    log: bool = False

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the range."""
        return self.low <= value <= self.high


#: the number of weeks a generated war is followed: "its first years"
HORIZON = 156
#: the most rebel factions (veto players on the rebel side) a war can have
MAX_FACTIONS = 4

RANGES: dict[str, Range] = {
    # --- the battlefield ---
    "force_ratio": Range(
        1.0,
        10.0,
        source="Cunningham, Gleditsch & Salehyan (2009), Non-State Actor data: rebels are "
        "weaker than the government in most dyads, 'much weaker' in most",
        note="government force / rebel force, drawn on a log scale",
        log=True,
    ),
    "government_territory": Range(
        0.5,
        0.9,
        note="judgement: at the start of a civil war the government holds most of the "
        "territory (Buhaug & Rod 2006 on rebel-held peripheries)",
    ),
    "decisiveness": Range(
        0.8,
        2.0,
        source="Hirshleifer (1989) and Jia, Skaperdas & Vaidya (2013): the decisiveness of "
        "the ratio-form contest is of the order of 1 in estimates from battles",
        note="judgement on the spread",
    ),
    "rate": Range(
        0.005,
        0.05,
        source="docs/model.md default 0.05; the Syria library's calibrated 0.004-0.01",
        note="weekly share of the gap between territory and contest share that closes",
    ),
    # --- costs and resolve ---
    "government_war_cost": Range(
        0.02,
        0.06,
        source="Collier (1999): civil war lowers GDP growth by about 2.2 points a year; "
        "Collier & Hoeffler (2002): military spending about 5% of GDP in war, 2.8% in peace",
        note="the government's annual cost of its forces, as a share of its economy",
    ),
    "rebel_war_cost": Range(
        0.05,
        0.3,
        note="judgement: the rebels' annual cost of their forces as a share of their "
        "(much smaller) resource base",
    ),
    "rebel_economy": Range(
        0.02,
        0.2,
        note="judgement: the rebels' resource base relative to the government's economy",
    ),
    "pain_tolerance": Range(
        0.1,
        1.0,
        note="judgement: the cumulative cost (share of a year's economy) that halves a "
        "belligerent's resolve; civil wars last years (Fearon 2004: mean about 7 years)",
    ),
    "resolve": Range(0.5, 0.9, note="judgement: belligerents are resolved"),
    "salience": Range(
        0.6, 1.0, note="judgement: the war's outcome matters most to the belligerents"
    ),
    "loss_cost": Range(
        0.1, 0.5, source="the Syria library's judgement (cost of losing all the territory)"
    ),
    # --- beliefs and commitment ---
    "optimism": Range(
        0.0,
        0.15,
        source="Blainey (1973); Johnson (2004): belligerents overrate their chances",
        note="the Syria library's judgement of up to 15 points of contest share",
    ),
    "reneging_risk": Range(
        0.2,
        0.7,
        source="Walter (1997, 2002): the disarming side's fear of reneging is the "
        "central obstacle to implementing settlements",
        note="judgement on the spread (the Syria library draws 0.3-0.7)",
    ),
    "prior_strength": Range(10.0, 50.0, source="docs/model.md typical range"),
    "planning_horizon": Range(26.0, 104.0, source="docs/model.md typical range"),
    "breakdown_hazard": Range(
        0.001,
        0.004,
        source="Walter (2002); Fortna (2004): about half of settlements without "
        "peacekeepers break down within five years (weekly 1 - 0.5^(1/260) = 0.0027)",
    ),
    "talks_start": Range(
        0.0, 26.0, note="judgement: talks open within the first six months (step, integer)"
    ),
    "rebel_ideal": Range(0.0, 0.2, note="judgement: near the rebels' victory outcome (0)"),
    "government_ideal": Range(
        0.8, 1.0, note="judgement: near the government's victory outcome (1)"
    ),
    # --- interveners ---
    "intervention_force": Range(
        0.3,
        1.0,
        source="Regan (2002): military interventions range from advisers and air power "
        "to expeditionary forces",
        note="the intervener's force relative to its client side's own force",
    ),
    "intervener_economy": Range(
        5.0, 50.0, note="judgement: interveners are regional or great powers", log=True
    ),
    "intervener_war_cost": Range(
        0.001,
        0.01,
        note="judgement: an intervention costs its sponsor 0.1-1% of its GDP a year "
        "(Russia in Syria: of the order of 0.2%)",
    ),
    "intervener_pain_tolerance": Range(
        0.005, 0.05, source="the Syria library's outside powers (0.002-0.04)"
    ),
    "intervener_salience": Range(0.2, 0.6, note="judgement: less than the belligerents'"),
    "intervener_ideal_offset": Range(
        0.0, 0.4, note="judgement: an ally's ideal point lies this far from its side's victory"
    ),
    "intervener_leverage": Range(
        0.2, 0.6, note="judgement: a patron's structural leverage over its client"
    ),
    "reaction_b": Range(0.0, 10.0, source="docs/model.md typical range (0-20)"),
    "reaction_e": Range(0.0, 1.0, source="docs/model.md typical range (0-1)"),
    "reaction_k": Range(0.0, 1.0, source="docs/model.md typical range (0-2)"),
    "reaction_m": Range(1.0, 3.0, source="docs/model.md typical range (1-3)"),
    "reaction_ramp": Range(2.0, 12.0, source="docs/model.md typical range (2-12)"),
    # --- the third party: guarantor and sanctions sender ---
    "third_party_economy": Range(10.0, 100.0, note="judgement: a great power", log=True),
    "third_party_ideal": Range(0.3, 0.7, note="judgement: prefers a compromise"),
    "third_party_salience": Range(0.1, 0.3, note="judgement: a distant stake"),
    "guarantee_credibility": Range(
        0.55,
        0.85,
        source="Fortna (2004): peacekeeping lowers the risk of renewed war by 55-85%",
        note="the guarantee G (troops sent in full)",
    ),
    "sanctions_ties": Range(
        0.05,
        0.3,
        note="judgement: the target's trade with the sender as a share of its ties",
    ),
    "sanctions_cost": Range(
        0.01,
        0.05,
        source="Hufbauer et al. (2007): the costs to targets are mostly a few percent of "
        "GNP a year",
        note="the target's annual loss when imposed (intensity = cost / 52 / bite)",
    ),
    "sanctions_demand": Range(
        0.3, 0.6, note="judgement: the sender demands a compromise on the war issue"
    ),
    "sanctions_deadline": Range(
        8.0, 26.0, note="judgement: a deadline of two to six months (step, integer)"
    ),
    "sanctions_blowback": Range(0.2, 1.0, note="judgement: the sender's cost per unit of bite"),
}
