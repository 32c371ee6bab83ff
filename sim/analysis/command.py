"""``sim compare`` as a function: the comparison table printed, then the files asked for
(CSV, Markdown, the HTML report) written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.compare import (
    Baseline,
    compare,
    format_table,
    parse_outcomes,
    resolve_baseline,
    to_csv,
    to_markdown,
)
from sim.analysis.report import write_report
from sim.results import ResultSet


def compare_command(
    results: Sequence[ResultSet] | ResultSet,
    baseline: Baseline = None,
    outcomes: Sequence[str] | str | None = None,
    csv: str | Path | None = None,
    markdown: str | Path | None = None,
    report: str | Path | None = None,
    console: Any = None,
) -> pd.DataFrame:
    """Everything ``sim compare`` does, given loaded result sets.

    Prints the table to ``console``, then writes the files asked for (CSV, Markdown,
    HTML report) and says so.

    Args:
        results: the runs.
        baseline: see :func:`compare`.
        outcomes: outcome names, a sequence or a comma-separated string.
        csv: where to write the CSV table, or None.
        markdown: where to write the Markdown table, or None.
        report: where to write the HTML report, or None.
        console: a ``rich.console.Console`` (a new one when None).

    Returns:
        The comparison frame.

    """
    if console is None:
        from rich.console import Console

        console = Console()
    frame = compare(results, baseline=baseline, outcomes=parse_outcomes(outcomes))
    console.print(format_table(frame))
    if csv is not None:
        console.print(f"wrote {to_csv(frame, csv)}")
    if markdown is not None:
        target = Path(markdown)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_markdown(frame), encoding="utf-8")
        console.print(f"wrote {target}")
    if report is not None:
        runs, base = resolve_baseline(results, baseline)
        console.print(f"wrote {write_report(runs, frame, report, baseline=base)}")
    return frame
