"""The patterns of the civil-war literature, measured on paired designs of generated wars.

Pattern-oriented validation (Grimm et al. 2005): the model is checked against several
patterns the literature reports at once, not against one case. Each pattern runs the same
drawn wars under designs that differ by one factor (the same draws and the same random
streams: common random numbers), and reports its figures with 95% intervals
(``sim.analysis.stats``: Wilson for shares, Newcombe's paired interval for paired
differences of shares, a bootstrap of the paired differences for numbers). A pattern's
``holds`` says whether the model reproduces its *direction* (the point estimates); the
magnitudes are reported beside the literature's, not tuned to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import Difference, Estimate, paired_difference, proportion_interval
from sim.validation.generator import Design, War, draw_wars
from sim.validation.run import run_design

#: the base design of the paired comparisons: no intervention, one rebel faction
BASE = Design("base", intervention="none", factions=1)
DESIGNS: dict[str, Design] = {
    "drawn": Design("drawn"),
    "base": BASE,
    "government_ally": Design("government_ally", intervention="government", factions=1),
    "rebel_ally": Design("rebel_ally", intervention="rebels", factions=1),
    "both_allies": Design("both_allies", intervention="both", factions=1),
    "no_talks": Design("no_talks", intervention="none", factions=1, talks=False),
    "government_ally_no_talks": Design(
        "government_ally_no_talks", intervention="government", factions=1, talks=False
    ),
    "rebel_ally_no_talks": Design(
        "rebel_ally_no_talks", intervention="rebels", factions=1, talks=False
    ),
    "three_factions": Design("three_factions", intervention="none", factions=3),
    "guarantee": Design("guarantee", intervention="none", factions=1, guarantee=True),
    "threat": Design("threat", intervention="none", factions=1, sanctions="threat"),
    "imposed": Design("imposed", intervention="none", factions=1, sanctions="imposed"),
}


@dataclass(frozen=True)
class Figure:
    """One reported number: a share or mean (``Estimate``) or a paired ``Difference``."""

    label: str
    value: Estimate | Difference


@dataclass(frozen=True)
class Pattern:
    """A pattern of the literature, what the model gives, and whether its direction holds."""

    name: str
    claim: str
    literature: str
    figures: list[Figure]
    holds: bool
    model: str  #: one line: what the model does


def run_designs(
    wars: int, replications: int, seed: int, names: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Run the drawn wars ``0 .. wars - 1`` of ``seed`` under the designs named (all by
    default), ``replications`` each; the engine's run seed is ``seed`` (+ war number).
    """
    drawn: list[War] = draw_wars(seed, wars)
    return {
        name: run_design(drawn, DESIGNS[name], replications, seed)
        for name in (names or list(DESIGNS))
    }


def _settled(df: pd.DataFrame) -> pd.Series:
    """Whether each war ended in a settlement (implemented), per replication."""
    return df["end"] == "settlement"


def _settles(df: pd.DataFrame) -> np.ndarray:
    return _settled(df).to_numpy()


def _time_to(df: pd.DataFrame, event: pd.Series, step: pd.Series) -> np.ndarray:
    """The step of an event, or the horizon where it did not happen (a restricted mean of
    the time to it is then the area under its survival curve up to the horizon).
    """
    return np.where(event, step, df["horizon"]).astype(float)


def settlement_share(runs: dict[str, pd.DataFrame]) -> Pattern:
    """A minority of wars end in a negotiated settlement within their first years."""
    df = runs["drawn"]
    settled = proportion_interval(_settled(df))
    victory = proportion_interval(df["end"] == "victory")
    ongoing = proportion_interval(df["end"] == "ongoing")
    signed = proportion_interval(df["signed"])
    steps = df.loc[_settled(df), "end_step"]
    median = float(steps.median()) if len(steps) else float("nan")
    return Pattern(
        "settlement_share",
        "a minority of civil wars end in a negotiated settlement within their first years",
        "Walter (1997): about 20% of civil wars 1940-90; Toft (2010): 23% of 129",
        [
            Figure("P(settlement first)", settled),
            Figure("P(victory first)", victory),
            Figure("P(still fighting at the horizon)", ongoing),
            Figure("P(signed: range open without commitment problems)", signed),
        ],
        settled.estimate < 0.5,
        f"median settlement week {median:g} (design: drawn interventions and factions)",
    )


def _paired(
    runs: dict[str, pd.DataFrame],
    design: str,
    baseline: str,
    measure: Callable[[pd.DataFrame], np.ndarray],
    boolean: bool,
) -> Difference:
    return paired_difference(measure(runs[design]), measure(runs[baseline]), boolean=boolean)


def one_sided_intervention(runs: dict[str, pd.DataFrame], talks: bool = True) -> Pattern:
    """Intervention on one side shortens the time to that side's victory.

    With ``talks=False`` the same comparison on wars fought out without talks (the
    battlefield alone). A side that wins in neither design cannot show the pattern: it is
    reported (difference 0) and left out of ``holds``, which needs at least one side.
    """
    suffix = "" if talks else "_no_talks"
    figures, verdicts = [], []
    for design, side in (("government_ally", "government"), ("rebel_ally", "rebels")):

        def time_to(df: pd.DataFrame, side: str = side) -> np.ndarray:
            return _time_to(df, df["victor"] == side, df["victory_step"])

        def wins(df: pd.DataFrame, side: str = side) -> np.ndarray:
            return (df["victor"] == side).to_numpy()

        base = "base" if talks else "no_talks"
        time = _paired(runs, design + suffix, base, time_to, boolean=False)
        share = _paired(runs, design + suffix, base, wins, boolean=True)
        figures += [
            Figure(f"{side} ally − none: restricted mean weeks to {side} victory", time),
            Figure(f"{side} ally − none: P({side} victory)", share),
        ]
        if wins(runs[design + suffix]).any() or wins(runs[base]).any():
            verdicts.append(time.diff < 0)
    return Pattern(
        "one_sided_intervention" + suffix,
        "intervention on one side shortens the time to that side's victory"
        + ("" if talks else " (wars fought out: no talks)"),
        "Balch-Lindsay, Enterline & Joyce (2008); Regan (2002)",
        figures,
        bool(verdicts) and all(verdicts),
        "time to a side's victory, the horizon where it did not win (censored); "
        f"sides that won in either design: {len(verdicts)} of 2",
    )


def two_sided_intervention(runs: dict[str, pd.DataFrame]) -> Pattern:
    """Intervention on both sides delays settlement."""

    def time_to(df: pd.DataFrame) -> np.ndarray:
        return _time_to(df, _settled(df), df["settlement_step"])

    time = _paired(runs, "both_allies", "base", time_to, boolean=False)
    share = _paired(runs, "both_allies", "base", _settles, boolean=True)
    return Pattern(
        "two_sided_intervention",
        "intervention on both sides delays settlement",
        "Balch-Lindsay, Enterline & Joyce (2008); Regan (2002)",
        [
            Figure("both allies − none: restricted mean weeks to settlement", time),
            Figure("both allies − none: P(settlement)", share),
        ],
        time.diff > 0,
        "time to settlement, the horizon where none (censored)",
    )


def veto_players(runs: dict[str, pd.DataFrame]) -> Pattern:
    """More veto players, longer wars and fewer settlements."""

    def duration(df: pd.DataFrame) -> np.ndarray:
        return df["end_step"].to_numpy(dtype=float)

    longer = _paired(runs, "three_factions", "base", duration, boolean=False)
    fewer = _paired(runs, "three_factions", "base", _settles, boolean=True)
    return Pattern(
        "veto_players",
        "more veto players, longer wars and fewer settlements",
        "D. Cunningham (2006)",
        [
            Figure("4 − 2 veto players: weeks of war (to the horizon)", longer),
            Figure("4 − 2 veto players: P(settlement)", fewer),
        ],
        longer.diff > 0 and fewer.diff < 0,
        "the rebels split into three factions with the same total force and economy",
    )


def guarantee(runs: dict[str, pd.DataFrame]) -> Pattern:
    """A credible third-party guarantee raises implemented settlements."""

    def lasting(df: pd.DataFrame) -> np.ndarray:
        return (_settled(df) & ~df["broke_down"]).to_numpy()

    more = _paired(runs, "guarantee", "base", _settles, boolean=True)
    last = _paired(runs, "guarantee", "base", lasting, boolean=True)
    return Pattern(
        "guarantee",
        "a credible third-party guarantee raises implemented settlements",
        "Walter (1997, 2002); Fortna (2004)",
        [
            Figure("guarantee − none: P(implemented settlement)", more),
            Figure("guarantee − none: P(settlement that lasts to the horizon)", last),
            Figure("guarantee: P(implemented)", proportion_interval(_settles(runs["guarantee"]))),
            Figure("none: P(implemented)", proportion_interval(_settles(runs["base"]))),
        ],
        more.diff > 0,
        "the third party guarantees the rebels' side with G = 0.55-0.85",
    )


def sanctions(runs: dict[str, pd.DataFrame]) -> Pattern:
    """Credible threats succeed more often than impositions; imposed sanctions succeed in a
    minority of cases.
    """
    threat, imposed = runs["threat"], runs["imposed"]
    tested = threat["tested"].to_numpy(dtype=bool)
    conceded = (threat["threat"] == "conceded").to_numpy()
    threat_success = np.where(tested, conceded, np.nan)
    was_imposed = threat["threat"] == "imposed"
    imposed_tested = imposed["tested"].to_numpy(dtype=bool)
    imposed_success = np.where(imposed_tested, imposed["demand_met"], np.nan)
    threat_share = proportion_interval(threat_success[tested])
    imposed_share = proportion_interval(imposed_success[imposed_tested])
    after_threat = proportion_interval(threat.loc[was_imposed, "demand_met"])
    return Pattern(
        "sanctions",
        "credible threats succeed more often than impositions; imposed sanctions succeed "
        "in a minority of cases",
        "Drezner (2003); Hufbauer et al. (2007): about a third of imposed sanctions succeed",
        [
            Figure("threat: P(conceded, deadline reached)", threat_share),
            Figure("imposed: P(demand met, imposition started)", imposed_share),
            Figure("threat imposed: P(demand met after imposition)", after_threat),
            Figure(
                "threat − imposed: P(success), paired over runs tested in both",
                paired_difference(threat_success, imposed_success, boolean=True),
            ),
            Figure(
                "threat: P(imposed or conceded, not folded, deadline reached)",
                proportion_interval((threat.loc[tested, "threat"] != "folded").to_numpy()),
            ),
        ],
        threat_share.estimate > imposed_share.estimate and imposed_share.estimate < 0.5,
        "success: the government's final position within 0.05 of the demand or beyond it",
    )


PATTERNS: list[Callable[[dict[str, pd.DataFrame]], Pattern]] = [
    settlement_share,
    one_sided_intervention,
    lambda runs: one_sided_intervention(runs, talks=False),
    two_sided_intervention,
    veto_players,
    guarantee,
    sanctions,
]


def measure(wars: int, replications: int, seed: int) -> list[Pattern]:
    """Run every design and measure every pattern."""
    runs = run_designs(wars, replications, seed)
    return [pattern(runs) for pattern in PATTERNS]
