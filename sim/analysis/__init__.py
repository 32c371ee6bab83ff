"""Analysis of result sets: comparison tables with honest intervals, plots, HTML reports.

The function is ``sim.analysis.compare.compare`` (re-exported as ``sim.compare``); it is
not re-exported here because it would hide the ``sim.analysis.compare`` module. The table
helpers are imported eagerly (pandas only); the plotting and report modules load
matplotlib, so they are imported on first use.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.command import compare_command
from sim.analysis.compare import (
    COLUMNS,
    default_outcomes,
    format_table,
    to_csv,
    to_markdown,
)

__all__ = [
    "COLUMNS",
    "compare_command",
    "default_outcomes",
    "format_table",
    "to_csv",
    "to_markdown",
    "write_report",
    "save_all",
]


def __getattr__(name: str) -> Any:
    if name == "write_report":
        from sim.analysis.report import write_report

        return write_report
    if name == "save_all":
        from sim.analysis.plots import save_all

        return save_all
    raise AttributeError(f"module 'sim.analysis' has no attribute {name!r}")
