"""The patterns as a Markdown table (docs/validation.md) and the command that writes it."""

from __future__ import annotations

import math

from sim.analysis.stats import Difference
from sim.validation.patterns import Figure, Pattern


def _number(x: float, share: bool) -> str:
    if math.isnan(x):
        return "–"
    return f"{x:.3f}" if share else f"{x:.1f}"


def format_figure(figure: Figure) -> str:
    """``value [low, high] (n)`` of one figure (shares with 3 decimals, weeks with 1)."""
    v = figure.value
    point = v.diff if isinstance(v, Difference) else v.estimate
    share = "P(" in figure.label
    interval = (
        f"[{_number(v.low, share)}, {_number(v.high, share)}]"
        if not math.isnan(v.low)
        else f"(no interval: {v.note})"
    )
    return f"{_number(point, share)} {interval} (n = {v.n})"


def markdown(patterns: list[Pattern], wars: int, replications: int, seed: int) -> str:
    """The patterns, their figures and verdicts, as Markdown."""
    lines = [
        f"Design: {wars} wars × {replications} replications, seed {seed}.",
        "",
        "| pattern | literature | figure | model (95% interval, n) | direction |",
        "|---|---|---|---|---|",
    ]
    for p in patterns:
        verdict = "holds" if p.holds else "**fails**"
        for n, f in enumerate(p.figures):
            head = (p.claim, p.literature) if n == 0 else ("", "")
            lines.append(
                f"| {head[0]} | {head[1]} | {f.label} | {format_figure(f)} | "
                f"{verdict if n == 0 else ''} |"
            )
        lines.append(f"| | | *{p.model}* | | |")
    return "\n".join(lines) + "\n"


def ranges_table() -> str:
    """The generator's ranges with their provenance, as Markdown."""
    from sim.validation.ranges import RANGES

    lines = ["| range | low | high | source | note |", "|---|---|---|---|---|"]
    for name, r in RANGES.items():
        scale = " (log)" if r.log else ""
        lines.append(f"| `{name}`{scale} | {r.low:g} | {r.high:g} | {r.source} | {r.note} |")
    return "\n".join(lines) + "\n"
