"""What every lever shares: its YAML fields, its window, and the registry by YAML ``type``.

A lever is one small module holding two things: a ``LeverSpec`` subclass (the
YAML fields, validated by pydantic) and a ``Lever`` subclass (what it does to one
step of the model), registered with ``@register``. Adding a lever touches nothing
else: the scenario schema, the validator and the docs read the registry. (``LeverSpec``,
``Id`` and ``Step`` belong to the scenario format, ``sim.scenario.schema``; they are
imported here for the levers.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel

from sim.core.registry import LEVER_SPECS, Registry
from sim.scenario.schema import Id, LeverSpec, Step, spec_classes, type_of

if TYPE_CHECKING:
    from sim.engine.arrays import Effects, Params, State
    from sim.engine.blueprint import Index


class Lever:
    """One lever acting in R replications at once.

    Subclasses set ``spec`` (their ``LeverSpec``), ``reference`` and ``writes`` (the
    ``Effects`` fields ``act`` may write; a test holds every lever to it), and implement
    ``act``. ``values`` holds every number of the spec as drawn for each replication, an
    (R,) array per name; what a lever remembers across steps is kept per replication, in
    (R, ...) arrays on the lever.

    Args:
        spec: the lever's YAML fields.
        values: each number of the spec, shape (R,) each.
        index: names and positions of actors, sides and issues.
        params: the run's parameters (R rows).
        start: the first step of the window in each replication, shape (R,) (``inf``
            where a triggered lever has not started).
        end: the last step of the window in each replication, shape (R,) (``inf``: none).

    """

    spec: ClassVar[type[LeverSpec]]
    reference: ClassVar[str] = ""
    #: the ``Effects`` fields ``act`` writes (``force`` for deployments)
    writes: ClassVar[frozenset[str]] = frozenset()
    #: uniform numbers the lever needs per replication (from the replication's lever
    #: stream, handed over by the engine with ``bind``)
    draws: ClassVar[int] = 0

    def __init__(
        self,
        spec: LeverSpec,
        values: dict[str, np.ndarray],
        index: Index,
        params: Params,
        start: np.ndarray,
        end: np.ndarray,
    ) -> None:
        self.config = spec
        self.values = values
        self.index = index
        self.start = start
        self.end = end
        # (a window the same in every row, as scheduled levers have: ``active`` is all or
        # nothing, answered without comparing rows)
        same = len(start) > 0 and bool((start == start[0]).all() and (end == end[0]).all())
        self._window = (float(start[0]), float(end[0])) if same else None
        self._all, self._none = np.ones(len(start), dtype=bool), np.zeros(len(start), dtype=bool)
        self._all.flags.writeable = self._none.flags.writeable = False
        self.setup(params)

    @classmethod
    def leverage_pairs(cls, spec: LeverSpec, index: Index) -> list[tuple[int, int]]:
        """The (holder, target) pairs where the lever may write leverage
        (``aid_leverage``, ``conditional``); the engine keeps leverage on those edges
        and on those of structural leverage (a test holds every lever to it).
        """
        return []

    def setup(self, params: Params) -> None:
        """Prepare index arrays and per-replication memory once (optional)."""

    def bind(self, horizon: int, uniforms: np.ndarray) -> None:
        """Called by the engine after construction: the run's horizon (its last step) and
        the lever's ``draws`` uniform numbers per replication, shape (R, draws) (NaN in the
        rows where the lever never starts). Each row's numbers come from its own lever stream,
        taken in the order levers are made, so they do not depend on the batch.
        """
        self.horizon = horizon
        self.uniforms = uniforms

    def active(self, step: int) -> np.ndarray:
        """Whether ``step`` is inside the lever's window, per replication, shape (R,)
        (read-only when the window is the same in every row).
        """
        if self._window is not None:
            first, last = self._window
            return self._all if first <= step <= last else self._none
        return (self.start <= step) & (step <= self.end)

    def act(self, step: int, state: State, params: Params, effects: Effects, rows: Rows) -> None:
        """Write this lever's effects for step ``step`` into ``effects``, in ``rows`` only.

        Args:
            step: the step being taken.
            state: the previous step's state.
            params: the run's parameters.
            effects: this step's effects, written by the levers in order.
            rows: the replications where the lever is active and running.

        """
        raise NotImplementedError


class Rows:
    """The replications a lever acts in at a step, in the forms indexing needs.

    Attributes:
        mask: (R,) bool.
        at: selects those rows along the replication axis: a slice when every row is
            chosen (basic indexing: no copies), else their indices.
        column: ``at`` shaped to broadcast against an index of another axis (``(n, 1)``).

    """

    def __init__(self, mask: np.ndarray) -> None:
        self.mask = mask
        every = bool(mask.all())
        self.at: slice | np.ndarray = slice(None) if every else np.flatnonzero(mask)
        self.column: slice | np.ndarray = self.at if every else self.at[:, None]


LEVERS: Registry[type[Lever]] = Registry("lever")


def register(cls: type[Lever]) -> type[Lever]:
    """Class decorator: register a lever under its spec's YAML ``type``."""
    LEVERS.add(type_of(cls.spec), cls)
    LEVER_SPECS.add(type_of(cls.spec), cls.spec)
    return cls


def number_fields(spec: BaseModel, prefix: str = "") -> dict[str, Any]:
    """The spec's numeric parameters (``Param`` values) by field name; those of a nested
    mapping by dotted name (``demand.value``), as their paths in the document.
    """
    from sim.scenario.params import Param

    out: dict[str, Any] = {}
    for k, v in spec:
        if isinstance(v, Param):
            out[prefix + k] = v
        elif isinstance(v, BaseModel):
            out |= number_fields(v, f"{prefix}{k}.")
    return out


__all__ = [
    "LEVERS",
    "Id",
    "Lever",
    "LeverSpec",
    "Rows",
    "Step",
    "number_fields",
    "register",
    "spec_classes",
    "type_of",
]
