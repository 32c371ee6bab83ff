"""The compromise model: positions stay; the outcome is the power-weighted mean.

Reference: van den Bos (1991); Thomson, Stokman, Achen & König (eds.), *The European
Union Decides* (2006).
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.base import BargainingInputs, BargainingModel, register


@register
class Compromise(BargainingModel):
    """Actors keep their positions; the forecast is ``Σ c s x / Σ c s`` over participants."""

    name = "compromise"
    reference = "Thomson et al., The European Union Decides (2006)"

    def update(self, inputs: BargainingInputs) -> np.ndarray:
        """Positions do not change."""
        return inputs.x
