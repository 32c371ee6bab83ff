"""A small name → object registry (levers, bargaining models, outcomes), and the two the
scenario format reads.

The scenario schema needs the lever spec classes (for the ``type``-discriminated union of
levers) and the bargaining models' names, but ``sim.scenario`` sits below ``sim.levers``
and ``sim.bargaining`` (they import it), so it cannot import them. Registering a lever or a
bargaining model therefore also records its spec class or name here, and the schema is
completed from these registries (``sim.scenario.schema.complete``) once the built-in
levers and models are registered (``sim/__init__.py`` does it on import).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Registry(Generic[T]):
    """Objects registered under unique names; iteration follows registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> None:
        """Register ``item`` under ``name``; a name can be taken only once."""
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._items[name] = item

    def __getitem__(self, name: str) -> T:
        return self._items[name]

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def names(self) -> list[str]:
        """The registered names, in registration order."""
        return list(self._items)


#: Lever spec classes by YAML ``type`` (``sim.levers.register`` adds them).
LEVER_SPECS: Registry[type[BaseModel]] = Registry("lever")
#: Bargaining model classes by YAML name (``sim.bargaining.register`` adds them); the
#: scenario schema reads only the names.
BARGAINING_NAMES: Registry[type] = Registry("bargaining model")
