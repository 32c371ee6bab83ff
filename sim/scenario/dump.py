"""Writing a resolved scenario back to YAML (it loads to an equal scenario)."""

from __future__ import annotations

import yaml

from sim.scenario.schema import Scenario
from sim.scenario.yamlio import Dumper


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text, with every default made explicit and ``extends`` resolved."""
    data = scenario.to_data()
    data.pop("extends", None)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
