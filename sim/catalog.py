"""Reference tables generated from the registries (levers, bargaining models).

``docs/levers.md`` is written from here (``make docs``) and a test keeps it current, so
the documentation cannot drift from the code.
"""

from __future__ import annotations

import inspect

from sim.bargaining import BARGAINING_MODELS
from sim.levers import LEVERS
from sim.levers.base import LeverSpec

_COMMON = set(LeverSpec.model_fields)


def _fields(spec: type[LeverSpec]) -> str:
    parts = []
    for name, field in spec.model_fields.items():
        if name in _COMMON:
            continue
        default = "" if field.is_required() else f" (default {_default(field.default)})"
        parts.append(f"`{name}`{default}")
    return ", ".join(parts)


def _default(value: object) -> str:
    dumped = getattr(value, "model_dump", None)
    return str(dumped() if dumped else value)


def _doc(obj: object) -> str:
    return " ".join(inspect.getdoc(obj).split()) if inspect.getdoc(obj) else ""


def levers_markdown() -> str:
    """The lever reference as Markdown: type, fields, effect, reference."""
    lines = [
        "# Levers",
        "",
        "Generated from the lever registry by `make docs`; do not edit by hand.",
        "",
        "Every lever also takes `start` (step, default 0), `end` (last step it acts; "
        "default: the horizon), `name`, `source` and `note`. Numbers may be "
        "distributions (docs/scenario-format.md).",
        "",
    ]
    for name in LEVERS.names():
        cls = LEVERS[name]
        lines += [f"## `{name}`", "", f"Fields: {_fields(cls.spec)}.", "", _doc(cls), ""]
        if cls.reference:
            lines += [f"Reference: {cls.reference}.", ""]
    lines += ["# Bargaining models", ""]
    for name in BARGAINING_MODELS.names():
        cls = BARGAINING_MODELS[name]
        lines += [f"## `{name}`", "", _doc(cls), "", f"Reference: {cls.reference}.", ""]
    return "\n".join(lines).rstrip() + "\n"


OUTCOMES_START = "<!-- outcomes: generated from sim/outcomes (make docs) -->"
OUTCOMES_END = "<!-- end of outcomes -->"


def with_outcomes_table(text: str) -> str:
    """``text`` (docs/outputs.md) with the outcomes table between its markers written
    anew from the outcome registry (``sim.outcomes.outputs_markdown``).
    """
    from sim.outcomes import outputs_markdown

    head, found, rest = text.partition(OUTCOMES_START)
    if not found:
        raise ValueError(f"docs/outputs.md has no {OUTCOMES_START!r} marker")
    _, found, tail = rest.partition(OUTCOMES_END)
    if not found:
        raise ValueError(f"docs/outputs.md has no {OUTCOMES_END!r} marker")
    return f"{head}{OUTCOMES_START}\n{outputs_markdown()}{OUTCOMES_END}{tail}"
