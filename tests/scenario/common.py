"""Paths and helpers shared by the scenario tests."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

from sim.errors import ScenarioError
from sim.scenario.load import load_scenario, validate_located
from sim.scenario.schema import Scenario
from sim.scenario.yamlio import parse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
EXAMPLE = ROOT / "scenarios" / "examples" / "patron_client.yaml"
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))
SCHEMA_FILE = ROOT / "sim" / "scenario" / "scenario.schema.json"

#: a small valid scenario; line numbers matter to the tests that edit it.
MINIMAL = """\
name: toy
issues:
  tenure: {scale: [0, 10]}
sides: {gov: 0.5, reb: 0.5}
actors:
  patron: {side: gov, economy: 1.5, force: 30, position: {tenure: 8}, salience: {tenure: 0.7}}
  rebels: {side: reb, economy: 0.01, force: 70, position: {tenure: 0}, salience: {tenure: 1}}
"""

#: ``FILE:LINE: path: expected …, found …`` (file-level problems may omit line and path).
PROBLEM_LINE = re.compile(
    r"^(?P<file>.+?)(:(?P<line>\d+))?: "
    r"(?:(?P<path>(?!expected ).+?): )?(?P<message>expected .+, found .+)$"
)


@functools.cache
def load_cached(path: Path) -> Scenario:
    """``load_scenario(path)``, once per test session (the result must not be changed)."""
    return load_scenario(path)


def load_text(text: str, file: str = "scenario.yaml") -> Scenario:
    """Validate YAML text as a scenario file without ``extends`` (no file needed)."""
    return validate_located(parse(text, file), file)


def well_formed(error: ScenarioError) -> list[str]:
    """The error's lines, checked to be ``FILE:LINE: path: expected …, found …`` each."""
    lines = error.lines()
    assert lines, "a ScenarioError without problems"
    for line in lines:
        assert PROBLEM_LINE.match(line), f"not 'FILE:LINE: path: expected …, found …': {line}"
    return lines


def problems(path: Path | str, overrides: Any = None) -> list[str]:
    """The problem lines of loading ``path``; fails the test if it loads."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides=overrides)
    return well_formed(caught.value)
