"""The grammar of trigger metrics (``territory.regime``, ``position.assad.tenure``, ...),
parsed in one place for validation and for the run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from difflib import get_close_matches

#: each metric and the kinds of names that follow it
GRAMMAR: dict[str, tuple[str, ...]] = {
    "territory": ("side",),
    "force": ("actor",),
    "stress": ("actor",),
    "cost": ("actor",),
    "position": ("actor", "issue"),
    "forecast": ("issue",),
    "step": (),
}
METRICS = (
    "territory.<side>, force.<actor>, stress.<actor>, cost.<actor>, "
    "position.<actor>.<issue>, forecast.<issue>, step"
)


@dataclass(frozen=True)
class Metric:
    """A parsed metric: its head (``territory``) and the names after it (``regime``,)."""

    head: str
    names: tuple[str, ...]


def parse_metric(metric: str, names: Mapping[str, Collection[str]]) -> Metric:
    """Parse ``metric`` against the scenario's names.

    Args:
        metric: the metric as written, e.g. ``position.assad.tenure``.
        names: the scenario's names by kind: ``side``, ``actor``, ``issue``.

    Raises:
        UnknownName: a name after the head is not declared.
        ValueError: the head is unknown or has the wrong number of names after it.

    """
    head, *rest = metric.split(".")
    if head not in GRAMMAR:
        close = get_close_matches(head, list(GRAMMAR), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"expected a metric (one of {METRICS}), found {metric!r}{hint}")
    kinds = GRAMMAR[head]
    if len(rest) != len(kinds):
        raise ValueError(
            f"expected metric {head} with {len(kinds)} name(s) after it, found {metric!r}"
        )
    for name, kind in zip(rest, kinds, strict=True):
        if name not in names[kind]:
            raise UnknownName(metric, kind, name)
    return Metric(head, tuple(rest))


class UnknownName(ValueError):
    """A metric names an actor, side or issue the scenario does not declare."""

    def __init__(self, metric: str, kind: str, name: str) -> None:
        super().__init__(f"expected a declared {kind} in metric {metric!r}, found {name!r}")
        self.metric, self.kind, self.name = metric, kind, name
