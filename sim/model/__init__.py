"""The per-replication view of the engine: ``LeverageModel`` and ``StateAgent`` (Mesa)."""

from sim.model.agents import StateAgent
from sim.model.model import LeverageModel, run_replication

__all__ = ["LeverageModel", "StateAgent", "run_replication"]
