"""Running a design of generated wars through the engine, and how each run ended.

Each war runs its replications together in one engine (``Blueprint`` and ``Engine``, as
``sim.experiment.replication.run_engine`` does), with the random streams of run seed
``seed + war number`` (the same in every design: common random numbers). The engine is
stepped here so that the first step of a victory is recorded too (the outcome table has
the victor only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine import Blueprint, Engine, Streams
from sim.validation.generator import Design, War, build

#: a target "reaches" a sanctions demand within this distance (normalised scale)
DEMAND_TOLERANCE = 0.05


def run_war(war: War, design: Design, replications: int, seed: int) -> pd.DataFrame:
    """Run one war under one design; one row per replication.

    Columns: ``war``, ``replication``, ``design``, ``intervention``, ``factions``,
    ``horizon``, ``end`` (``settlement`` when the talks settled before any victory,
    ``victory`` when a side won first, else ``ongoing``), ``end_step`` (the step it ended,
    the horizon when ongoing), ``settled``, ``settlement_step``, ``signed``, ``broke_down``,
    ``victor`` (``government``, ``rebels`` or ``none``), ``victory_step`` (NaN if none),
    and with sanctions ``threat`` (its end), ``demand_met`` (the government's final
    position at the demand or beyond it) and ``tested`` (the run reached the deadline).
    """
    scenario = build(war, design)
    blueprint = Blueprint(scenario)
    numbers = np.arange(replications)
    engine = Engine(
        blueprint, blueprint.draw_batch(seed, numbers), Streams.of_run(seed + war.number, numbers)
    )
    victory_step = np.full(replications, -1)
    while engine.running:
        engine.step()
        won = (engine.state.victory >= 0) & (victory_step < 0)
        victory_step[won] = engine.state.step
    s = engine.state
    sides = np.array([*blueprint.index.sides, "none"], dtype=object)
    settled = s.settled.copy()
    settlement_step = np.where(settled, s.settlement_step, -1)
    first_settled = settled & ((victory_step < 0) | (settlement_step < victory_step))
    victory_first = (victory_step >= 0) & ~first_settled
    horizon = scenario.horizon
    end = np.where(first_settled, "settlement", np.where(victory_first, "victory", "ongoing"))
    end_step = np.where(
        first_settled, settlement_step, np.where(victory_first, victory_step, horizon)
    )
    rows = {
        "war": war.number,
        "replication": numbers,
        "design": design.name,
        "intervention": war.intervention if design.intervention == "drawn" else design.intervention,
        "factions": war.factions if design.factions is None else design.factions,
        "horizon": horizon,
        "end": end,
        "end_step": end_step.astype(float),
        "settled": first_settled,
        "settlement_step": np.where(first_settled, settlement_step, np.nan),
        "signed": s.signed.copy(),
        "broke_down": s.broke_down & first_settled,
        "victor": sides[s.victory],
        "victory_step": np.where(victory_step >= 0, victory_step, np.nan),
    }
    if design.sanctions != "none":
        rows |= _sanctions(engine, design, war)
    return pd.DataFrame(rows)


def _sanctions(engine: Engine, design: Design, war: War) -> dict[str, np.ndarray]:
    """How the sanctions on the government ended in each replication."""
    ix = engine.index
    g, k = ix.actor["government"], ix.issues.index("war")
    demand = war.values["third_party.sanctions_demand"]
    deadline = int(war.values["third_party.sanctions_deadline"])
    position = engine.state.x[:, g, k]
    met = position <= demand + DEMAND_TOLERANCE  # (its ideal lies above the demand)
    out = {"demand_met": met, "tested": engine.state.last_step >= deadline}
    if design.sanctions == "threat":
        (lever,) = [x for x in engine.levers if x.config.type == "sanctions_threat"]
        codes = lever.outcome()[0]
        names = np.array(["none", "pending", "conceded", "imposed", "folded"], dtype=object)
        out["threat"] = names[codes]
        out["tested"] = out["threat"] != "pending"
    return out


def run_design(wars: list[War], design: Design, replications: int, seed: int) -> pd.DataFrame:
    """Run every war under one design: their rows, war by war."""
    return pd.concat([run_war(war, design, replications, seed) for war in wars], ignore_index=True)
