"""Bargaining models, one module each, registered by their YAML name."""

from sim.bargaining import compromise, eum, influence
from sim.bargaining.base import (
    BARGAINING_MODELS,
    BargainingInputs,
    BargainingModel,
    register,
    weighted_mean_forecast,
)

__all__ = [
    "BARGAINING_MODELS",
    "BargainingInputs",
    "BargainingModel",
    "compromise",
    "eum",
    "influence",
    "register",
    "weighted_mean_forecast",
]
