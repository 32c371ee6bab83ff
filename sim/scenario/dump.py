"""Writing a resolved scenario back to YAML (it loads to an equal scenario)."""

from __future__ import annotations

import yaml

from sim.scenario.schema import Scenario


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text, with every default made explicit and ``extends`` resolved."""
    data = scenario.to_data()
    data.pop("extends", None)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # (libyaml's: the same text, faster)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
