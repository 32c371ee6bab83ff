"""``load_scenario``: read, compose, override and validate a scenario file.

Every problem is reported with its file, line and dotted path, all at once, as one
``ScenarioError``.
"""

from __future__ import annotations

import types
import typing
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.errors import Problem, ScenarioError
from sim.scenario.compose import apply_overrides, kind, read_composed
from sim.scenario.schema import Scenario, spec_classes, type_of
from sim.scenario.validate import semantic_problems
from sim.scenario.yamlio import Located, PathKey, dotted

#: the sections the semantic checks read, each a mapping or a list of items.
_CHECKED = {
    "issues": dict,
    "sides": dict,
    "actors": dict,
    "levers": list,
    "triggers": list,
    "fronts": list,
}
_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]*$"
_NAME = "a name of letters, digits, '_' or '-' (starting with a letter or '_')"


def load_scenario(
    path: str | Path, overrides: dict[str, Any] | list[str] | None = None
) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: the YAML file.
        overrides: values to set after ``extends`` is resolved, as ``{"a.b": value}`` or
            ``["a.b=value", ...]``.

    Returns:
        The validated, fully resolved scenario (``extends`` merged, overrides applied).

    Raises:
        ScenarioError: one located problem per thing wrong with the input.

    """
    path = Path(path)
    located = apply_overrides(read_composed(path), overrides)
    return validate_located(located, str(path))


def validate_located(located: Located, file: str) -> Scenario:
    """Validate composed data, turning every problem into a located ``Problem``.

    When the structure is wrong, the semantic checks still run on the parts that are
    right, so that all problems are reported at once.
    """
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [_problem(located, file, err) for err in errors]
        partial = _partial(located.data, errors)
        if partial is not None:
            problems += _semantic(located, file, partial)
        raise ScenarioError(problems) from None
    problems = _semantic(located, file, scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _semantic(located: Located, file: str, scenario: Scenario) -> list[Problem]:
    problems = []
    for loc, message in semantic_problems(scenario):
        where_file, line = located.where(loc, file)
        problems.append(Problem(where_file, line, dotted(loc), message))
    return problems


def _partial(data: Any, errors: list[dict[str, Any]]) -> Scenario | None:
    """The sections the semantic checks read, with every item that failed set to ``None``.

    Returns None when one of these sections is itself broken (so its names are unknown).
    """
    if not isinstance(data, dict):
        return None
    failed = {tuple(err["loc"][:2]) for err in errors}
    sections: dict[str, Any] = {}
    for name, container in _CHECKED.items():
        value = data.get(name, container())
        if (name,) in failed or not isinstance(value, container):
            return None
        annotation = Scenario.model_fields[name].annotation
        if type(None) in typing.get_args(annotation):  # (an optional section: its type)
            annotation = typing.get_args(annotation)[0]
        adapter = TypeAdapter(typing.get_args(annotation)[-1])
        keys = value if isinstance(value, dict) else range(len(value))
        items = {
            key: None if (name, key) in failed else _valid(adapter, value[key]) for key in keys
        }
        sections[name] = items if isinstance(value, dict) else list(items.values())
    return Scenario.model_construct(**sections)


def _valid(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def _problem(located: Located, file: str, err: dict[str, Any]) -> Problem:
    path, extra = _document_path(located.data, err["loc"])
    node = _node(located.data, path)
    if err["type"] == "union_tag_invalid" and isinstance(node, dict) and "type" in node:
        path = (*path, "type")
    where_file, line = located.where(path, file)
    return Problem(where_file, line, dotted(path), _message(err, path, extra, located.data))


def _document_path(data: Any, loc: tuple) -> tuple[PathKey, str | None]:
    """Map a pydantic ``loc`` onto the document, dropping union tags and validator names.

    Returns the path and, for an invalid mapping key, ``"[key]"``.
    """
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if part == "[key]":
            return tuple(path), "[key]"
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing or unknown key
            node = None
        # else: a union tag or validator name, not in the document
    return tuple(path), None


def _node(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _message(err: dict[str, Any], path: PathKey, extra: str | None, data: Any) -> str:
    kind_ = err["type"]
    found = kind(err.get("input"))
    msg = err["msg"]
    ctx = err.get("ctx", {})
    if extra == "[key]":
        return f"expected {_NAME}, found {found}"
    if kind_ == "extra_forbidden":
        allowed = allowed_keys(data, path[:-1])
        close = get_close_matches(str(path[-1]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"expected a known key, found {path[-1]!r}{hint} (known: {', '.join(allowed)})"
    if kind_ == "missing" and isinstance(err["loc"][-1], int):
        size = len(typing.get_args(_unwrap(_type_at(data, path), _node(data, path))))
        return f"expected a list of {size} items, found {kind(_node(data, path))}"
    if kind_ == "missing":
        return f"expected the required key {path[-1]!r}, found it missing"
    if kind_ == "value_error":
        return msg.removeprefix("Value error, ")
    if kind_ in ("union_tag_invalid", "union_tag_not_found"):
        types_ = [type_of(spec) for spec in spec_classes()]
        tag = _node(data, path) if kind_ == "union_tag_invalid" else None
        close = get_close_matches(str(tag), types_, n=1) if tag is not None else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        found = "no type" if tag is None else kind(tag)
        return f"expected a lever type (one of {', '.join(types_)}), found {found}{hint}"
    simple = {
        "float_type": "a number",
        "float_parsing": "a number",
        "int_type": "an integer",
        "int_parsing": "an integer",
        "int_from_float": "an integer",
        "bool_type": "true or false",
        "string_type": "text",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
        "list_type": "a list",
        "tuple_type": "a list",
        "finite_number": "a finite number",
    }
    if kind_ in simple:
        return f"expected {simple[kind_]}, found {found}"
    if kind_ in ("too_short", "too_long"):
        noun = "a mapping" if ctx.get("field_type") == "Dictionary" else "a list"
        most = "least" if kind_ == "too_short" else "most"
        limit = ctx.get("min_length" if kind_ == "too_short" else "max_length")
        items = "item" if limit == 1 else "items"
        return f"expected {noun} of at {most} {limit} {items}, found {found}"
    bounds = {
        "greater_than_equal": ">=",
        "greater_than": ">",
        "less_than_equal": "<=",
        "less_than": "<",
    }
    if kind_ in bounds:
        limit = next(iter(ctx.values()))
        noun = "an integer" if _unwrap(_type_at(data, path), None) is int else "a number"
        shown = f"{limit:,}" if isinstance(limit, int) else f"{limit:g}"
        return f"expected {noun} {bounds[kind_]} {shown}, found {found}"
    if kind_ == "string_pattern_mismatch" and ctx.get("pattern") == _ID_PATTERN:
        return f"expected {_NAME}, found {found}"
    if kind_ in ("literal_error", "string_pattern_mismatch"):
        expected = msg.replace("Input should be ", "").replace(
            "String should match pattern", "text matching"
        )
        return f"expected {expected}, found {found}"
    return f"{msg}, found {found}"


def allowed_keys(data: Any, path: PathKey) -> list[str]:
    """The keys the format allows at ``path`` (a mapping of a model) in ``data``."""
    tp = _unwrap(_type_at(data, path), _node(data, path))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or name for name, f in tp.model_fields.items()]
    return []


def _type_at(data: Any, path: PathKey) -> Any:
    """The type the format expects at ``path`` in ``data`` (possibly still wrapped)."""
    tp: Any = Scenario
    node = data
    for part in path:
        tp = _unwrap(tp, node)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = _field(tp, part)
            tp = field.annotation if field else None
        else:
            args = typing.get_args(tp)
            tp = args[-1] if args else None
        node = _node(node, (part,))
    return tp


def _field(model: type[BaseModel], key: str | int) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f
    return None


def _unwrap(tp: Any, node: Any) -> Any:
    """Strip Annotated/Optional; pick a lever spec by the node's ``type``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            chosen = None
            if isinstance(node, dict):
                for option in options:
                    field = getattr(option, "model_fields", {}).get("type")
                    if field is not None and node.get("type") in typing.get_args(field.annotation):
                        chosen = option
            tp = chosen or options[0]
        else:
            return tp
