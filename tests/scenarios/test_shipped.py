"""Every shipped scenario validates, runs, and says where each number comes from."""

from pathlib import Path

import pytest
from pydantic import BaseModel

from sim.engine import Blueprint
from sim.model import run_replication
from sim.scenario import load_scenario
from sim.scenario.params import Param
from tests.factories import outcomes

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").rglob("*.yaml"))


def unsourced(node, path=(), covered=False):
    """Paths of numbers with no source or note, on themselves or an enclosing block."""
    if isinstance(node, Param):
        if not (covered or node.source or node.note):
            yield ".".join(map(str, path))
        return
    if isinstance(node, BaseModel):
        here = covered or bool(getattr(node, "source", None) or getattr(node, "note", None))
        for name in type(node).model_fields:
            yield from unsourced(getattr(node, name), (*path, name), here)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from unsourced(value, (*path, key), covered)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from unsourced(value, (*path, i), covered)


def test_scenarios_are_shipped():
    names = {p.name for p in SCENARIOS}
    assert {"patron_client.yaml", "ec_emissions_1994.yaml", "baseline.yaml"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_number_has_a_source_or_a_note(path):
    scenario = load_scenario(path)
    explicit = {".".join(map(str, k)) for k in _explicit_paths(path)}
    missing = [p for p in unsourced(scenario) if p in explicit]
    assert not missing, f"numbers without source/note: {missing}"


def _explicit_paths(path):
    """Paths written in the file or its parents (defaults need no source)."""
    from sim.scenario.compose import read_composed

    return read_composed(path).origins.keys()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_runs(path):
    scenario = load_scenario(path)
    model = run_replication(Blueprint(scenario), scenario.seed, 0)
    row = outcomes(model)
    assert row["replication"] == 0 and "civilian_harm" in row
