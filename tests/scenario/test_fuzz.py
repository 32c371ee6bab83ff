"""Anything at all yields a valid scenario or a clean ``ScenarioError``, never a crash.

Arbitrary text and bytes, and mutations of a valid scenario: values changed to random
types, keys deleted, keys inserted, nodes swapped for random YAML, lines edited, and random
``--set`` overrides.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.scenario import Scenario, load_scenario
from sim.scenario.dump import dump_scenario
from tests.scenario.common import GOOD, PROBLEM_LINE, load_text

FULL_TEXT = (GOOD / "full.yaml").read_text()
FULL_DATA = yaml.safe_load(FULL_TEXT)
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def outcome(path: Path, overrides: Any = None) -> Scenario | ScenarioError:
    """Load ``path``: the scenario, or the ScenarioError; anything else fails the test."""
    try:
        scenario = load_scenario(path, overrides=overrides)
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError without problems"
        for line in exc.lines():
            assert "\n" not in line
            assert PROBLEM_LINE.match(line), line
        return exc
    assert load_text(dump_scenario(scenario)) == scenario  # whatever loads, dumps back
    return scenario


def write(workdir: Path, content: str | bytes) -> Path:
    path = workdir / "fuzzed.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


# --- random values -----------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, 5e-324]),
    st.text(max_size=12),
    st.sampled_from(
        ["patron", "client", "government", "tenure", "uniform", "type", "talks", "", "~", "yes"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(
                    ["value", "uniform", "normal", "choice", "type", "name", "side", "mean", "sd"]
                ),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=10,
)
yaml_snippets = st.one_of(
    st.sampled_from(
        [
            "[",
            "]",
            "{",
            "}",
            "&a x",
            "*a",
            "*nowhere",
            "!!python/name:os.system",
            "!!binary aGk=",
            "!!set {a}",
            "? a",
            "<<: {a: 1}",
            "- a",
            "a: b: c",
            "'unterminated",
            '"\\x"',
            "|",
            ">",
            "%YAML 1.1",
            "---",
            "...",
            "\t",
            ".nan",
            "-.inf",
            "1.0e+999",
            "2016-01-01",
            "0x1F",
            "0o17",
            "1_000",
            "{uniform: [1, 0]}",
            "{beta: [0, 0]}",
            "{normal: {mean: 1}}",
            "[]",
            "{}",
        ]
    ),
    st.text(max_size=30),
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


ALL_PATHS = paths(FULL_DATA)[1:]


def parent_of(data: Any, path: tuple) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw) -> str:
    """The full example with 1–4 mutations, as YAML text."""
    data = copy.deepcopy(FULL_DATA)
    for _ in range(draw(st.integers(1, 4))):
        live = paths(data)[1:]
        if not live:
            break
        path = draw(st.sampled_from(live))
        parent, last = parent_of(data, path), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "insert", "snippet"]))
        if action == "replace":
            parent[last] = draw(values)
        elif action == "delete":
            del parent[last]
        elif action == "insert":
            target = parent[last]
            if isinstance(target, dict):
                target[
                    draw(
                        st.one_of(
                            st.text(max_size=8),
                            st.sampled_from(
                                ["value", "uniform", "resolv", "extends", "levers", "for"]
                            ),
                        )
                    )
                ] = draw(values)
            elif isinstance(target, list):
                target.insert(draw(st.integers(0, len(target))), draw(values))
            else:
                parent[last] = [target, draw(values)]
        else:
            parent[last] = f"@@SNIPPET{len(path)}@@"
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
            return text.replace(f"'@@SNIPPET{len(path)}@@'", draw(yaml_snippets), 1).replace(
                f"@@SNIPPET{len(path)}@@", draw(yaml_snippets), 1
            )
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@st.composite
def edited_lines(draw) -> str:
    """The full example's text with lines replaced, inserted, deleted or cut."""
    lines = FULL_TEXT.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut", "indent"]))
        if action == "replace":
            lines[i] = draw(yaml_snippets)
        elif action == "insert":
            lines.insert(i, " " * draw(st.integers(0, 6)) + draw(yaml_snippets))
        elif action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
    return "\n".join(lines) + "\n"


# --- the properties ------------------------------------------------------------------------


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_text(workdir, text):
    outcome(write(workdir, text))


@FUZZ
@given(
    text=st.lists(
        st.one_of(
            yaml_snippets,
            st.sampled_from(
                [
                    "name: x",
                    "issues:",
                    "actors:",
                    "  a:",
                    "    economy: 1",
                    "  - type: talks",
                    "levers:",
                ]
            ),
        ),
        max_size=12,
    ).map("\n".join)
)
def test_arbitrary_yaml_like_text(workdir, text):
    outcome(write(workdir, text))


@FUZZ
@given(content=st.binary(max_size=200))
def test_arbitrary_bytes(workdir, content):
    outcome(write(workdir, content))


@FUZZ
@given(text=mutated())
def test_mutations_of_a_valid_scenario(workdir, text):
    outcome(write(workdir, text))


@FUZZ
@given(text=edited_lines())
def test_line_edits_of_a_valid_scenario(workdir, text):
    outcome(write(workdir, text))


@FUZZ
@given(
    overrides=st.lists(
        st.one_of(
            st.builds(
                lambda path, value: f"{'.'.join(map(str, path))}={value}",
                st.sampled_from(ALL_PATHS),
                yaml_snippets,
            ),
            st.builds(lambda path, value: f"{path}={value}", st.text(max_size=20), yaml_snippets),
            st.text(max_size=30),
        ),
        max_size=3,
    )
)
def test_random_overrides(overrides):
    outcome(GOOD / "full.yaml", overrides=overrides)


@FUZZ
@given(
    overrides=st.dictionaries(
        st.one_of(
            st.sampled_from([".".join(map(str, p)) for p in ALL_PATHS]), st.text(max_size=12)
        ),
        values,
        max_size=3,
    )
)
def test_random_override_mappings(overrides):
    outcome(GOOD / "child.yaml", overrides=overrides)


def test_the_unmutated_example_is_valid(workdir):
    assert isinstance(outcome(write(workdir, yaml.safe_dump(FULL_DATA))), Scenario)
