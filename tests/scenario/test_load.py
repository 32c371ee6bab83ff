"""``load_scenario`` on bad input: one fixture per kind of error, each with its exact line.

Every file under ``fixtures/bad`` is in ``TABLE`` (and only those): adding a fixture means
adding its expected line, path and message fragment here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.errors import Problem, ScenarioError
from sim.scenario import Scenario, load_scenario
from tests.scenario.common import BAD, EXAMPLE, GOOD, SHIPPED, load_cached, problems, well_formed

KNOWN_LEVER_TYPES = (
    "one of ceasefire, conditional_support, deployment, guarantee, military_aid, pressure, "
    "safe_zone, sanctions, sanctions_threat, talks"
)

#: fixture name → (line, dotted path, message fragment); line 0 is a problem of the whole file.
TABLE: dict[str, tuple[int, str, str]] = {
    # malformed YAML and what the safe loader refuses
    "malformed_yaml": (
        4,
        "",
        "expected valid YAML, found a syntax error: expected ',' or ']', but got '}'",
    ),
    "tab_indent": (4, "", "found character '\\t' that cannot start any token"),
    "bad_indent": (5, "", "expected valid YAML, found a syntax error: expected <block end>"),
    "duplicate_key": (
        11,
        "horizon",
        "expected each key once, found 'horizon' again (first given on line 9)",
    ),
    "python_object_tag": (
        2,
        "name",
        "expected plain YAML data, found the tag !!python/object/apply:os.system (not allowed)",
    ),
    "python_name_tag": (9, "description", "found the tag !!python/name:os.system (not allowed)"),
    "timestamp_tag": (9, "description", "found the tag !!timestamp (not allowed)"),
    "merge_key": (
        10,
        "battlefield",
        "expected a plain key, found the merge key << (YAML 1.2 has "
        "no merge keys: use extends, or write the keys out)",
    ),
    "alias_bomb": (2, "", "expected at most 200000 values, found more (an alias bomb?)"),
    "deep_nesting": (
        0,
        "",
        "expected a document nested a few levels deep, found one nested too deeply to read",
    ),
    # not a scenario document at all
    "empty": (1, "", "expected a scenario, found an empty document"),
    "comments_only": (1, "", "expected a scenario, found an empty document"),
    "binary": (3, "", "expected YAML text, found binary data"),
    "invalid_utf8": (3, "", "expected UTF-8 text, found byte 0xe9"),
    "top_level_list": (2, "", "expected a mapping of scenario keys, found a list"),
    "list_for_mapping": (9, "battlefield", "expected a mapping, found [1.0, 0.05]"),
    # wrong types
    "wrong_type_integer": (9, "horizon", "expected an integer, found text 'ten'"),
    "float_for_integer": (9, "replications", "expected an integer, found 12.5"),
    "wrong_type_bool": (7, "actors.patron.veto", "expected true or false, found text 'yes'"),
    "text_for_number": (
        7,
        "actors.patron.economy",
        "expected a number or a distribution, found text '1.5' (without quotes it is a number)",
    ),
    # YAML 1.1 forms, text by YAML 1.2's core schema
    "sexagesimal": (9, "horizon", "expected an integer, found text '1:30'"),
    "yes_for_bool": (7, "actors.patron.veto", "expected true or false, found text 'yes'"),
    "underscore_in_number": (9, "replications", "expected an integer, found text '1_000'"),
    "underscore_in_param": (
        7,
        "actors.patron.unit_cost",
        "found text '1_000.5' (YAML 1.2 reads digits with '_' as text: write e.g. 1000, not 1_000)",
    ),
    "value_key": (9, "seed", "expected an integer, found text '='"),
    "bad_name": (
        8,
        "actors.2nd rebels",
        "expected a name of letters, digits, '_' or '-' "
        "(starting with a letter or '_'), found text "
        "'2nd rebels'",
    ),
    "missing_required": (
        7,
        "actors.patron.economy",
        "expected the required key 'economy', found it missing",
    ),
    "issues_empty": (3, "issues", "expected a mapping of at least 1 item, found an empty mapping"),
    "scale_too_short": (4, "issues.tenure.scale", "expected a list of 2 items, found [0]"),
    # out-of-range and non-finite numbers
    "nan": (7, "actors.patron.resolve", "expected a finite number, found .nan"),
    "inf": (7, "actors.patron.unit_cost", "expected a finite number, found .inf"),
    "overflow_number": (7, "actors.patron.economy", "expected a finite number, found 1.0e+400"),
    "negative_force": (7, "actors.patron.force", "expected a non-negative number, found -5"),
    "salience_out_of_range": (
        7,
        "actors.patron.salience.tenure",
        "expected a number in [0, 1], found 1.7",
    ),
    "resolve_out_of_range": (7, "actors.patron.resolve", "expected a number in [0, 1], found 1.2"),
    "pain_tolerance_zero": (7, "actors.patron.pain_tolerance", "expected a number > 0, found 0"),
    "position_outside_scale": (
        7,
        "actors.patron.position.tenure",
        "expected a position in the issue's scale [0, 10], found 12",
    ),
    "issue_scale_reversed": (
        4,
        "issues.tenure",
        "expected scale [lo, hi] with lo < hi, found [1.0, 0.0]",
    ),
    "territory_sum": (5, "sides", "expected territory shares summing to 1, found 1.1"),
    "horizon_zero": (9, "horizon", "expected an integer >= 1, found 0"),
    "horizon_too_large": (9, "horizon", "expected an integer <= 10,000, found 1000000000000000"),
    "replications_negative": (9, "replications", "expected an integer >= 1, found -3"),
    "seed_negative": (9, "seed", "expected an integer >= 0, found -1"),
    # unknown keys and references
    "unknown_top_key": (
        9,
        "horizn",
        "expected a known key, found 'horizn'; did you mean "
        "'horizon'? (known: name, description, extends, issues,",
    ),
    "unknown_actor_key": (
        7,
        "actors.patron.resolv",
        "expected a known key, found 'resolv'; did you mean 'resolve'?",
    ),
    "unknown_side": (
        7,
        "actors.patron.side",
        "expected a declared side, found 'goverment'; did "
        "you mean 'government'? (declared: government, "
        "rebels)",
    ),
    "unknown_issue": (
        7,
        "actors.patron.position.tenur",
        "expected a declared issue, found 'tenur'; did you mean 'tenure'?",
    ),
    "missing_issue_position": (
        7,
        "actors.patron.position",
        "expected a position on every issue, found none on 'tenure'",
    ),
    "unknown_actor_reference": (
        11,
        "levers.0.actor",
        "expected a declared actor, found 'patrn'; did you mean 'patron'?",
    ),
    "unknown_lever_type": (
        10,
        "levers.0.type",
        f"expected a lever type ({KNOWN_LEVER_TYPES}), "
        "found text 'sanction'; did you mean "
        "'sanctions'?",
    ),
    "lever_without_type": (
        10,
        "levers.0",
        f"expected a lever type ({KNOWN_LEVER_TYPES}), found no type",
    ),
    "lever_end_before_start": (13, "levers.0.end", "expected end >= start (10), found 5"),
    "unknown_metric": (
        11,
        "triggers.0.when.metric",
        "expected a metric (one of territory.<side>, force.<actor>,",
    ),
    "metric_unknown_side": (
        11,
        "triggers.0.when.metric",
        "expected a declared side in metric 'territory.regime', found 'regime'",
    ),
    "trigger_bad_op": (
        11,
        "triggers.0.when.op",
        "expected '<', '<=', '>' or '>=', found text '=='",
    ),
    "duplicate_trigger": (
        13,
        "triggers.1.name",
        "expected a unique trigger name, found 'rescue' again",
    ),
    "bargaining_model_unknown": (
        10,
        "bargaining.model",
        "expected 'compromise', 'eum' or 'influence', found text 'nash'",
    ),
    # bad distributions
    "uniform_unordered": (
        7,
        "actors.patron.resolve",
        "expected uniform [lo, hi] with lo <= hi, found [0.9, 0.6]",
    ),
    "triangular_unordered": (
        7,
        "actors.patron.resolve",
        "expected triangular [lo, mode, hi] with lo <= mode <= hi, found [0.2, 0.9, 0.5]",
    ),
    "beta_nonpositive": (7, "actors.patron.resolve.beta.0", "expected a number > 0, found 0"),
    "normal_negative_sd": (
        7,
        "actors.patron.economy.normal.sd",
        "expected a number >= 0, found -0.1",
    ),
    "distribution_nan": (
        7,
        "actors.patron.resolve.uniform.1",
        "expected a finite number, found .nan",
    ),
    "distribution_two_kinds": (
        7,
        "actors.patron.resolve",
        "expected a number, or a mapping with "
        "exactly one of value, uniform, normal, triangular, beta or choice, "
        "found value and uniform",
    ),
    "distribution_unknown": (
        7,
        "actors.patron.resolve.unifrom",
        "expected a known key, found 'unifrom'; did you mean 'uniform'?",
    ),
    "distribution_outside_range": (
        7,
        "actors.patron.resolve",
        "expected a number in [0, 1], found values from 0.5 to 1.5",
    ),
    "choice_empty": (
        7,
        "actors.patron.resolve.choice",
        "expected a list of at least 1 item, found an empty list",
    ),
    # extends
    "extends_self": (
        2,
        "extends",
        "expected a parent that does not extend this file, found a "
        "cycle: extends_self.yaml -> extends_self.yaml",
    ),
    "extends_missing": (
        2,
        "extends",
        "expected an existing parent file, found no file 'no_such_parent.yaml' next to this one",
    ),
    "extends_not_text": (2, "extends", "expected a file name, found 42"),
    # several problems: the first by line here, all of them in test_all_problems_are_listed
    "many_problems": (5, "sides", "expected territory shares summing to 1, found 1.2"),
}


def test_every_fixture_is_in_the_table():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(TABLE)
    assert len(TABLE) >= 25


@pytest.mark.parametrize("name", sorted(TABLE))
def test_bad_fixture(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a !!python tag would create its file
    line, path, fragment = TABLE[name]
    file = BAD / f"{name}.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    found = caught.value.problems
    assert all(isinstance(p, Problem) for p in found)
    first = found[0]
    assert (first.file, first.line, first.path) == (str(file), line, path), found
    assert fragment in first.message
    well_formed(caught.value)
    where = f"{file}:{line}" if line else str(file)
    assert caught.value.lines()[0].startswith(f"{where}: {path}: " if path else f"{where}: ")
    assert os.listdir(tmp_path) == []  # nothing written, nothing executed


def test_all_problems_are_listed():
    file = BAD / "many_problems.yaml"
    assert problems(file) == [
        f"{file}:5: sides: expected territory shares summing to 1, found 1.2",
        f"{file}:7: actors.patron.economy: expected a number > 0, found -1",
        f"{file}:7: actors.patron.resolve: expected a number in [0, 1], found 3",
        f"{file}:9: horizon: expected an integer >= 1, found 0",
        f"{file}:10: seed: expected an integer, found text 'x'",
        f"{file}:13: levers.0.actor: expected a declared actor, found 'nobody' (declared: "
        "patron, rebels)",
    ]


def test_every_problem_of_a_file_is_listed_not_only_the_first(write_yaml):
    text = (BAD / "unknown_top_key.yaml").read_text() + "seed: -2\nreplications: many\n"
    path = write_yaml(text)
    assert [line.split(": ")[1] for line in problems(path)] == ["horizn", "seed", "replications"]


def test_the_python_tag_fixture_does_not_run_its_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "touch pwned_by_yaml" in (BAD / "python_object_tag.yaml").read_text()
    with pytest.raises(ScenarioError):
        load_scenario(BAD / "python_object_tag.yaml")
    assert not (tmp_path / "pwned_by_yaml").exists()


def test_a_directory(tmp_path):
    assert problems(tmp_path) == [f"{tmp_path}: expected a YAML file, found a directory"]


def test_a_missing_path(tmp_path):
    path = tmp_path / "nope.yaml"
    assert problems(path) == [f"{path}: expected a YAML file, found no such file"]
    assert problems(str(path)) == [f"{path}: expected a YAML file, found no such file"]


@pytest.mark.parametrize("path", [*sorted(GOOD.glob("*.yaml")), *SHIPPED], ids=lambda p: p.name)
def test_good_files_load(path):
    scenario = load_cached(path)
    assert isinstance(scenario, Scenario)
    assert scenario.extends is None


def test_load_accepts_str_and_path():
    assert load_scenario(str(EXAMPLE)) == load_scenario(Path(EXAMPLE))


def test_the_example_as_documented():
    s = load_scenario(EXAMPLE)
    assert s.name == "patron_client"
    assert set(s.actors) == {"patron", "client", "outsider", "rebels"}
    assert s.actors["patron"].resolve.uniform == (0.5, 0.8)
    assert [lever.type for lever in s.levers] == ["deployment", "talks", "sanctions"]
    assert s.triggers[0].when.for_ == 2
