"""``StateAgent``: the readable per-actor view of the model's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.model.model import LeverageModel


class StateAgent(mesa.Agent):
    """A state or armed group. The numbers live in the model's arrays; this is their view.

    Attributes:
        actor_id: the actor's id in the scenario.
        row: the actor's index in the model's arrays.

    """

    def __init__(self, model: LeverageModel, row: int, actor_id: str) -> None:
        super().__init__(model)
        self.row = row
        self.actor_id = actor_id

    @property
    def side(self) -> str | None:
        """The side it fights for or backs, or None."""
        b = self.model.index.side_of[self.row]
        return self.model.index.sides[b] if b >= 0 else None

    @property
    def force(self) -> float:
        """Current force in the theatre."""
        return float(self.model.state.total_force()[self.row])

    @property
    def positions(self) -> dict[str, float]:
        """Current position on each issue, on the issue's own scale."""
        scaled = self.model.blueprint.to_scale(self.model.state.x[self.row])
        return dict(zip(self.model.index.issues, map(float, scaled), strict=True))

    @property
    def stress(self) -> float:
        """Cumulative cost relative to pain tolerance."""
        return float(self.model.state.pain[self.row] / self.model.params.pain_tolerance[self.row])

    @property
    def cost(self) -> float:
        """Cumulative cost as a fraction of its economy."""
        return float(self.model.state.pain[self.row])

    @property
    def leverage(self) -> dict[str, float]:
        """Effective leverage over each other actor (non-zero entries)."""
        row = self.model.state.leverage[self.row]
        return {a: float(v) for a, v in zip(self.model.index.actors, row, strict=True) if v > 0}

    def __repr__(self) -> str:
        return f"StateAgent({self.actor_id!r}, force={self.force:.3g}, stress={self.stress:.3g})"
