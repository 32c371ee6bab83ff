"""The outcome registry: ``@outcome(name, kind=..., headline=...)``."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.core.registry import Registry

if TYPE_CHECKING:
    from sim.engine.engine import Engine

Columns = dict[str, np.ndarray]
KINDS = ("flag", "step", "share", "position", "cost", "category", "amount", "number")


@dataclass(frozen=True)
class Outcome:
    """One outcome (or a family of them, such as ``territory.<side>``).

    Attributes:
        name: the column name, with ``<side>``, ``<actor>``, ``<issue>``, ``<trigger>``,
            ``<threat>`` (a sanctions threat's name) or ``<path>`` standing for the
            scenario's ids in a family.
        kind: what its values are (``flag``: true/false, a probability across
            replications; ``step``; ``share``; ``position`` on an issue's scale; ``cost``;
            ``category``; ``amount``; ``number``).
        headline: shown by default by ``sim run``, ``sim compare`` and ``sim sweep``.
        meaning: one line for docs/outputs.md.
        compute: the columns of a finished engine, one value per replication each.

    """

    name: str
    kind: str
    headline: bool
    meaning: str
    compute: Callable[[Engine], Columns]

    @property
    def pattern(self) -> str:
        """A glob matching the outcome's columns (``territory.*``)."""
        head, *rest = self.name.split(".")
        return (
            head
            if not rest
            else head + "." + ".".join("*" if part.startswith("<") else part for part in rest)
        )


OUTCOMES: Registry[Outcome] = Registry("outcome")


def outcome(
    name: str, *, kind: str, headline: bool = False
) -> Callable[[Callable[[Engine], Columns]], Callable[[Engine], Columns]]:
    """Decorator: register a function computing an outcome's columns.

    The function's docstring (its first line) is the outcome's meaning in the docs.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outcome kind {kind!r}; expected one of {KINDS}")

    def register(compute: Callable[[Engine], Columns]) -> Callable[[Engine], Columns]:
        meaning = (compute.__doc__ or "").strip().splitlines()[0]
        OUTCOMES.add(name, Outcome(name, kind, headline, meaning, compute))
        return compute

    return register


def headline(columns: Iterable[str]) -> list[str]:
    """The headline outcomes among ``columns`` (in the order given). A category outcome
    (``victory``) also matches its per-category indicators (``victory.<side>``).
    """
    patterns = []
    for name in OUTCOMES:
        o = OUTCOMES[name]
        if o.headline:
            patterns += [o.pattern, f"{o.pattern}.*"] if o.kind == "category" else [o.pattern]
    return [c for c in columns if any(fnmatch.fnmatchcase(c, p) for p in patterns)]


def outputs_markdown() -> str:
    """The table of outcomes for docs/outputs.md, generated from the registry."""
    lines = [
        "| column | kind | headline | meaning |",
        "|---|---|---|---|",
        "| `replication` | number | | replication number (0-based) |",
    ]
    for name in OUTCOMES:
        o = OUTCOMES[name]
        lines.append(f"| `{o.name}` | {o.kind} | {'yes' if o.headline else ''} | {o.meaning} |")
    return "\n".join(lines) + "\n"
