"""Leverage: a policy-scenario simulator.

The Python API that notebooks use (the ``sim`` command is a thin layer over it)::

    import sim
    scenario = sim.load_scenario("scenarios/syria_2016/baseline.yaml")
    result = sim.run(scenario, replications=200, seed=1)
    result.outcomes.head()
    sim.compare([sim.load(a), sim.load(b)])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim import bargaining, levers  # noqa: F401 - registers the built-in models and levers
from sim.scenario.schema import complete as _complete_schema

__version__ = "0.1.0"

# The scenario format lists the registered levers and bargaining models, which sit above
# it (they import it): now that the built-in ones are registered, finish its models.
_complete_schema()

if TYPE_CHECKING:
    from sim.errors import LeverageError, ScenarioError
    from sim.results import ResultSet, load
    from sim.scenario import Scenario, load_scenario

_LAZY = {
    "load_scenario": ("sim.scenario.load", "load_scenario"),
    "Scenario": ("sim.scenario.schema", "Scenario"),
    "run": ("sim.runner", "run"),
    "resume": ("sim.runner", "resume"),
    "load": ("sim.results", "load"),
    "ResultSet": ("sim.results", "ResultSet"),
    "compare": ("sim.analysis.compare", "compare"),
    "LeverageModel": ("sim.model.model", "LeverageModel"),
    "LeverageError": ("sim.errors", "LeverageError"),
    "ScenarioError": ("sim.errors", "ScenarioError"),
}

__all__ = [
    "LeverageError",
    "LeverageModel",
    "ResultSet",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "load",
    "load_scenario",
    "resume",
    "run",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    if name == "plots":
        from importlib import import_module

        return import_module("sim.plots")
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
