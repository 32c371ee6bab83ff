"""Settlement at the talks: plain functions over arrays (leading axis R)."""

from __future__ import annotations

import numpy as np


def within(
    x: np.ndarray, forecast: np.ndarray, rows: np.ndarray, tolerance: np.ndarray
) -> np.ndarray:
    """Whether each replication's chosen actors are within its tolerance of its forecast on
    every issue (``|x − forecast| ≤ tolerance``; True when no actor is chosen; NaN never
    agrees), shape (R,).

    Args:
        x: positions (R, A, K).
        forecast: (R, K).
        rows: (R, A) bool, the actors each replication tests (its veto players).
        tolerance: (R,), each replication's tolerance (≥ 0).

    """
    gap = np.where(rows[..., None], np.abs(x - forecast[:, None, :]), 0.0)  # (0 agrees)
    if gap.shape[1] * gap.shape[2] == 0:
        return np.ones(x.shape[0], dtype=bool)
    return gap.max(axis=(1, 2)) <= tolerance  # (NaN never agrees: the max is NaN)


def deciders(veto: np.ndarray, participants: np.ndarray) -> np.ndarray:
    """The actors whose agreement a settlement needs: the veto players, or every
    participant when nobody holds a veto, shape (R, A).
    """
    return np.broadcast_to(veto, participants.shape) if veto.any() else participants


def reservation_interval(
    ideal: np.ndarray,
    expected: np.ndarray,
    cost: np.ndarray,
    risk: np.ndarray | None = None,
    opponent_wins: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The settlements an actor prefers to fighting on: ``[low, high]`` on the normalised
    scale (``low > high`` when it accepts none), each array's shape.

    Without a commitment problem the actor accepts z when
    ``|z − x̂| ≤ |x̄ − x̂| + c`` (Fearon 1995: a deal is better than the war's expected
    outcome x̄ less its cost c; x̂ is the actor's ideal point). An actor that must disarm
    under the deal fears the other side reneges with probability ρ' (ρ reduced by a
    guarantee, ρ' = ρ(1 − G)) and then imposes its victory outcome w; it accepts z when
    ``(1 − ρ')|z − x̂| + ρ'|w − x̂| ≤ |x̄ − x̂| + c`` (Walter 1997; Fearon 2004), i.e. within
    ``(d − ρ'|w − x̂|) / (1 − ρ')`` of x̂.

    Args:
        ideal: x̂.
        expected: x̄.
        cost: c (≥ 0; infinite: accepts anything).
        risk: ρ' in [0, 1], or None for none.
        opponent_wins: w (needed with ``risk``).

    """
    reach = np.abs(expected - ideal) + cost
    if risk is not None and opponent_wins is not None:
        num = reach - risk * np.abs(opponent_wins - ideal)
        den = 1.0 - risk
        reach = np.divide(num, den, out=np.where(num >= 0, np.inf, -np.inf), where=den > 0)
    return np.clip(ideal - reach, 0.0, 1.0), np.clip(ideal + reach, 0.0, 1.0)


def bargaining_range(
    low: np.ndarray, high: np.ndarray, deciders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The intersection of the deciders' reservation intervals, (R, W) each: open when
    ``low ≤ high``; the whole scale when nobody decides (Fearon 1995; D. Cunningham 2006
    on veto players).

    Args:
        low: (R, A, W).
        high: (R, A, W).
        deciders: (R, A) bool, the actors whose agreement a settlement needs.

    """
    chosen = deciders[:, :, None]
    lo = np.where(chosen, low, 0.0).max(axis=1, initial=0.0)
    hi = np.where(chosen, high, 1.0).min(axis=1, initial=1.0)
    return lo, hi


def binding_veto(
    low: np.ndarray, high: np.ndarray, deciders: np.ndarray, forecast: np.ndarray
) -> np.ndarray:
    """The decider with the least slack around the forecast f, ``min(f − low, high − f)``
    (with the range open: the nearest to refusing; closed: the farthest from accepting),
    actor index or -1 when nobody decides, (R, W).

    Args:
        low: (R, A, W).
        high: (R, A, W).
        deciders: (R, A) bool.
        forecast: f on each war issue, (R, W).

    """
    f = forecast[:, None, :]
    slack = np.where(deciders[:, :, None], np.minimum(f - low, high - f), np.inf)
    if slack.shape[1] == 0:
        return np.full(forecast.shape, -1)
    return np.where(deciders.any(axis=1)[:, None], slack.argmin(axis=1), -1)
