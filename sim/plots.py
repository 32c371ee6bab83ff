"""Plots of result sets for notebooks: ``import sim.plots``.

Every function returns a ``matplotlib.figure.Figure`` (displayed inline by Jupyter);
``save_all(results, folder)`` writes them all as PNG files.
"""

from sim.analysis.plots import (
    bands,
    figures,
    forecast_over_time,
    leverage_matrix,
    leverage_network,
    outcome_distributions,
    save_all,
    territory_over_time,
)

__all__ = [
    "bands",
    "figures",
    "forecast_over_time",
    "leverage_matrix",
    "leverage_network",
    "outcome_distributions",
    "save_all",
    "territory_over_time",
]
