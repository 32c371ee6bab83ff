"""The array-first engine: R replications of a scenario stepped together (docs/model.md)."""

from sim.engine.arrays import Effects, Params, State
from sim.engine.blueprint import Blueprint, Index
from sim.engine.engine import Engine
from sim.engine.streams import Streams

__all__ = ["Blueprint", "Effects", "Engine", "Index", "Params", "State", "Streams"]
