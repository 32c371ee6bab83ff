"""Numbers in scenario files: constants or distributions, each with an optional source.

A parameter is written as a bare number, ``{value: x}``, or one distribution
(``uniform``, ``normal``, ``triangular``, ``beta``, ``choice``), optionally with
``source:`` and ``note:``. Draws are made by inverse transform from one uniform
number, so a parameter keeps its stream whatever else a scenario changes.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    model_serializer,
    model_validator,
)

from sim.scenario.compose import kind as _found
from sim.scenario.yamlio import core_tag

#: a number as written in YAML (text such as "0.5" is not one).
Number = Annotated[float, Strict()]
_KINDS = ("value", "uniform", "normal", "triangular", "beta", "choice")
_STANDARD_NORMAL = NormalDist()


class NormalSpec(BaseModel):
    """Mean and standard deviation of a normal distribution."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    mean: Number
    sd: Annotated[Number, Field(ge=0)]


class Param(BaseModel):
    """A number of the model: a constant or a distribution drawn once per replication."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"description": "a number or a distribution"},
    )
    value: Number | None = None
    uniform: tuple[Number, Number] | None = None
    normal: NormalSpec | None = None
    triangular: tuple[Number, Number, Number] | None = None
    beta: tuple[Annotated[Number, Field(gt=0)], Annotated[Number, Field(gt=0)]] | None = None
    choice: list[Number] | None = Field(default=None, min_length=1)
    source: str | None = None
    note: str | None = None
    _bounds: tuple[float, float] = PrivateAttr(default=(-math.inf, math.inf))

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError(f"expected a number, found {str(data).lower()}")
        if isinstance(data, int | float):
            return {"value": data}
        if not isinstance(data, dict):
            hint = _number_hint(data) if isinstance(data, str) else ""
            raise ValueError(f"expected a number or a distribution, found {_found(data)}{hint}")
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """A bare number, or a mapping with exactly one of ``value`` and the distributions."""
        mapping = dict(handler.resolve_ref_schema(handler(core_schema)))
        mapping["oneOf"] = [{"required": [k]} for k in _KINDS]
        return {
            "anyOf": [{"type": "number"}, mapping],
            "description": mapping.pop("description", "a number or a distribution"),
        }

    @model_validator(mode="after")
    def _one_kind(self) -> Param:
        given = [k for k in _KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            found = " and ".join(given) if given else "none of them"
            raise ValueError(
                "expected a number, or a mapping with exactly one of value, "
                f"uniform, normal, triangular, beta or choice, found {found}"
            )
        if self.uniform and self.uniform[0] > self.uniform[1]:
            raise ValueError(f"expected uniform [lo, hi] with lo <= hi, found {list(self.uniform)}")
        if self.triangular and not (self.triangular[0] <= self.triangular[1] <= self.triangular[2]):
            raise ValueError(
                "expected triangular [lo, mode, hi] with lo <= mode <= hi, "
                f"found {list(self.triangular)}"
            )
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any) -> Any:
        data = {k: v for k, v in handler(self).items() if v is not None}
        return data["value"] if set(data) == {"value"} else data

    @property
    def kind(self) -> str:
        """``value`` or the distribution's name."""
        return next(k for k in _KINDS if getattr(self, k) is not None)

    @property
    def random(self) -> bool:
        """True when the parameter is drawn from a distribution."""
        return self.value is None

    def support(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take (for ``normal``: its mean)."""
        match self.kind:
            case "value":
                return self.value, self.value
            case "uniform":
                return self.uniform
            case "normal":
                return self.normal.mean, self.normal.mean
            case "triangular":
                return self.triangular[0], self.triangular[2]
            case "beta":
                return 0.0, 1.0
            case _:
                return min(self.choice), max(self.choice)

    def center(self) -> float:
        """The constant, or the distribution's mean."""
        match self.kind:
            case "value":
                return self.value
            case "uniform":
                return sum(self.uniform) / 2
            case "normal":
                return self.normal.mean
            case "triangular":
                return sum(self.triangular) / 3
            case "beta":
                a, b = self.beta
                return a / (a + b)
            case _:
                return sum(self.choice) / len(self.choice)

    def draw(self, u: float) -> float:
        """The value at quantile ``u`` ∈ [0, 1) (inverse transform sampling)."""
        match self.kind:
            case "value":
                return self.value
            case "uniform":
                lo, hi = self.uniform
                return lo + u * (hi - lo)
            case "normal":
                q = _STANDARD_NORMAL.inv_cdf(min(max(u, 1e-12), 1 - 1e-12))
                lo, hi = self._bounds
                return min(max(self.normal.mean + self.normal.sd * q, lo), hi)
            case "triangular":
                return _triangular(u, *self.triangular)
            case "beta":  # scipy returns NaN for some subnormal u
                from scipy.special import betaincinv  # (only scenarios with beta need SciPy)

                u = min(max(u, 1e-12), 1 - 1e-12)
                return float(betaincinv(self.beta[0], self.beta[1], u))
            case _:
                return self.choice[min(int(u * len(self.choice)), len(self.choice) - 1)]


def _number_hint(text: str) -> str:
    """Why text that Python reads as a number is text in YAML, and how to write it."""
    try:
        number = float(text)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    if core_tag(text) != "tag:yaml.org,2002:str":
        return " (without quotes it is a number)"
    if "_" in text:
        return " (YAML 1.2 reads digits with '_' as text: write e.g. 1000, not 1_000)"
    return ""


def _triangular(u: float, lo: float, mode: float, hi: float) -> float:
    if hi == lo:
        return lo
    cut = (mode - lo) / (hi - lo)
    if u < cut:
        return lo + math.sqrt(u * (hi - lo) * (mode - lo))
    return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))


def _describe(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return f"a number >= {lo:g}" if lo != 0 else "a non-negative number"
    return f"a number in [{lo:g}, {hi:g}]"


def bounded(lo: float = -math.inf, hi: float = math.inf, *, strict_lo: bool = False) -> Any:
    """A parameter type whose every possible draw must lie in [lo, hi].

    Args:
        lo: smallest valid value.
        hi: largest valid value.
        strict_lo: require values strictly above ``lo``.

    """

    def check(param: Param) -> Param:
        low, high = param.support()
        too_low = low <= lo if strict_lo else low < lo
        if too_low or high > hi:
            expected = f"a number > {lo:g}" if strict_lo and math.isinf(hi) else _describe(lo, hi)
            found = f"{low:g}" if low == high else f"values from {low:g} to {high:g}"
            what = "mean " if param.kind == "normal" else ""
            raise ValueError(f"expected {expected}, found {what}{found}")
        param._bounds = (lo, hi)
        return param

    return Annotated[Param, AfterValidator(check)]


Fraction = bounded(0.0, 1.0)
NonNegative = bounded(0.0)
Positive = bounded(0.0, strict_lo=True)
AnyNumber = bounded()
