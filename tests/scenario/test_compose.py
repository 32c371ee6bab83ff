"""``extends`` (deep merge of a parent, relative paths, cycles) and ``--set`` overrides."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.compose import apply_overrides, kind, read_composed
from sim.scenario.load import load_scenario
from tests.scenario.common import GOOD, MINIMAL, problems

PARENT = GOOD / "parent.yaml"
CHILD = GOOD / "child.yaml"
GRANDCHILD = GOOD / "grandchild.yaml"


class TestExtends:
    def test_child_deep_merges_the_parent(self):
        s = load_scenario(CHILD)
        assert s.name == "child"
        assert s.description == "the parent"  # inherited
        patron = s.actors["patron"]
        assert patron.resolve.uniform == (0.7, 0.9)  # replaced by the child
        assert (patron.force.value, patron.economy.value) == (30, 1.5)  # kept from the parent
        assert patron.leverage["rebels"].value == 0.1
        assert set(s.actors) == {"patron", "rebels"}
        assert s.horizon == 40
        assert s.extends is None  # resolved away

    def test_levers_and_triggers_are_appended(self):
        s = load_scenario(CHILD)
        assert [lever.type for lever in s.levers] == ["talks", "deployment"]
        assert [t.name for t in s.triggers] == ["parent_trigger", "child_trigger"]

    def test_a_chain(self):
        s = load_scenario(GRANDCHILD)
        assert s.name == "grandchild"
        assert s.actors["rebels"].force.value == 80
        assert s.actors["patron"].resolve.uniform == (0.7, 0.9)
        assert [lever.type for lever in s.levers] == ["talks", "deployment", "pressure"]
        assert s.horizon == 40

    def test_the_parent_is_found_relative_to_the_child(self, tmp_path, monkeypatch, write_yaml):
        write_yaml(PARENT.read_text(), "base/parent.yaml")
        child = write_yaml(
            "extends: ../../base/parent.yaml\nname: moved\n", "variants/deep/child.yaml"
        )
        monkeypatch.chdir(tmp_path / "variants")
        assert load_scenario(child).name == "moved"
        assert load_scenario("deep/child.yaml").actors["patron"].force.value == 30

    def test_other_lists_and_scalars_are_replaced(self, write_yaml):
        write_yaml(PARENT.read_text(), "parent.yaml")
        child = write_yaml(
            "extends: parent.yaml\nissues:\n  tenure: {scale: [0, 10]}\n"
            "actors:\n  patron: {position: {tenure: 8}}\n"
            "  rebels: {position: {tenure: 1}}\n",
            "child.yaml",
        )
        s = load_scenario(child)
        assert s.issues["tenure"].scale == (0, 10)
        assert s.issues["tenure"].low == "leaves"  # merged by key, so kept

    def test_a_number_written_as_a_mapping_replaces_the_parents_whole(self, write_yaml):
        write_yaml(MINIMAL.replace("force: 30", "force: {value: 30, note: parent's}"), "p.yaml")
        child = write_yaml(
            "extends: p.yaml\nactors:\n  patron:\n    force: {uniform: [10, 20]}\n", "c.yaml"
        )
        force = load_scenario(child).actors["patron"].force
        assert (force.kind, force.uniform, force.note) == ("uniform", (10, 20), None)

    def test_ids_that_look_like_distributions_still_merge_by_key(self, write_yaml):
        write_yaml(
            "name: p\nissues: {choice: {}, value: {}}\nsides: {normal: 1}\nactors:\n"
            "  normal: {side: normal, economy: 1, position: {choice: 0.5, value: 0.5},\n"
            "           salience: {choice: 1, value: 1}, leverage: {beta: 0.2}}\n"
            "  beta: {economy: 2, position: {choice: 0.1, value: 0.1},\n"
            "         salience: {choice: 1, value: 1}}\n",
            "p.yaml",
        )
        child = write_yaml(
            "extends: p.yaml\nactors:\n  normal:\n    resolve: 0.9\n"
            "    position: {choice: 0.7}\n    leverage: {beta: 0.4}\n",
            "c.yaml",
        )
        s = load_scenario(child)
        assert set(s.actors) == {"normal", "beta"}
        normal = s.actors["normal"]
        assert (normal.resolve.value, normal.economy.value) == (0.9, 1)
        assert {k: v.value for k, v in normal.position.items()} == {"choice": 0.7, "value": 0.5}
        assert normal.leverage["beta"].value == 0.4

    def test_a_named_lever_replaces_the_parents_in_place(self, write_yaml):
        write_yaml(
            MINIMAL + "levers:\n  - {type: deployment, name: w, actor: patron, to: 0.5}\n"
            "  - {type: talks, participants: [patron]}\n",
            "p.yaml",
        )
        child = write_yaml(
            "extends: p.yaml\nlevers:\n"
            "  - {type: deployment, name: w, actor: patron, to: 0.2}\n"
            "  - {type: deployment, name: other, actor: rebels, to: 0.9}\n",
            "c.yaml",
        )
        levers = load_scenario(child).levers
        assert [(lv.name, lv.type) for lv in levers] == [
            ("w", "deployment"),
            (None, "talks"),
            ("other", "deployment"),
        ]
        assert levers[0].to.value == 0.2

    def test_problems_point_at_the_file_and_line_they_come_from(self, write_yaml):
        parent = write_yaml(
            MINIMAL.replace("economy: 0.01", "economy: -1") + "horizon: 0\n", "p.yaml"
        )
        child = write_yaml(
            "# a child\nextends: p.yaml\nactors:\n  patron:\n    resolve: 2\nhorizon: 5\n", "c.yaml"
        )
        assert problems(child) == [
            f"{child}:5: actors.patron.resolve: expected a number in [0, 1], found 2",
            f"{parent}:7: actors.rebels.economy: expected a number > 0, found -1",
        ]

    def test_lines_of_appended_items_are_the_childs(self, write_yaml):
        write_yaml(MINIMAL + "levers:\n  - {type: talks, participants: [patron]}\n", "p.yaml")
        child = write_yaml(
            "extends: p.yaml\nlevers:\n  - type: talks\n    participants: [nobody]\n", "c.yaml"
        )
        assert problems(child) == [
            f"{child}:4: levers.1.participants.0: expected a declared actor, found 'nobody' "
            "(declared: patron, rebels)"
        ]

    def test_a_parent_with_problems_reports_them_in_the_parent(self, write_yaml):
        parent = write_yaml("name: [unclosed\n", "p.yaml")
        child = write_yaml("extends: p.yaml\n", "c.yaml")
        (line,) = problems(child)
        assert line.startswith(f"{parent}:2: expected valid YAML, found a syntax error")

    def test_a_cycle_of_two_files(self, write_yaml):
        a = write_yaml("extends: b.yaml\nname: a\n", "a.yaml")
        b = write_yaml("name: b\n\nextends: a.yaml\n", "b.yaml")
        assert problems(a) == [
            f"{b}:3: extends: expected a parent that does not extend this "
            "file, found a cycle: a.yaml -> b.yaml -> a.yaml"
        ]

    def test_a_file_extending_itself(self, write_yaml):
        a = write_yaml("name: a\nextends: ./a.yaml\n", "a.yaml")
        assert problems(a) == [
            f"{a}:2: extends: expected a parent that does not extend this "
            "file, found a cycle: a.yaml -> a.yaml"
        ]

    @pytest.mark.parametrize("ref", ["missing.yaml", "sub", "../nowhere/p.yaml", ""])
    def test_a_missing_parent(self, write_yaml, ref):
        (write_yaml("x: 1\n", "sub/file.yaml")).parent.mkdir(exist_ok=True)
        child = write_yaml(f"name: c\nextends: '{ref}'\n", "c.yaml")
        assert problems(child) == [
            f"{child}:2: extends: expected an existing parent file, "
            f"found no file {ref!r} next to this one"
        ]

    @pytest.mark.parametrize(
        ("value", "found"),
        [
            ("42", "42"),
            ("[a.yaml]", "['a.yaml']"),
            ("{file: a.yaml}", "a mapping"),
            ("true", "true"),
        ],
    )
    def test_extends_must_be_a_file_name(self, write_yaml, value, found):
        child = write_yaml(f"name: c\nextends: {value}\n", "c.yaml")
        assert problems(child) == [f"{child}:2: extends: expected a file name, found {found}"]

    def test_a_null_extends_means_no_parent(self, write_yaml):
        assert load_scenario(write_yaml(MINIMAL + "extends:\n")).name == "toy"

    @pytest.mark.parametrize(
        ("text", "found"),
        [
            ("- a\n- b\n", "['a', 'b']"),
            ("just text\n", "text 'just text'"),
            ("~\n", "nothing (null)"),
            ("42\n", "42"),
        ],
    )
    def test_the_document_must_be_a_mapping(self, write_yaml, text, found):
        path = write_yaml(text)
        assert problems(path) == [f"{path}:1: expected a mapping of scenario keys, found {found}"]

    def test_a_parent_that_is_not_a_mapping(self, write_yaml):
        parent = write_yaml("- a\n", "p.yaml")
        child = write_yaml("extends: p.yaml\n", "c.yaml")
        assert problems(child) == [f"{parent}:1: expected a mapping of scenario keys, found ['a']"]


class TestOverrides:
    @pytest.fixture
    def path(self, write_yaml):
        return write_yaml(MINIMAL + "levers:\n  - {type: deployment, actor: patron, to: 0.5}\n")

    def test_values_are_read_as_yaml(self, path):
        s = load_scenario(
            path,
            overrides=[
                "actors.patron.resolve=0.9",
                "horizon=20",
                "actors.rebels.resolve={uniform: [0.5, 0.9]}",
                "levers.0.end=20",
                "description=a b c",
                "actors.patron.veto=true",
            ],
        )
        assert s.actors["patron"].resolve.value == 0.9
        assert s.horizon == 20
        assert s.actors["rebels"].resolve.uniform == (0.5, 0.9)
        assert s.levers[0].end == 20
        assert s.description == "a b c"
        assert s.actors["patron"].veto is True

    def test_values_follow_the_yaml_1_2_core_schema(self, path):
        s = load_scenario(
            path,
            overrides=[
                "seed=0o17",
                "horizon=0x1F",
                "replications=017",
                "actors.patron.unit_cost=2e-5",
                "name=NO",
                "description=1:30",
            ],
        )
        assert (s.seed, s.horizon, s.replications) == (15, 31, 17)
        assert s.actors["patron"].unit_cost.value == 2e-5
        assert (s.name, s.description) == ("NO", "1:30")
        assert problems(path, overrides={"horizon": "1:30"}) == [
            "--set horizon: horizon: expected an integer, found text '1:30'"
        ]

    def test_a_mapping_of_overrides(self, path):
        s = load_scenario(
            path,
            overrides={"horizon": 7, "seed": "3", "actors.patron.resolve": {"uniform": [0.1, 0.2]}},
        )
        assert (s.horizon, s.seed) == (7, 3)
        assert s.actors["patron"].resolve.kind == "uniform"

    def test_overrides_apply_after_extends(self):
        s = load_scenario(CHILD, overrides=["levers.1.to=0.25", "actors.patron.force=5"])
        assert s.levers[1].to.value == 0.25
        assert s.actors["patron"].force.value == 5
        assert s.actors["patron"].resolve.uniform == (0.7, 0.9)

    def test_a_new_key_can_be_created(self, path):
        s = load_scenario(path, overrides=["battlefield.rate=0.1", "bargaining.model=eum"])
        assert s.battlefield.rate.value == 0.1
        assert s.bargaining.model == "eum"

    def test_the_file_is_not_changed(self, path):
        before = path.read_bytes()
        load_scenario(path, overrides=["horizon=3"])
        assert path.read_bytes() == before

    @pytest.mark.parametrize(
        ("override", "expected"),
        [
            (
                "actors.patron.resolve=2",
                "--set actors.patron.resolve: actors.patron.resolve: "
                "expected a number in [0, 1], found 2",
            ),
            (
                "horizn=5",
                "--set horizn: horizn: expected a known key, found 'horizn'; did you mean "
                "'horizon'?",
            ),
            ("horizon=ten", "--set horizon: horizon: expected an integer, found text 'ten'"),
            ("horizon=", "--set horizon: horizon: expected an integer, found nothing (null)"),
            (
                "actors.patron.side=gvo",
                "--set actors.patron.side: actors.patron.side: expected a "
                "declared side, found 'gvo'",
            ),
            (
                "actors.patron.position.tenure=11",
                "--set actors.patron.position.tenure: "
                "actors.patron.position.tenure: expected a position in the issue's scale [0, 10], "
                "found 11",
            ),
            (
                "actors.patron.resolve=.nan",
                "--set actors.patron.resolve:1: expected a finite number, found .nan",
            ),
            (
                "actors.patron.resolve=[1,",
                "--set actors.patron.resolve:1: expected valid YAML, found a syntax error",
            ),
            (
                "actors.patron.resolve=!!python/name:os.system",
                "--set actors.patron.resolve:1: "
                "expected plain YAML data, found the tag !!python/name:os.system (not allowed)",
            ),
            (
                "name.first=x",
                "--set name.first: name.first: expected a mapping or a list at name, "
                "found text 'toy'",
            ),
            (
                "name.first.second=x",
                "--set name.first.second: name.first.second: expected a mapping "
                "or a list at name, found text 'toy'",
            ),
            (
                "levers.3.to=1",
                "--set levers.3.to: levers.3.to: expected an index from 0 to 0 in "
                "levers, found '3'",
            ),
            (
                "levers.x=1",
                "--set levers.x: levers.x: expected an index from 0 to 0 in levers, found 'x'",
            ),
            (
                "actors..resolve=1",
                "--set actors..resolve: actors..resolve: expected a dotted path "
                "like actors.russia.resolve, found 'actors..resolve'",
            ),
            (
                "horizon",
                "--set horizon: expected path=value (e.g. actors.russia.resolve=0.9), found "
                "'horizon'",
            ),
            ("=5", "--set =5: expected path=value (e.g. actors.russia.resolve=0.9), found '=5'"),
            (
                "actors.nobody.economy=1",
                "--set actors.nobody.economy: actors.nobody.position: "
                "expected the required key 'position', found it missing",
            ),
            (
                "triggers.0.name=x",
                "--set triggers.0.name: triggers: expected a list, found a mapping",
            ),
            # YAML 1.1 forms are text by YAML 1.2's core schema, as in files
            ("horizon=1:30", "--set horizon: horizon: expected an integer, found text '1:30'"),
            (
                "replications=1_000",
                "--set replications: replications: expected an integer, found text '1_000'",
            ),
            (
                "actors.patron.veto=yes",
                "--set actors.patron.veto: actors.patron.veto: expected true "
                "or false, found text 'yes'",
            ),
            ("seed==", "--set seed: seed: expected an integer, found text '='"),
            (
                "battlefield={<<: {rate: 0.1}}",
                "--set battlefield:1: expected a plain key, found the "
                "merge key << (YAML 1.2 has no merge keys: use extends, or write the keys out)",
            ),
        ],
    )
    def test_errors_name_the_override(self, path, override, expected):
        lines = problems(path, overrides=[override])
        assert any(line.startswith(expected) for line in lines), lines

    def test_every_malformed_override_is_reported(self, path):
        assert problems(path, overrides=["horizon", "seed=[1,", "x"]) == [
            "--set horizon: expected path=value (e.g. actors.russia.resolve=0.9), found 'horizon'",
            "--set seed:1: expected valid YAML, found a syntax error: expected the node content, "
            "but found '<stream end>'",
            "--set x: expected path=value (e.g. actors.russia.resolve=0.9), found 'x'",
        ]

    def test_odd_override_paths_stay_on_one_line(self, path):
        (line,) = problems(path, overrides={"a\nb": 1})
        assert line.startswith("--set 'a\\nb': 'a\\nb': expected a known key, found 'a\\nb'")

    def test_an_empty_list_has_no_index(self, write_yaml):
        path = write_yaml(MINIMAL + "levers: []\n")
        assert problems(path, overrides=["levers.0.end=1"]) == [
            "--set levers.0.end: levers.0.end: expected an index into levers, found an empty list"
        ]

    def test_all_bad_overrides_are_reported(self, path):
        lines = problems(path, overrides=["name.x=1", "levers.9.to=1"])
        assert [line.split(":")[0] for line in lines] == ["--set levers.9.to", "--set name.x"]

    def test_override_problems_and_file_problems_together(self, write_yaml):
        path = write_yaml(MINIMAL.replace("reb: 0.5", "reb: 0.6"))
        assert problems(path, overrides=["horizon=0"]) == [
            "--set horizon: horizon: expected an integer >= 1, found 0",
            f"{path}:4: sides: expected territory shares summing to 1, found 1.1",
        ]

    def test_non_text_keys_in_a_mapping_of_overrides(self, path):
        assert problems(path, overrides={5: 1})[0].startswith(
            "--set 5: 5: expected a known key, found '5'"
        )

    def test_no_overrides(self, path):
        located = read_composed(path)
        assert apply_overrides(located, None) is located
        assert apply_overrides(located, []) is located
        assert apply_overrides(located, {}) is located


def test_kind_describes_values_for_messages():
    assert [
        kind(v) for v in (None, True, {}, {"a": 1}, [], [1, "a"], list(range(9)), "x", 2.5)
    ] == [
        "nothing (null)",
        "true",
        "an empty mapping",
        "a mapping",
        "an empty list",
        "[1, 'a']",
        "a list",
        "text 'x'",
        "2.5",
    ]


def test_scenario_error_is_a_leverage_error():
    from sim.errors import LeverageError

    assert issubclass(ScenarioError, LeverageError)
