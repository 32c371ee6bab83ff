"""Composition: ``extends`` (deep merge of a parent file) and ``--set`` overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError
from sim.scenario.yamlio import (
    Located,
    PathKey,
    dotted,
    parse,
    parse_scalar,
    printable,
    read_text,
)

APPENDED = ("levers", "triggers")


def read_composed(path: Path, _chain: tuple[Path, ...] = ()) -> Located:
    """Read a scenario file and everything it ``extends``, merged into one located document.

    Raises:
        ScenarioError: for unreadable files, cycles and missing parents.

    """
    located = parse(read_text(path), str(path))
    data = located.data
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    located.where(())[1],
                    "",
                    f"expected a mapping of scenario keys, found {kind(data)}",
                )
            ]
        )
    parent_ref = data.get("extends")
    if parent_ref is None:
        return located
    file, line = located.where(("extends",))
    if not isinstance(parent_ref, str):
        raise ScenarioError(
            [Problem(file, line, "extends", f"expected a file name, found {kind(parent_ref)}")]
        )
    parent_path = (path.parent / parent_ref).resolve()
    chain = (*_chain, path.resolve())
    if parent_path in chain:
        cycle = " -> ".join(p.name for p in (*chain, parent_path))
        raise ScenarioError(
            [
                Problem(
                    file,
                    line,
                    "extends",
                    f"expected a parent that does not extend this file, found a cycle: {cycle}",
                )
            ]
        )
    if not parent_path.is_file():
        raise ScenarioError(
            [
                Problem(
                    file,
                    line,
                    "extends",
                    "expected an existing parent file, "
                    f"found no file {parent_ref!r} next to this one",
                )
            ]
        )
    parent = read_composed(parent_path, chain)
    child = {k: v for k, v in data.items() if k != "extends"}
    origins = {k: v for k, v in located.origins.items() if k[:1] != ("extends",)}
    return merge(parent, Located(child, origins))


def merge(parent: Located, child: Located) -> Located:
    """Deep-merge ``child`` into ``parent``: maps by key, ``levers``/``triggers`` appended."""
    origins = dict(parent.origins)
    data = _merge(parent.data, child.data, (), child.origins, origins, parent)
    return Located(data, origins)


NUMBER_KEYS = {"value", "uniform", "normal", "triangular", "beta", "choice"}
NAME_MAPS = ("position", "salience", "leverage", "ties")


def _named(path: PathKey) -> bool:
    """True for the mappings keyed by ids (an actor may be called ``normal``)."""
    return path in (("issues",), ("sides",), ("actors",)) or (
        len(path) == 3 and path[0] == "actors" and path[2] in NAME_MAPS
    )


def _merge(
    base: Any, top: Any, path: PathKey, top_origins: dict, origins: dict, parent: Located
) -> Any:
    if (
        isinstance(base, dict)
        and isinstance(top, dict)
        and (_named(path) or not NUMBER_KEYS & set(top))
    ):
        out = dict(base)
        for key, value in top.items():
            sub = (*path, key)
            if key in out:
                out[key] = _merge(out[key], value, sub, top_origins, origins, parent)
            else:
                out[key] = value
                _copy_origins(top_origins, origins, sub, sub)
            origins[sub] = top_origins.get(sub, origins.get(sub))
        return out
    if len(path) == 1 and path[0] in APPENDED and isinstance(base, list) and isinstance(top, list):
        return _merge_named_list(base, top, path, top_origins, origins)
    _drop_origins(origins, path)
    _copy_origins(top_origins, origins, path, path)
    return top


def _merge_named_list(
    base: list, top: list, path: PathKey, top_origins: dict, origins: dict
) -> list:
    """Append ``top``'s items to ``base``; an item whose ``name`` matches one of ``base``'s
    replaces it in place (so its index, and its parameters' random streams, are kept).
    """
    out = list(base)
    names = {
        item.get("name"): i
        for i, item in enumerate(base)
        if isinstance(item, dict) and item.get("name") is not None
    }
    for i, item in enumerate(top):
        name = item.get("name") if isinstance(item, dict) else None
        target = names.get(name) if name is not None else None
        if target is None:
            target = len(out)
            out.append(item)
        else:
            out[target] = item
            _drop_origins(origins, (*path, target))
        _copy_origins(top_origins, origins, (*path, i), (*path, target))
    return out


def _copy_origins(src: dict, dst: dict, old: PathKey, new: PathKey) -> None:
    n = len(old)
    for key, where in src.items():
        if key[:n] == old:
            dst[new + key[n:]] = where


def _drop_origins(origins: dict, path: PathKey) -> None:
    n = len(path)
    for key in [k for k in origins if k[:n] == path and len(k) > n]:
        del origins[key]


def apply_overrides(located: Located, overrides: dict[str, Any] | list[str] | None) -> Located:
    """Set values by dotted path (``actors.russia.resolve``), after composition.

    Args:
        located: the composed document.
        overrides: ``{"path": value}`` (values used as given; strings are read as YAML)
            or ``["path=value", ...]`` as typed on the command line.

    Raises:
        ScenarioError: malformed overrides or paths through something that is not a mapping.

    """
    if not overrides:
        return located
    items = _override_items(overrides)
    problems = []
    for path_text, value in items:
        origin = f"--set {printable(path_text)}"
        try:
            _set(located, path_text, value, origin)
        except _BadPath as exc:
            problems.append(Problem(origin, 0, printable(path_text), str(exc)))
    if problems:
        raise ScenarioError(problems)
    return located


def _override_items(overrides: dict[str, Any] | list[str]) -> list[tuple[str, Any]]:
    if isinstance(overrides, dict):
        return [
            (str(k), parse_scalar(v, f"--set {printable(str(k))}") if isinstance(v, str) else v)
            for k, v in overrides.items()
        ]
    items, problems = [], []
    for text in overrides:
        path_text, sep, value_text = text.partition("=")
        if not sep or not path_text.strip():
            problems.append(
                Problem(
                    f"--set {printable(text)}",
                    0,
                    "",
                    f"expected path=value (e.g. actors.russia.resolve=0.9), found {text!r}",
                )
            )
            continue
        path_text = path_text.strip()
        try:
            items.append((path_text, parse_scalar(value_text, f"--set {printable(path_text)}")))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return items


class _BadPath(Exception):
    pass


def _set(located: Located, path_text: str, value: Any, origin: str) -> None:
    parts = path_text.split(".")
    if any(not p for p in parts):
        raise _BadPath(f"expected a dotted path like actors.russia.resolve, found {path_text!r}")
    node = located.data
    path: PathKey = ()
    for part in parts[:-1]:
        node, path = _descend(node, path, part, (origin, located.origins))
    last = parts[-1]
    if isinstance(node, list):
        _, key = _list_index(node, path, last)
    elif isinstance(node, dict):
        key = last
    else:
        raise _BadPath(
            f"expected a mapping or a list at {dotted(path) or 'top level'}, found {kind(node)}"
        )
    node[key] = value
    full = (*path, key)
    _drop_origins(located.origins, full)
    located.origins[full] = (origin, 0)


def _descend(node: Any, path: PathKey, part: str, blame: tuple[str, dict]) -> tuple[Any, PathKey]:
    """One step down ``path``; a missing mapping is created, its origin the override."""
    if isinstance(node, dict):
        if part not in node or node[part] is None:
            origin, origins = blame
            node[part] = {}
            origins[(*path, part)] = (origin, 0)
        return node[part], (*path, part)
    if isinstance(node, list):
        i, _ = _list_index(node, path, part)
        return node[i], (*path, i)
    raise _BadPath(
        f"expected a mapping or a list at {dotted(path) or 'top level'}, found {kind(node)}"
    )


def _list_index(node: list, path: PathKey, part: str) -> tuple[int, int]:
    if not node:
        raise _BadPath(f"expected an index into {dotted(path)}, found an empty list")
    if not part.isdigit() or int(part) >= len(node):
        raise _BadPath(
            f"expected an index from 0 to {len(node) - 1} in {dotted(path)}, found {part!r}"
        )
    return int(part), int(part)


def kind(value: Any) -> str:
    """A short description of a YAML value's kind, for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list) and not value:
        return "an empty list"
    if isinstance(value, list):
        scalars = all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in value)
        short = scalars and len(value) <= 4 and len(repr(value)) <= 40
        return repr(value) if short else "a list"
    if isinstance(value, str):
        return f"text {value!r}"
    return repr(value)
