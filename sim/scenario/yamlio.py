"""Reading YAML safely while keeping the line of every node.

Only what PyYAML's safe loader accepts is read: mappings, lists, strings, numbers,
booleans and null. Tags that would construct other objects (``!!python/...``,
timestamps, sets, binary) are rejected, duplicate keys are errors, and alias
expansion is bounded so that an "alias bomb" fails fast.
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

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans: only ``true`` and ``false``.

    YAML 1.1 also reads ``yes``, ``no``, ``on``, ``off`` as booleans, so the actor ``NO``
    (Norway) would be ``False``; here they are text, as in YAML 1.2 and editors. (Numbers
    stay YAML 1.1, so that ``yaml.safe_dump`` output reads back the same.)
    """


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))

# The same loader on libyaml's parser, when PyYAML has it (several times faster). A
# document it cannot read is read again with ``_Loader``, whose error messages we report.
_FastLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """``_Loader``'s resolvers on libyaml's parser."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


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
        self.constructor = yaml.SafeLoader("")

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
            merge_key = key_node.tag == "tag:yaml.org,2002:merge"
            if not isinstance(key_node, yaml.ScalarNode) or merge_key:
                self.problem(key_node, path, "expected a plain key, found a complex or merge key")
                continue
            key = self._scalar(key_node, path)
            if key is None or isinstance(key, bool | float):
                self.problem(key_node, path, f"expected a text key, found {key_node.value!r}")
                continue
            key = str(key)
            if key in out:
                first = self.origins.get((*path, key), (self.file, 0))[1]
                self.problem(key_node, (*path, key),
                             f"expected each key once, found {key!r} again "
                             f"(first given on line {first})")
                continue
            self.origins[(*path, key)] = (self.file, key_node.start_mark.line + 1)
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, path, _tag_message(node))
            return None
        value = self.constructor.construct_object(node)
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(node, path, f"expected a finite number, found {node.value}")
            return None
        return value


def _tag_message(node: yaml.Node) -> str:
    tag = printable(node.tag.replace("tag:yaml.org,2002:", "!!"))
    if tag == "!!timestamp" and isinstance(node, yaml.ScalarNode) and not node.style:
        return f"expected plain YAML data, found the date {node.value} (quote it to make it text)"
    return f"expected plain YAML data, found the tag {tag} (not allowed)"


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
        raise ScenarioError([Problem(name, 0, "", "expected a readable YAML file, found "
                                     f"{exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([Problem(name, 0, "", f"expected at most {MAX_BYTES} bytes, "
                                     f"found {len(raw)} bytes")])
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, "", "expected YAML text, found binary data")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, "", "expected UTF-8 text, found "
                                     f"byte 0x{raw[exc.start]:02x}")]) from None


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
