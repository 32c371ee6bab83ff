"""The interface every bargaining model implements, and the registry by YAML name."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

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

    The model hands over new arrays when values change and does not modify arrays in
    place once handed over, so a model may keep what it derives from them (``Derived``)
    for as long as it is given the same array objects.

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

        The default is the capability-and-salience-weighted mean of the participants
        (``weighted_mean_forecast``; the weights are kept while their inputs stay the same).
        """
        weights = self.mean_weights(inputs.capability, inputs.participants, inputs.salience)
        return weighted_mean(weights, inputs.x)

    def mean_weights(self, capability: np.ndarray, participants: np.ndarray,
                     salience: np.ndarray) -> ForecastWeights:
        """The weights of the default forecast (kept while given the same arrays)."""
        derived = self.__dict__.get("_forecast_weights")
        if derived is None:
            derived = self._forecast_weights = Derived(forecast_weights)
        return derived(capability, participants, salience)


class Derived:
    """A value computed from some arrays, kept while it is asked for with the same objects.

    Args:
        compute: the function of the arrays.

    """

    def __init__(self, compute: Callable[..., Any]) -> None:
        self.compute = compute
        self.args: tuple = ()
        self.value: Any = None

    def __call__(self, *args: Any) -> Any:
        """``compute(*args)``, computed again only when an argument is a new object."""
        if len(args) != len(self.args) or not all(map(operator.is_, args, self.args)):
            self.value = self.compute(*args)
            self.args = args
        return self.value


@dataclass(frozen=True)
class ForecastWeights:
    """The weights ``c_i · s_ik`` of the participants in the forecast, and their totals."""

    w: np.ndarray  # (A, K)
    total: np.ndarray  # (K,)
    divisor: np.ndarray  # (K,): the total, or 1 where it is 0
    everywhere: bool  # every issue has a positive total


def forecast_weights(capability: np.ndarray, participants: np.ndarray,
                     salience: np.ndarray) -> ForecastWeights:
    """The weights of the capability-and-salience-weighted mean of the participants.

    Leading dimensions of the arrays, if any, are a batch of runs (``everywhere`` is then
    true when it holds for every run).
    """
    w = (capability * participants)[..., :, None] * salience
    total = w.sum(axis=-2)
    positive = total > 0
    return ForecastWeights(w, total, np.where(positive, total, 1.0), bool(positive.all()))


def weighted_mean(weights: ForecastWeights, x: np.ndarray) -> np.ndarray:
    """The weighted mean position per issue; the plain mean where no one has weight.

    Leading dimensions of ``x`` and of the weights' arrays, if any, are a batch of runs.
    """
    mean = (weights.w * x).sum(axis=-2) / weights.divisor
    return mean if weights.everywhere else np.where(weights.total > 0, mean, x.mean(axis=-2))


def weighted_mean_forecast(inputs: BargainingInputs) -> np.ndarray:
    """Capability-and-salience-weighted mean position of the participants, per issue."""
    return weighted_mean(forecast_weights(inputs.capability, inputs.participants,
                                          inputs.salience), inputs.x)


BARGAINING_MODELS: Registry[type[BargainingModel]] = Registry("bargaining model")


def register(cls: type[BargainingModel]) -> type[BargainingModel]:
    """Class decorator: register a bargaining model under its ``name``."""
    BARGAINING_MODELS.add(cls.name, cls)
    return cls
