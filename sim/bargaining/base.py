"""The interface every bargaining model implements, and the registry by YAML name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.registry import Registry


@dataclass
class BargainingInputs:
    """What a bargaining model sees at one step; positions on the normalised [0, 1] scale.

    Attributes:
        x: current positions, shape (actors, issues).
        x0: initial positions, shape (actors, issues).
        salience: shape (actors, issues), in [0, 1].
        capability: bargaining power, shape (actors,), non-negative.
        leverage: effective leverage E[i, j] of i over j, shape (actors, actors).
        resolve: shape (actors,), in [0, 1].
        stress: shape (actors,), non-negative.
        participants: boolean mask of the actors taking part in the talks, shape (actors,).

    """

    x: np.ndarray
    x0: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    leverage: np.ndarray
    resolve: np.ndarray
    stress: np.ndarray
    participants: np.ndarray


class BargainingModel:
    """A bargaining model: updates positions once per step and forecasts the talks.

    Subclasses set ``name`` (the YAML ``bargaining.model`` value) and ``reference``.
    One instance serves one replication, so a model may keep state across rounds.
    """

    name: ClassVar[str]
    reference: ClassVar[str] = ""

    def update(self, inputs: BargainingInputs) -> np.ndarray:
        """Return the new positions, shape (actors, issues), normalised scale."""
        raise NotImplementedError

    def forecast(self, inputs: BargainingInputs) -> np.ndarray:
        """Return the forecast outcome per issue (normalised scale), shape (issues,).

        The default is the capability-and-salience-weighted mean of the participants.
        """
        return weighted_mean_forecast(inputs)


def weighted_mean_forecast(inputs: BargainingInputs) -> np.ndarray:
    """Capability-and-salience-weighted mean position of the participants, per issue."""
    w = (inputs.capability * inputs.participants)[:, None] * inputs.salience
    total = w.sum(axis=0)
    mean = (w * inputs.x).sum(axis=0) / np.where(total > 0, total, 1.0)
    return np.where(total > 0, mean, inputs.x.mean(axis=0))


BARGAINING_MODELS: Registry[type[BargainingModel]] = Registry("bargaining model")


def register(cls: type[BargainingModel]) -> type[BargainingModel]:
    """Class decorator: register a bargaining model under its ``name``."""
    BARGAINING_MODELS.add(cls.name, cls)
    return cls
