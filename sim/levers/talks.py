"""The negotiation forum (e.g. Geneva): whose positions make the forecast, and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from sim.levers.base import Id, Lever, LeverSpec, Rows, register

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State


class TalksSpec(LeverSpec):
    """Talks among participants during the lever's window."""

    type: Literal["talks"]
    participants: list[Id] = Field(min_length=1)
    actor_fields = ("participants",)


@register
class Talks(Lever):
    """While active, the talks' forecast is made over the participants (outside any talks it
    is made over all actors), and a settlement is reached when, for ``bargaining.hold``
    consecutive steps, every veto player is within ``bargaining.tolerance`` of the forecast
    on the issues without ``war_outcome`` and the bargaining range is open on the war
    issues (docs/model.md, step 7).
    """

    spec = TalksSpec
    reference = "UNSCR 2254 (2015); docs/model.md, step 7"
    writes = frozenset({"talks", "participants"})

    def setup(self, params: Params) -> None:
        """Resolve the participants."""
        self.members = self.index.actor_indices(self.config.participants)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Open the talks for this step."""
        effects.talks |= rows.mask
        effects.participants[rows.column, self.members] = True
