"""`sim validate`, `sim show` and `sim schema` as a user runs them (subprocesses).

The commands start in parallel once per module (each pays the interpreter's start-up).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
import yaml

from sim.errors import ScenarioError
from sim.scenario import load_scenario
from tests.scenario.common import (
    BAD,
    EXAMPLE,
    GOOD,
    PROBLEM_LINE,
    SCHEMA_FILE,
    SHIPPED,
    load_text,
)

GOOD_FILES = sorted(GOOD.glob("*.yaml"))
BAD_FILES = sorted(BAD.glob("*.yaml"))
SHOW_SETS = ["--set", "horizon=9", "--set", "actors.rebels.resolve={beta: [2, 3]}"]


def run_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """An empty folder the commands run in (so that anything written would show)."""
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def runs(workdir) -> dict[str, subprocess.CompletedProcess]:
    commands = {
        "validate_good": ["validate", *GOOD_FILES, EXAMPLE],
        "validate_bad": [
            "validate",
            GOOD / "minimal.yaml",
            *BAD_FILES,
            workdir,
            workdir / "nope.yaml",
        ],
        "show": ["show", GOOD / "full.yaml"],
        "show_set": ["show", GOOD / "child.yaml", *SHOW_SETS],
        "show_bad_set": [
            "show",
            GOOD / "child.yaml",
            "--set",
            "actors.patron.resolve=2",
            "--set",
            "horizn=3",
        ],
        "show_bad_file": ["show", BAD / "python_object_tag.yaml"],
        "show_yaml_1_1_set": [
            "show",
            GOOD / "child.yaml",
            "--set",
            "horizon=1:30",
            "--set",
            "actors.patron.veto=yes",
            "--set",
            "replications=10000000000",
        ],
        "schema": ["schema"],
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(run_sim, *args, cwd=workdir) for name, args in commands.items()
        }
        return {name: future.result() for name, future in futures.items()}


def test_nothing_is_written(runs, workdir):
    assert os.listdir(workdir) == []  # and in particular no pwned_by_yaml


def test_no_traceback_ever(runs):
    for name, result in runs.items():
        assert "Traceback" not in result.stderr, name
        assert "Traceback" not in result.stdout, name


class TestValidate:
    def test_good_files(self, runs):
        result = runs["validate_good"]
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [f"ok {p}" for p in [*GOOD_FILES, EXAMPLE]]
        assert result.stderr == ""

    def test_bad_files(self, runs, workdir):
        """One call with a good file, every bad fixture, a directory and a missing path."""
        result = runs["validate_bad"]
        assert result.returncode == 2
        assert result.stdout.splitlines() == [f"ok {GOOD / 'minimal.yaml'}"]
        lines = result.stderr.splitlines()
        for line in lines:
            assert PROBLEM_LINE.match(line), line
        reported = {line.split(":")[0] for line in lines}
        assert reported == {str(p) for p in BAD_FILES} | {str(workdir), str(workdir / "nope.yaml")}
        assert f"{workdir}: expected a YAML file, found a directory" in lines
        assert f"{workdir / 'nope.yaml'}: expected a YAML file, found no such file" in lines

    @pytest.mark.parametrize(
        "name",
        [
            "nan",
            "duplicate_key",
            "unknown_side",
            "extends_self",
            "many_problems",
            "binary",
            "empty",
        ],
    )
    def test_bad_file_lines_are_the_loaders(self, runs, name):
        path = BAD / f"{name}.yaml"
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path)
        expected = caught.value.lines()
        lines = [
            line
            for line in runs["validate_bad"].stderr.splitlines()
            if line.split(":")[0] == str(path)
        ]
        assert lines == expected


class TestShow:
    def test_prints_yaml_that_loads_back_equal(self, runs):
        result = runs["show"]
        assert result.returncode == 0, result.stderr
        assert load_text(result.stdout) == load_scenario(GOOD / "full.yaml")

    def test_extends_and_overrides_resolved(self, runs):
        result = runs["show_set"]
        assert result.returncode == 0, result.stderr
        expected = load_scenario(GOOD / "child.yaml", overrides=SHOW_SETS[1::2])
        shown = load_text(result.stdout)
        assert shown == expected
        assert (shown.horizon, shown.actors["rebels"].resolve.beta) == (9, (2, 3))
        assert "extends" not in yaml.safe_load(result.stdout)

    def test_bad_overrides(self, runs):
        result = runs["show_bad_set"]
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "--set actors.patron.resolve: actors.patron.resolve: expected a number in [0, 1], "
            "found 2",
            "--set horizn: horizn: expected a known key, found 'horizn'; did you mean 'horizon'? "
            "(known: name, description, extends, issues, sides, actors, levers, triggers, "
            "battlefield, fronts, population, bargaining, horizon, replications, seed)",
        ]

    def test_yaml_1_1_values_are_text_in_overrides_too(self, runs):
        """``--set horizon=1:30`` is not 90 (YAML 1.1's base 60), ``yes`` is not true."""
        result = runs["show_yaml_1_1_set"]
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "--set actors.patron.veto: actors.patron.veto: expected true or false, found text "
            "'yes'",
            "--set horizon: horizon: expected an integer, found text '1:30'",
            "--set replications: replications: expected an integer <= 1,000,000,000, found "
            "10000000000",
        ]

    def test_bad_file(self, runs):
        result = runs["show_bad_file"]
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"{BAD / 'python_object_tag.yaml'}:2: name: expected plain YAML data, found the tag "
            "!!python/object/apply:os.system (not allowed)"
        ]


class TestSchema:
    def test_prints_the_committed_schema(self, runs):
        """If this fails, run `make schema` and commit sim/scenario/scenario.schema.json."""
        result = runs["schema"]
        assert result.returncode == 0, result.stderr
        assert result.stdout == SCHEMA_FILE.read_text()

    def test_validates_the_example_and_the_shipped_scenarios(self, runs):
        validator = jsonschema.Draft202012Validator(json.loads(runs["schema"].stdout))
        assert EXAMPLE in SHIPPED
        for path in [*SHIPPED, *GOOD_FILES]:
            validator.validate(yaml.safe_load(path.read_text()))
