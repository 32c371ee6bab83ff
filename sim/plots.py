"""Plots of result sets for notebooks: ``import sim.plots``.

Every function returns a ``matplotlib.figure.Figure``; ``save_all(results, folder)``
writes them all as PNG files. The figures are made without pyplot, so they need no
display (headless they render with Agg) and nothing accumulates in pyplot. Inside
IPython/Jupyter, importing this module loads the configured matplotlib backend, so
the inline backend is active and a returned figure is shown as an image.
"""

import sys

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


def _enable_notebook_display() -> None:
    """In IPython, load the matplotlib backend now (the inline one registers figure display)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or getattr(ipython, "get_ipython", lambda: None)() is None:
        return
    import matplotlib
    import matplotlib.pyplot as plt

    plt.switch_backend(matplotlib.get_backend())


_enable_notebook_display()
