"""Safe YAML with the line of every node: tags, duplicates, aliases, numbers, files."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from sim.errors import Problem, ScenarioError
from sim.scenario import yamlio
from sim.scenario.yamlio import Located, dotted, parse, parse_scalar, read_text

DOC = """\
name: toy
issues:
  tenure:
    scale: [0, 10]
actors:
  patron:
    economy: 1.5
    position: {tenure: 8}
levers:
  - type: talks
    participants:
      - patron
      - rebels
"""


def error_lines(text: str, file: str = "f.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse(text, file)
    return caught.value.lines()


def test_data_is_plain_python():
    data = parse(DOC, "f.yaml").data
    assert data == {
        "name": "toy",
        "issues": {"tenure": {"scale": [0, 10]}},
        "actors": {"patron": {"economy": 1.5, "position": {"tenure": 8}}},
        "levers": [{"type": "talks", "participants": ["patron", "rebels"]}],
    }


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("name",), 1),
        (("issues",), 2),
        (("issues", "tenure"), 3),
        (("issues", "tenure", "scale"), 4),
        (("issues", "tenure", "scale", 1), 4),
        (("actors", "patron", "economy"), 7),
        (("actors", "patron", "position", "tenure"), 8),
        (("levers", 0), 10),
        (("levers", 0, "type"), 10),
        (("levers", 0, "participants", 1), 13),
    ],
)
def test_every_node_has_its_line(path, line):
    located = parse(DOC, "f.yaml")
    assert located.origins[path] == ("f.yaml", line)


def test_every_node_is_located():
    located = parse(DOC, "f.yaml")

    def paths(node, path=()):
        yield path
        if isinstance(node, dict):
            for key, value in node.items():
                yield from paths(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from paths(value, (*path, i))

    assert set(paths(located.data)) <= set(located.origins)


def test_where_falls_back_to_the_nearest_ancestor():
    located = parse(DOC, "f.yaml")
    assert located.where(("actors", "patron", "no_such_key", 3)) == ("f.yaml", 6)
    assert Located({}).where(("x",), "default.yaml") == ("default.yaml", 0)


def test_dotted():
    assert dotted(("actors", "russia", "resolve")) == "actors.russia.resolve"
    assert dotted(("levers", 2, "to")) == "levers.2.to"
    assert dotted(()) == ""


def test_duplicate_keys_are_errors_at_every_level_and_all_reported():
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    assert error_lines(text) == [
        "f.yaml:4: b.c: expected each key once, found 'c' again (first given on line 3)",
        "f.yaml:5: a: expected each key once, found 'a' again (first given on line 1)",
    ]


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['echo hi']",
        "!!python/object/new:dict {}",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!python/str hello",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [{a: 1}]",
        "!!pairs [{a: 1}]",
        "!!timestamp 2016-03-14",
        "!custom 5",
        "!<tag:example.com,2000:thing> 5",
    ],
)
def test_tags_that_construct_objects_are_rejected(tagged):
    (line,) = error_lines(f"name: toy\nvalue: {tagged}\n")
    assert line.startswith("f.yaml:2: value: expected plain YAML data, found ")


def test_tags_of_plain_data_are_allowed():
    data = parse(
        "a: !!str 5\nb: !!int '7'\nc: !!float 1\nd: !!map {x: 1}\ne: !!seq [1]\n", "f.yaml"
    ).data
    assert data == {"a": "5", "b": 7, "c": 1.0, "d": {"x": 1}, "e": [1]}


def test_a_python_tag_is_never_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "name: !!python/object/apply:os.system ['touch created_by_yaml']\n"
    with pytest.raises(ScenarioError):
        parse(text, "f.yaml")
    assert not (tmp_path / "created_by_yaml").exists()
    assert os.listdir(tmp_path) == []


def test_an_unquoted_date_is_text():
    """YAML 1.2 has no timestamps: a date is the text as written."""
    assert parse("description: 2016-03-14\n", "f.yaml").data == {"description": "2016-03-14"}
    assert parse("description: '2016-03-14'\n", "f.yaml").data == {"description": "2016-03-14"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (".nan", ".nan"),
        (".NaN", ".NaN"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        ("+.INF", "+.INF"),
        ("1.0e+400", "1.0e+400"),
        ("-1.0e+999", "-1.0e+999"),
    ],
)
def test_non_finite_numbers_are_rejected(text, found):
    assert error_lines(f"x: 1\ny: [1, {text}]\n") == [
        f"f.yaml:2: y.1: expected a finite number, found {found}"
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6.0e-7", 6e-7),
        ("1.5e+3", 1500.0),
        ("0.25", 0.25),
        ("7", 7),
        ("-3", -3),
        (".5", 0.5),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
    ],
)
def test_scalars(text, value):
    parsed = parse(f"x: {text}\n", "f.yaml").data["x"]
    assert parsed == value
    assert type(parsed) is type(value)


#: plain scalars YAML 1.1 (PyYAML) and YAML 1.2's core schema read differently: here, 1.2.
YAML_1_1_SURPRISES = [
    ("1:30", "1:30"),  # 1.1: 90 (base 60)
    ("-1:30", "-1:30"),  # 1.1: -90
    ("1:30.5", "1:30.5"),  # 1.1: 90.5
    ("190:20:30", "190:20:30"),  # 1.1: 685230
    ("yes", "yes"),
    ("no", "no"),
    ("NO", "NO"),
    ("on", "on"),
    ("Off", "Off"),  # 1.1: booleans
    ("y", "y"),
    ("n", "n"),
    ("017", 17),  # 1.1: 15 (octal); 1.2 octal is 0o17
    ("0o17", 15),  # 1.1: text
    ("0x1F", 31),
    ("0x1f", 31),
    ("-0x1F", "-0x1F"),
    ("+0o17", "+0o17"),  # 1.2 writes no sign on hex or octal
    ("0b101", "0b101"),  # 1.1: 5
    ("1_000", "1_000"),
    ("1_000.5", "1_000.5"),
    ("0x_1F", "0x_1F"),  # 1.1: 1000, 1000.5, 31
    ("2e-5", 2e-5),
    ("1.5e3", 1500.0),
    ("1E3", 1000.0),
    ("1.", 1.0),
    ("-.5", -0.5),  # 1.1: text
    ("2016-03-14", "2016-03-14"),
    ("2016-03-14 10:00:00", "2016-03-14 10:00:00"),  # 1.1: dates
    ("=", "="),  # 1.1: a "value" (refused)
    ("+12", 12),
    ("-0", 0),
    ("1.2.3", "1.2.3"),
    ("0.5x", "0.5x"),
    ("tRUE", "tRUE"),
    ("nULL", "nULL"),
    (".iNF", ".iNF"),
]


@pytest.mark.parametrize(("text", "value"), YAML_1_1_SURPRISES)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, value):
    parsed = parse(f"x: {text}\n", "f.yaml").data["x"]
    assert parsed == value
    assert type(parsed) is type(value)
    assert parse_scalar(text, "--set x") == value


@pytest.mark.parametrize(
    "text",
    ["yes", "no", "NO", "on", "Off", "y", "n", "1.2.3", "0.5x", "1:30", "1_000", "=", "2016-03-14"],
)
def test_text_stays_text(text):
    """YAML 1.2 booleans (Norway is ``NO``), no base 60, no ``_`` in numbers, no dates."""
    assert parse(f"x: {text}\n", "f.yaml").data["x"] == text
    assert parse(f"{text}: 1\n", "f.yaml").data == {text: 1}


@pytest.mark.parametrize(
    ("tagged", "message"),
    [
        ("!!int 1:30", "expected an integer, found '1:30'"),
        ("!!int 1_000", "expected an integer, found '1_000'"),
        ("!!int 1.5", "expected an integer, found '1.5'"),
        ("!!float 1:30.5", "expected a number, found '1:30.5'"),
        ("!!bool yes", "expected true or false, found 'yes'"),
        ("!!null nothing", "expected null, found 'nothing'"),
        (
            "!!timestamp 2016-03-14",
            "expected plain YAML data, found the tag !!timestamp (not allowed)",
        ),
        ("!!value =", "expected plain YAML data, found the tag !!value (not allowed)"),
    ],
)
def test_explicit_tags_follow_the_yaml_1_2_core_schema_too(tagged, message):
    assert error_lines(f"x: {tagged}\n") == [f"f.yaml:1: x: {message}"]


def test_an_integer_too_long_for_python_is_a_located_error():
    (line,) = error_lines("x: 1\ny: " + "9" * 5000 + "\n")
    assert line == "f.yaml:2: y: expected a number of at most 4300 digits, found 5000 characters"


def test_keys_are_text():
    assert parse("1: a\n", "f.yaml").data == {"1": "a"}
    assert parse("0x10: a\n+1: b\n", "f.yaml").data == {"0x10": "a", "+1": "b"}  # as written
    assert error_lines("~: a\n") == ["f.yaml:1: expected a text key, found '~'"]
    assert error_lines("1.5: a\n") == ["f.yaml:1: expected a text key, found '1.5'"]
    assert error_lines("true: a\n") == ["f.yaml:1: expected a text key, found 'true'"]


MERGE = (
    "expected a plain key, found the merge key << (YAML 1.2 has no merge keys: use "
    "extends, or write the keys out)"
)


def test_complex_and_merge_keys_are_rejected():
    """A merge key is refused, not read as the key ``"<<"`` (YAML 1.2 has no merge keys)."""
    assert error_lines("? [a, b]\n: 1\n") == ["f.yaml:1: expected a plain key, found a complex key"]
    assert error_lines("base: &b {x: 1}\nother:\n  <<: *b\n") == [f"f.yaml:3: other: {MERGE}"]
    assert error_lines("other: {<<: {x: 1}}\n") == [f"f.yaml:1: other: {MERGE}"]
    assert error_lines("other: {!!merge a: 1}\n") == [f"f.yaml:1: other: {MERGE}"]
    assert parse("'<<': 1\n", "f.yaml").data == {"<<": 1}  # quoted: the text <<


def test_ordinary_anchors_and_aliases_work():
    data = parse("a: &x {k: 1}\nb: *x\nc: [*x, *x]\n", "f.yaml").data
    assert data == {"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": 1}]}


def test_an_alias_bomb_fails_with_a_clear_error():
    rows = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (line,) = error_lines("\n".join(rows) + "\n")
    assert line.startswith("f.yaml:")
    assert f"expected at most {yamlio.MAX_NODES} values, found more (an alias bomb?)" in line


def test_recursive_alias_and_deep_nesting_are_errors_not_crashes():
    expected = "expected a document nested a few levels deep, found one nested too deeply"
    assert expected in error_lines("a: &a [*a]\n")[0]
    assert expected in error_lines("a: " + "{b: " * 1200 + "1" + "}" * 1200 + "\n")[0]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: [1, 2\n", 2, "expected ',' or ']', but got '<stream end>'"),
        ("a: 1\n\tb: 2\n", 2, "found character '\\t' that cannot start any token"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed here"),
        ("a: 'open\n", 2, "found unexpected end of stream"),
        ("a: 1\n---\nb: 2\n", 2, "but found another document"),
        ("a: *nowhere\n", 1, "found undefined alias 'nowhere'"),
        ("a: b: c\n", 1, "mapping values are not allowed here"),
        ("- a\nb: 1\n", 2, "expected <block end>, but found '?'"),
    ],
)
def test_malformed_yaml_is_one_located_problem(text, line, fragment):
    (problem,) = error_lines(text)
    assert problem.startswith(f"f.yaml:{line}: expected valid YAML, found a syntax error: ")
    assert fragment in problem


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [("\x08", 1, "0008"), ("a: 1\nb: x\x07y\n", 2, "0007"), ("a: \ufffe\n", 1, "FFFE")],
)
def test_control_characters_are_one_located_problem(text, line, code):
    assert error_lines(text) == [
        f"f.yaml:{line}: expected printable text, found the control character U+{code}"
    ]


def test_paths_stay_on_one_line():
    assert dotted(("issues", "a\nb", 0)) == "issues.'a\\nb'.0"
    (line,) = error_lines('"a\\nb": 1\n"a\\nb": 2\n')
    assert "\n" not in line
    assert line.startswith("f.yaml:2: 'a\\nb': expected each key once")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n"])
def test_an_empty_document_is_an_error(text):
    assert error_lines(text) == ["f.yaml:1: expected a scenario, found an empty document"]


@pytest.mark.parametrize("text", ["---\n", "~\n", "null\n"])
def test_a_null_document_is_data(text):
    assert parse(text, "f.yaml").data is None


class TestReadText:
    def test_reads_utf8(self, write_yaml):
        assert read_text(write_yaml("name: café\n")) == "name: café\n"

    def test_a_byte_order_mark_is_fine(self, write_yaml):
        path = write_yaml("\ufeffname: toy\n".encode())
        assert parse(read_text(path), str(path)).data == {"name": "toy"}

    def test_missing(self, tmp_path):
        path = tmp_path / "nope.yaml"
        with pytest.raises(ScenarioError) as caught:
            read_text(path)
        assert caught.value.lines() == [f"{path}: expected a YAML file, found no such file"]

    def test_directory(self, tmp_path):
        with pytest.raises(ScenarioError) as caught:
            read_text(tmp_path)
        assert caught.value.lines() == [f"{tmp_path}: expected a YAML file, found a directory"]

    def test_binary(self, write_yaml):
        path = write_yaml(b"name: toy\ndata: \x00\x01\x02\n")
        with pytest.raises(ScenarioError) as caught:
            read_text(path)
        assert caught.value.lines() == [f"{path}:2: expected YAML text, found binary data"]

    def test_not_utf8(self, write_yaml):
        path = write_yaml(b"name: toy\ndescription: caf\xe9\n")
        with pytest.raises(ScenarioError) as caught:
            read_text(path)
        assert caught.value.lines() == [f"{path}:2: expected UTF-8 text, found byte 0xe9"]

    def test_too_large(self, write_yaml, monkeypatch):
        monkeypatch.setattr(yamlio, "MAX_BYTES", 10)
        path = write_yaml("name: a_long_name\n")
        with pytest.raises(ScenarioError) as caught:
            read_text(path)
        assert caught.value.lines() == [f"{path}: expected at most 10 bytes, found 18 bytes"]

    @pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file modes")
    def test_unreadable(self, write_yaml):
        path = write_yaml("name: toy\n")
        path.chmod(0)
        try:
            with pytest.raises(ScenarioError) as caught:
                read_text(path)
        finally:
            path.chmod(0o644)
        assert caught.value.lines() == [
            f"{path}: expected a readable YAML file, found Permission denied"
        ]


class TestParseScalar:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("0.9", 0.9),
            ("7", 7),
            ("true", True),
            ("russia", "russia"),
            ("'0.9'", "0.9"),
            ("{uniform: [0.5, 0.9]}", {"uniform": [0.5, 0.9]}),
            ("[a, b]", ["a", "b"]),
            ("", None),
            ("  ", None),
            ("~", None),
            ("2.0e-5", 2e-5),
        ],
    )
    def test_values(self, text, value):
        assert parse_scalar(text, "--set x") == value

    def test_errors_name_the_override(self):
        with pytest.raises(ScenarioError) as caught:
            parse_scalar("[1,", "--set x.y")
        (line,) = caught.value.lines()
        assert line.startswith("--set x.y:1: expected valid YAML, found a syntax error")

    def test_tags_and_non_finite_numbers_are_rejected(self):
        for text in ("!!python/name:os.system", ".nan", "-.inf"):
            with pytest.raises(ScenarioError) as caught:
                parse_scalar(text, "--set x")
            assert caught.value.lines()[0].startswith("--set x:1: expected ")


class TestProblem:
    def test_format(self):
        message = "expected a, found b"
        assert str(Problem("f.yaml", 3, "actors.x", message)) == f"f.yaml:3: actors.x: {message}"
        assert str(Problem("f.yaml", 3, "", message)) == f"f.yaml:3: {message}"
        assert str(Problem("f.yaml", 0, "", message)) == f"f.yaml: {message}"

    def test_error_sorts_and_deduplicates(self):
        a = Problem("f.yaml", 9, "b", "expected 1, found 2")
        b = Problem("f.yaml", 2, "a", "expected 1, found 2")
        error = ScenarioError([a, b, a])
        assert error.problems == [b, a]
        assert str(error) == "f.yaml:2: a: expected 1, found 2\nf.yaml:9: b: expected 1, found 2"


def test_floats_stay_floats():
    value = parse("x: 0.1\n", "f.yaml").data["x"]
    assert isinstance(value, float) and math.isclose(value, 0.1)


@pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize(
    "path", sorted(Path(__file__).parents[2].glob("scenarios/**/*.yaml")), ids=lambda p: p.name
)
def test_libyaml_and_python_loaders_read_the_same_data_and_lines(path, monkeypatch):
    text = path.read_text()
    fast = parse(text, "f.yaml")
    monkeypatch.setattr(yamlio, "_FastLoader", None)
    slow = parse(text, "f.yaml")
    assert fast.data == slow.data
    assert fast.origins == slow.origins


@pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")
def test_libyaml_and_python_loaders_resolve_yaml_1_1_forms_the_same(monkeypatch):
    text = "".join(f"k{i}: {t}\nl{i}: [{t}]\n" for i, (t, _) in enumerate(YAML_1_1_SURPRISES))
    text += "".join(f"'{t}': {i}\n" for i, (t, _) in enumerate(YAML_1_1_SURPRISES))
    fast = parse(text, "f.yaml")
    monkeypatch.setattr(yamlio, "_FastLoader", None)
    slow = parse(text, "f.yaml")
    assert fast.data == slow.data
    assert fast.origins == slow.origins
    assert [fast.data[f"k{i}"] for i in range(len(YAML_1_1_SURPRISES))] == [
        v for _, v in YAML_1_1_SURPRISES
    ]
    for bad in ("x: <<\n<<: 1\n", "x: !!int 1:30\n", "x: !!bool yes\n"):
        monkeypatch.setattr(yamlio, "_FastLoader", fast_loader)
        expected = error_lines(bad)
        monkeypatch.setattr(yamlio, "_FastLoader", None)
        assert error_lines(bad) == expected


fast_loader = yamlio._FastLoader


def test_dumped_text_reads_back_the_same_by_yaml_1_2_and_yaml_1_1():
    """``Dumper`` quotes text that either schema would read as something else."""
    import yaml

    data = {
        "texts": [t for t, _ in YAML_1_1_SURPRISES] + ["<<", "", "null", "true"],
        "numbers": [1, -3, 0.1, 2e-5, 1e20, 12345678901234567890],
        "flags": [True, False],
        "none": None,
        "<<": 1,
    }
    text = yaml.dump(data, Dumper=yamlio.Dumper, sort_keys=False)
    assert "'1:30'" in text and "'2e-5'" in text and "'0o17'" in text and "'yes'" in text
    assert parse(text, "f.yaml").data == data
    assert yaml.safe_load(text) == data


def test_a_document_libyaml_rejects_gets_the_python_loaders_message(monkeypatch):
    text = "name: [unclosed\n"
    expected = error_lines(text)
    monkeypatch.setattr(yamlio, "_FastLoader", None)
    assert error_lines(text) == expected
