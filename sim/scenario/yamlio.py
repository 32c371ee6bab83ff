"""Reading YAML safely while keeping the line of every node.

Only plain data is read: mappings, lists, strings, numbers, booleans and null, with plain
scalars resolved by the YAML 1.2 core schema (``1:30``, ``yes``, ``1_000`` and dates are
text, not YAML 1.1's 90, true, 1000 and a date). Tags that would construct other objects
(``!!python/...``, ``!!timestamp``, ``!!set``, ``!!binary``) are rejected, merge keys
(``<<``) and duplicate keys are errors, and alias expansion is bounded so that an "alias
bomb" fails fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, ScenarioError

PathKey = tuple[str | int, ...]
MAX_NODES = 200_000
MAX_BYTES = 5_000_000

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), in the order a
# plain scalar is tried; anything else is text.
_CORE = (
    (_NULL, re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]),
    (_BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), list("tTfF")),
    (_INT, re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"), list("-+0123456789")),
    (
        _FLOAT,
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
        ),
        list("-+.0123456789"),
    ),
)
_TRUE = ("true", "True", "TRUE")


def _core_table() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit-resolver table (keyed by first character) for the core schema."""
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, firsts in _CORE:
        for first in firsts:
            table.setdefault(first, []).append((tag, pattern))
    return table


class _Loader(yaml.SafeLoader):
    """PyYAML's safe parser resolving plain scalars by the YAML 1.2 core schema.

    PyYAML resolves YAML 1.1 types: ``1:30`` is 90 (base 60), ``yes``/``no``/``on``/``off``
    are booleans (the actor ``NO``, Norway, would be ``False``), ``017`` is octal, ``1_000``
    is 1000, ``2016-03-14`` a date, ``=`` a "value" and ``<<`` a merge key. Here, as in
    YAML 1.2 and JSON, only ``null``/``~``/nothing are null, ``true``/``false`` (also
    capitalised or upper case) booleans, ``[-+]?[0-9]+``, ``0o17`` and ``0x1F`` integers,
    ``1.5``, ``.5``, ``1.``, ``2e-5``, ``1.5E+3`` (and ``.inf``/``.nan``, refused later as
    not finite) numbers; everything else is text. Only the resolution table is changed:
    libyaml's parser (``_FastLoader``) resolves with the same table, so both read the same.
    """

    yaml_implicit_resolvers = _core_table()
    yaml_path_resolvers: dict = {}


# The same loader on libyaml's parser, when PyYAML has it (several times faster). A
# document it cannot read is read again with ``_Loader``, whose error messages we report.
_FastLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """``_Loader``'s resolvers on libyaml's parser."""

        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
        yaml_path_resolvers: dict = {}


def core_tag(text: str) -> str:
    """The tag YAML 1.2's core schema gives the plain scalar ``text`` (e.g. ``!!int``)."""
    for tag, pattern in _Loader.yaml_implicit_resolvers.get(text[:1], []):
        if pattern.match(text):
            return tag
    return _STR


_DumperBase: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: same text


class Dumper(_DumperBase):  # type: ignore[misc, valid-type]
    """A safe dumper whose text reads back the same by YAML 1.2 *and* YAML 1.1 rules.

    A string that either schema would read as something else (``'1:30'``, ``'yes'``,
    ``'2e-5'``, ``'0o17'``, ``'2016-03-14'``) is quoted, so that ``parse`` here and
    ``yaml.safe_load`` (YAML 1.1) elsewhere get the same data.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The YAML 1.1 tag of ``value``, or its core-schema tag when that is not text."""
        tag = super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode and implicit[0]:
            core = core_tag(value)
            if core != _STR:
                return core
        return tag


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: with libyaml when it reads it, else with ``_Loader``."""
    if _FastLoader is not None:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=_Loader)


@dataclass
class Located:
    """YAML data with the source position of every node.

    Attributes:
        data: the plain Python data (dicts, lists, scalars).
        origins: for each path in the data, the (file, line) it came from.

    """

    data: Any
    origins: dict[PathKey, tuple[str, int]] = field(default_factory=dict)

    def where(self, path: PathKey, default_file: str = "") -> tuple[str, int]:
        """The (file, line) of ``path``, or of its nearest ancestor found in the file."""
        for end in range(len(path), -1, -1):
            found = self.origins.get(tuple(path[:end]))
            if found is not None:
                return found
        return default_file, 0


def dotted(path: PathKey) -> str:
    """``('actors', 'russia', 'resolve')`` → ``'actors.russia.resolve'`` (on one line)."""
    return ".".join(printable(str(p)) for p in path)


def printable(text: str) -> str:
    """``text``, or its quoted form when it holds line breaks or other control characters."""
    return text if text.isprintable() else repr(text)


class _Builder:
    """Turns a composed YAML node tree into data, recording origins and problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.origins: dict[PathKey, tuple[str, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, dotted(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(node)
        self.origins.setdefault(path, (self.file, node.start_mark.line + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.problem(node, path, _tag_message(node))
                return None
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any] | None:
        if node.tag != _MAP_TAG:
            self.problem(node, path, _tag_message(node))
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "expected a plain key, found a complex key")
                continue
            if key_node.tag == _MERGE or (key_node.value == "<<" and not key_node.style):
                self.problem(key_node, path, _MERGE_MESSAGE)
                continue
            key = self._scalar(key_node, path)
            if key is None or isinstance(key, bool | float):
                self.problem(key_node, path, f"expected a text key, found {key_node.value!r}")
                continue
            key = key_node.value if isinstance(key, int) else key  # the id as written
            if key in out:
                first = self.origins.get((*path, key), (self.file, 0))[1]
                self.problem(
                    key_node,
                    (*path, key),
                    f"expected each key once, found {key!r} again (first given on line {first})",
                )
                continue
            self.origins[(*path, key)] = (self.file, key_node.start_mark.line + 1)
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        try:
            value = construct(node.tag, node.value)
        except _NotAllowed:
            self.problem(node, path, _tag_message(node))
            return None
        except ValueError as exc:
            self.problem(node, path, str(exc))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(node, path, f"expected a finite number, found {printable(node.value)}")
            return None
        return value


class _NotAllowed(Exception):
    pass


def construct(tag: str, text: str) -> Any:
    """The value of a scalar of ``tag`` written ``text``, by the YAML 1.2 core schema.

    An explicitly tagged scalar (``!!int '7'``) must be written as the core schema writes
    that type (``!!int 1:30`` is an error, not 90); ``!!float`` also takes an integer.

    Raises:
        ValueError: text that is not a value of ``tag`` (the message is user-facing).

    """
    if tag == _STR:
        return text
    patterns = {t: p for t, p, _ in _CORE}
    if tag not in patterns:
        raise _NotAllowed
    numeric = tag == _FLOAT and patterns[_INT].match(text)
    if not (patterns[tag].match(text) or numeric):
        expected = {_NULL: "null", _BOOL: "true or false", _INT: "an integer", _FLOAT: "a number"}[
            tag
        ]
        raise ValueError(f"expected {expected}, found {printable(text)!r}")
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text in _TRUE
    try:
        if tag == _INT:
            base = {"0o": 8, "0x": 16}.get(text[:2], 10)
            return int(text[2:] if base != 10 else text, base)
        lowered = text.lower()
        return float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
    except ValueError:  # Python's limit on the digits of an int (4300)
        raise ValueError(
            f"expected a number of at most 4300 digits, found {len(text)} characters"
        ) from None


def _tag_message(node: yaml.Node) -> str:
    tag = printable(node.tag.replace("tag:yaml.org,2002:", "!!"))
    return f"expected plain YAML data, found the tag {tag} (not allowed)"


_MERGE = "tag:yaml.org,2002:merge"
_MERGE_MESSAGE = (
    "expected a plain key, found the merge key << (YAML 1.2 has no merge keys: "
    "use extends, or write the keys out)"
)


_TOO_DEEP = "expected a document nested a few levels deep, found one nested too deeply to read"


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def read_text(path: Path) -> str:
    """Read a scenario file as UTF-8 text, with user-facing errors.

    Raises:
        ScenarioError: for a missing path, a directory, a huge or non-text file.

    """
    name = str(path)
    if not path.exists():
        raise ScenarioError([Problem(name, 0, "", "expected a YAML file, found no such file")])
    if path.is_dir():
        raise ScenarioError([Problem(name, 0, "", "expected a YAML file, found a directory")])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, 0, "", f"expected a readable YAML file, found {exc.strerror or exc}")]
        ) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [Problem(name, 0, "", f"expected at most {MAX_BYTES} bytes, found {len(raw)} bytes")]
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, "", "expected YAML text, found binary data")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(name, line, "", f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}")]
        ) from None


def parse(text: str, file: str) -> Located:
    """Parse YAML text into located data.

    Args:
        text: the YAML document.
        file: the name used in error messages.

    Raises:
        ScenarioError: malformed YAML, forbidden tags, duplicate keys, alias bombs.

    """
    try:
        node = _compose(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"expected printable text, found the control character U+{code:04X}"
        raise ScenarioError([Problem(file, line, "", message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = f"expected valid YAML, found a syntax error: {exc.problem or exc.context}"
        raise ScenarioError([Problem(file, line, "", message)]) from None
    except yaml.YAMLError as exc:
        found = " ".join(str(exc).split())
        raise ScenarioError([Problem(file, 0, "", f"expected valid YAML, found {found}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(file, 0, "", _TOO_DEEP)]) from None
    if node is None:
        raise ScenarioError([Problem(file, 1, "", "expected a scenario, found an empty document")])
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooLarge as exc:
        line = exc.node.start_mark.line + 1
        message = f"expected at most {MAX_NODES} values, found more (an alias bomb?)"
        raise ScenarioError([Problem(file, line, "", message)]) from None
    except RecursionError:
        raise ScenarioError([Problem(file, 0, "", _TOO_DEEP)]) from None
    if builder.problems:
        raise ScenarioError(builder.problems)
    return Located(data, builder.origins)


def parse_scalar(text: str, origin: str) -> Any:
    """Parse the value of a ``--set`` override as YAML (a scalar or a flow collection)."""
    return parse(text, origin).data if text.strip() else None
