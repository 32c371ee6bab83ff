"""``StateAgent``: the readable per-actor view of the engine's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.model.model import LeverageModel


class StateAgent(mesa.Agent):
    """A state or armed group. The numbers live in the engine's arrays; this is their view.

    Attributes:
        actor_id: the actor's id in the scenario.
        column: the actor's index along the engine's actor axis.

    """

    def __init__(self, model: LeverageModel, column: int, actor_id: str) -> None:
        super().__init__(model)
        self.column = column
        self.actor_id = actor_id

    def _state(self):  # noqa: ANN202 - the engine's state and this replication's row
        m = self.model
        return m.engine.state, m.row

    @property
    def side(self) -> str | None:
        """The side it fights for or backs, or None."""
        b = self.model.index.side_of[self.column]
        return self.model.index.sides[b] if b >= 0 else None

    @property
    def force(self) -> float:
        """Current force in the theatre (own force as its economy sustains it, plus force
        committed by levers).
        """
        state, r = self._state()
        c = self.column
        return float(state.force[r, c] * state.capacity[r, c] + state.extra_force[r, c])

    @property
    def positions(self) -> dict[str, float]:
        """Current position on each issue, on the issue's own scale."""
        state, r = self._state()
        scaled = self.model.blueprint.to_scale(state.x[r, self.column])
        return dict(zip(self.model.index.issues, map(float, scaled), strict=True))

    @property
    def stress(self) -> float:
        """Cumulative cost relative to pain tolerance."""
        state, r = self._state()
        return float(
            state.pain[r, self.column] / self.model.engine.params.pain_tolerance[r, self.column]
        )

    @property
    def cost(self) -> float:
        """Cumulative cost as a fraction of its economy."""
        state, r = self._state()
        return float(state.pain[r, self.column])

    @property
    def leverage(self) -> dict[str, float]:
        """Effective leverage over each other actor (non-zero entries)."""
        row = self.model.leverage[self.column]
        return {a: float(v) for a, v in zip(self.model.index.actors, row, strict=True) if v > 0}

    def __repr__(self) -> str:
        return f"StateAgent({self.actor_id!r}, force={self.force:.3g}, stress={self.stress:.3g})"
