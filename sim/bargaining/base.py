"""The interface every bargaining model implements, and the registry by YAML name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.bargaining.network import Network
from sim.core.registry import BARGAINING_NAMES, Registry
from sim.core.sums import fixed_sum


@dataclass(frozen=True)
class BargainingInputs:
    """What a bargaining model sees at one step, for R replications; positions on the
    normalised [0, 1] scale.

    Attributes:
        x: current positions, shape (R, A, K).
        x0: initial positions, shape (R, A, K).
        salience: shape (R, A, K), in [0, 1].
        capability: bargaining power, shape (R, A), non-negative.
        leverage: effective leverage on the network's edges, shape (R, E).
        network: the leverage network (which holder i and target j each edge joins).
        resolve: shape (R, A), in [0, 1].
        stress: shape (R, A), non-negative.
        participants: the actors taking part in the talks, shape (R, A) bool.

    """

    x: np.ndarray
    x0: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    leverage: np.ndarray
    network: Network
    resolve: np.ndarray
    stress: np.ndarray
    participants: np.ndarray


class BargainingModel:
    """A bargaining model: updates positions once per step and forecasts the talks.

    Subclasses set ``name`` (the YAML ``bargaining.model`` value) and ``reference``.
    One instance serves the R replications of a run; whatever it keeps across rounds is
    kept per replication. Rows are independent: a replication's numbers do not depend on
    the others in its batch.
    """

    name: ClassVar[str]
    reference: ClassVar[str] = ""

    def update(self, inputs: BargainingInputs) -> np.ndarray:
        """Return the new positions, shape (R, A, K), normalised scale."""
        raise NotImplementedError

    def forecast(self, inputs: BargainingInputs) -> np.ndarray:
        """Return the forecast outcome per issue (normalised scale), shape (R, K).

        The default is the capability-and-salience-weighted mean of the participants
        (``weighted_mean_forecast``).
        """
        return weighted_mean_forecast(inputs)


def weighted_mean(
    capability: np.ndarray, participants: np.ndarray, salience: np.ndarray, x: np.ndarray
) -> np.ndarray:
    """The capability-and-salience-weighted mean position of the participants per issue,
    ``Σ c s x / Σ c s``; the plain mean where no one has weight, shape (R, K).

    Args:
        capability: (R, A).
        participants: (R, A) bool.
        salience: (R, A, K).
        x: (R, A, K).

    Source: the compromise model (van den Bos 1991; Thomson et al. 2006).

    """
    w = (capability * participants)[..., :, None] * salience  # (R, A, K)
    total = fixed_sum(w, axis=-2)
    positive = total > 0
    mean = fixed_sum(w * x, axis=-2) / np.where(positive, total, 1.0)
    return mean if positive.all() else np.where(positive, mean, fixed_sum(x, axis=-2) / x.shape[-2])


def weighted_mean_forecast(inputs: BargainingInputs) -> np.ndarray:
    """``weighted_mean`` of the inputs' participants, shape (R, K)."""
    return weighted_mean(inputs.capability, inputs.participants, inputs.salience, inputs.x)


BARGAINING_MODELS: Registry[type[BargainingModel]] = Registry("bargaining model")


def register(cls: type[BargainingModel]) -> type[BargainingModel]:
    """Class decorator: register a bargaining model under its ``name``."""
    BARGAINING_MODELS.add(cls.name, cls)
    BARGAINING_NAMES.add(cls.name, cls)
    return cls
