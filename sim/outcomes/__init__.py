"""The outcomes of a run: a registry, each outcome declared once (name, kind, headline).

An outcome is a function of a finished engine (``Engine``) returning one or more columns
of the ``outcomes`` table, one value per replication. ``docs/outputs.md`` is generated
from this registry (``outputs_markdown``), and the run summary, ``sim compare`` and
``sim sweep`` take their default outcomes from ``headline``.
"""

from sim.outcomes.registry import OUTCOMES, Outcome, headline, outcome, outputs_markdown
from sim.outcomes.table import leverage_frame, outcome_columns, outcomes_table

__all__ = [
    "OUTCOMES",
    "Outcome",
    "headline",
    "leverage_frame",
    "outcome",
    "outcome_columns",
    "outcomes_table",
    "outputs_markdown",
]
