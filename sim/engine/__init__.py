"""The array-first engine: R replications of a scenario stepped together (docs/model.md)."""

from sim.engine.arrays import Effects, Params, State
from sim.engine.blueprint import Blueprint, Index
from sim.engine.engine import Engine
from sim.engine.streams import Streams

#: the version of the engine's equations: result sets record it, and a set is resumed only by
#: the engine version that started it (2: the array-first engine of issue 13)
ENGINE_VERSION = 2

__all__ = [
    "ENGINE_VERSION",
    "Blueprint",
    "Effects",
    "Engine",
    "Index",
    "Params",
    "State",
    "Streams",
]
