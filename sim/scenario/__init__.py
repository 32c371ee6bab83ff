"""Scenario files: schema, located loading, composition, validation and sampling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario.load import load_scenario
    from sim.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario"]


def __getattr__(name: str) -> Any:
    if name == "load_scenario":
        from sim.scenario.load import load_scenario

        return load_scenario
    if name == "Scenario":
        from sim.scenario.schema import Scenario

        return Scenario
    raise AttributeError(name)
