"""Small scenarios built in code for the model and experiment tests."""

from __future__ import annotations

import copy
from typing import Any

from sim.scenario.schema import Scenario

BASE: dict[str, Any] = {
    "name": "toy",
    "issues": {"tenure": {}},
    "sides": {"gov": 0.5, "reb": 0.5},
    "actors": {
        "patron": {
            "side": "gov",
            "force": 30,
            "economy": 2.0,
            "unit_cost": 0.0,
            "position": {"tenure": 0.9},
            "salience": {"tenure": 0.6},
            "resolve": 0.6,
            "veto": True,
            "leverage": {"client": 0.5},
            "ties": {"outsider": 0.3},
        },
        "client": {
            "side": "gov",
            "force": 50,
            "economy": 0.05,
            "position": {"tenure": 1.0},
            "salience": {"tenure": 1.0},
            "resolve": 0.8,
            "veto": True,
            "leverage": {"patron": 0.1},
        },
        "outsider": {
            "side": "reb",
            "force": 10,
            "economy": 10.0,
            "position": {"tenure": 0.1},
            "salience": {"tenure": 0.5},
            "resolve": 0.5,
            "veto": True,
            "leverage": {"rebels": 0.5},
            "ties": {"patron": 0.05},
        },
        "rebels": {
            "side": "reb",
            "force": 70,
            "economy": 0.01,
            "position": {"tenure": 0.0},
            "salience": {"tenure": 1.0},
            "resolve": 0.7,
            "leverage": {"outsider": 0.05},
        },
    },
    "battlefield": {"noise": 0.0},
    "horizon": 20,
    "replications": 4,
    "seed": 7,
}


def scenario_data(**changes: Any) -> dict[str, Any]:
    """The base toy scenario as data, with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def make_scenario(**changes: Any) -> Scenario:
    """The base toy scenario, validated, with top-level keys replaced."""
    return Scenario.model_validate(scenario_data(**changes))


def with_levers(*levers: dict[str, Any], **changes: Any) -> Scenario:
    """The toy scenario with the given levers."""
    return make_scenario(levers=list(levers), **changes)


def outcomes(model, replication=0):
    """A model's outcomes row (``LeverageModel.outcomes``)."""
    return model.outcomes(replication)


def war_changes(**actors: dict[str, Any]) -> dict[str, Any]:
    """Top-level changes making the toy a war: tenure is decided by the war between gov and
    reb (war_outcome), the rebels must disarm under a deal and fear reneging, and the
    patron's threat to abandon its client is credible; ``actors`` adds fields per actor.
    """
    data = scenario_data()
    data["actors"]["rebels"] |= {"disarms": True, "reneging_risk": 0.4}
    data["actors"]["patron"] |= {"abandonment_credibility": 0.5}
    for name, fields in actors.items():
        data["actors"][name] |= fields
    return {
        "issues": {"tenure": {"war_outcome": {"gov": 1.0, "reb": 0.0}}},
        "actors": data["actors"],
    }
