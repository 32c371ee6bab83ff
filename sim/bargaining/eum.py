"""Bueno de Mesquita's expected utility model (EUM), vectorised with numpy.

The model follows the replication by Scholz, Calbert & Smith (2011), "Unravelling Bueno de
Mesquita's group decision model", Journal of Theoretical Politics 23(4), of the model in
Bueno de Mesquita (1994). Every function here works on one issue: positions ``x`` of shape
``(n,)``, capabilities and saliences of shape ``(n,)``, and the range ``r_range`` of the initial
positions (fixed for a run). Pairwise and triple-wise quantities are computed by broadcasting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.bargaining.base import BargainingInputs, BargainingModel, register

__all__ = [
    "ExpectedUtility",
    "RoundInfo",
    "eum_round",
    "expected_utilities",
    "offers",
    "risk_exponents",
    "vote_matrix",
    "weighted_median",
    "win_probabilities",
]


_BLOCK_ELEMENTS = 1 << 20  # size of the voters-block temporaries in the vote totals


def _distance(x: np.ndarray, r_range: float) -> np.ndarray:
    """Scaled distances ``|x_a - x_k| / R``, shape (n, n)."""
    return np.abs(x[:, None] - x[None, :]) / r_range


def vote_matrix(
    x: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    r_range: float,
    risk: np.ndarray | None = None,
) -> np.ndarray:
    """Votes of every voter for every position over every other.

    Args:
        x: positions, shape (n,).
        capability: capabilities, shape (n,).
        salience: saliences, shape (n,).
        r_range: the scale R (range of the initial positions), > 0.
        risk: the voters' risk exponents, shape (n,); 1 when omitted.

    Returns:
        ``V[a, j, k] = c_a s_a ((|x_a - x_k|/R)^r_a - (|x_a - x_j|/R)^r_a)``, the vote of
        voter ``a`` for ``x_j`` over ``x_k``, shape (n, n, n).

    """
    r = np.ones_like(x, dtype=float) if risk is None else np.asarray(risk, dtype=float)
    u = _distance(x, r_range) ** r[:, None]  # u[a, k] = (|x_a - x_k|/R)^r_a
    w = capability * salience
    return w[:, None, None] * (u[:, None, :] - u[:, :, None])


def _positive_vote_totals(
    x: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    r_range: float,
    risk: np.ndarray | None,
) -> np.ndarray:
    """``T[i, j]``: the sum over voters of the positive parts of their votes for x_i over x_j.

    Equal to ``np.maximum(vote_matrix(...), 0).sum(axis=0)``; since the weights are
    non-negative, ``max(w·d, 0) = w·max(d, 0)``, so blocks of voters are contracted with their
    weights by a matrix product, keeping the (block, n, n) temporaries small.
    """
    n = x.shape[0]
    r = np.ones(n) if risk is None else np.asarray(risk, dtype=float)
    u = _distance(x, r_range) ** r[:, None]
    w = capability * salience
    total = np.zeros(n * n)
    block = max(1, _BLOCK_ELEMENTS // max(1, n * n))
    for start in range(0, n, block):
        ub = u[start : start + block]
        diff = ub[:, None, :] - ub[:, :, None]  # diff[a, i, j] = u[a, j] - u[a, i]
        np.maximum(diff, 0.0, out=diff)
        total += w[start : start + block] @ diff.reshape(ub.shape[0], n * n)
    return total.reshape(n, n)


def win_probabilities(
    x: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    r_range: float,
    risk: np.ndarray | None = None,
) -> np.ndarray:
    """Probability that each actor's position beats each other's.

    The positive votes for ``x_i`` over ``x_j`` are divided by one global denominator, the sum
    of ``|vote|`` over all voters and all ordered pairs of positions (as in the replication).

    Args:
        x: positions, shape (n,).
        capability: capabilities, shape (n,).
        salience: saliences, shape (n,).
        r_range: the scale R, > 0.
        risk: the voters' risk exponents, shape (n,); 1 when omitted.

    Returns:
        ``P[i, j]``, shape (n, n); 0 where ``x_i == x_j``.

    """
    pos = _positive_vote_totals(x, capability, salience, r_range, risk)
    # Each |vote| is the positive part of the vote for i over j or of the one for j over i.
    total = pos.sum() + pos.T.sum()
    if total <= 0:
        return np.zeros_like(pos)
    return np.where(x[:, None] == x[None, :], 0.0, pos / total)


def expected_utilities(
    x: np.ndarray,
    salience: np.ndarray,
    prob: np.ndarray,
    r_range: float,
    risk: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the expected utilities of challenges, both perceived by the same actor.

    With ``d = |x_i - x_j|/R`` (capped at 1, for positions that have moved outside the initial
    range) and the perceiver's exponent r, ``Us = 2 - 4(0.5 - 0.5d)^r``,
    ``Uf = 2 - 4(0.5 + 0.5d)^r``, ``Usq = 2 - 4·0.5^r`` and the expected utility of a
    challenge of ``b`` by ``a`` is ``s_b(P(a, b)·Us + (1 - P(a, b))·Uf) + (1 - s_b)·Us - Usq``.

    Args:
        x: positions, shape (n,).
        salience: saliences, shape (n,).
        prob: win probabilities ``P[i, j]``, shape (n, n).
        r_range: the scale R, > 0.
        risk: the perceiving actors' risk exponents, shape (n,); 1 when omitted.

    Returns:
        ``(eu_ij, eu_ji)``, each shape (n, n), both as perceived by actor i with its exponent
        r_i: ``eu_ij[i, j]`` is i's expected utility of challenging j and ``eu_ji[i, j]`` is j's
        expected utility of challenging i. The diagonals are 0.

    """
    r = np.ones_like(x, dtype=float) if risk is None else np.asarray(risk, dtype=float)
    d = np.minimum(_distance(x, r_range), 1.0)
    rr = r[:, None]
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** rr
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** rr
    usq = 2.0 - 4.0 * 0.5**rr
    s_j = salience[None, :]
    s_i = salience[:, None]
    p_ij = prob
    p_ji = prob.T
    eu_ij = s_j * (p_ij * us + (1.0 - p_ij) * uf) + (1.0 - s_j) * us - usq
    eu_ji = s_i * (p_ji * us + (1.0 - p_ji) * uf) + (1.0 - s_i) * us - usq
    np.fill_diagonal(eu_ij, 0.0)
    np.fill_diagonal(eu_ji, 0.0)
    return eu_ij, eu_ji


def risk_exponents(
    x: np.ndarray, capability: np.ndarray, salience: np.ndarray, r_range: float
) -> np.ndarray:
    """Compute the actors' risk exponents for a round.

    With every exponent set to 1, actor i's danger is the sum over the others of their expected
    utility of challenging i; ``R_i = (2·danger_i - max - min)/(max - min)`` and
    ``r_i = (1 - R_i/3)/(1 + R_i/3)``, so exponents lie in [0.5, 2].

    Args:
        x: positions, shape (n,).
        capability: capabilities, shape (n,).
        salience: saliences, shape (n,).
        r_range: the scale R, > 0.

    Returns:
        The risk exponents, shape (n,); all 1 when every actor faces the same danger.

    """
    prob = win_probabilities(x, capability, salience, r_range)
    _, eu_ji = expected_utilities(x, salience, prob, r_range)
    danger = eu_ji.sum(axis=1)
    hi, lo = danger.max(), danger.min()
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        return np.ones_like(danger)
    big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


@dataclass
class RoundInfo:
    """What happened in one round on one issue.

    Attributes:
        risk: the risk exponents used, shape (n,).
        prob: win probabilities with those exponents, shape (n, n).
        eu_ij: ``eu_ij[i, j]``, i's expected utility of challenging j (i's view), (n, n).
        eu_ji: ``eu_ji[i, j]``, j's expected utility of challenging i (i's view), (n, n).
        kind: per actor, the offer it accepted: ``""``, ``"confrontation"``, ``"compromise"``
            or ``"capitulation"``.
        partner: per actor, the index of the actor whose offer it accepted, or -1.

    """

    risk: np.ndarray
    prob: np.ndarray
    eu_ij: np.ndarray
    eu_ji: np.ndarray
    kind: np.ndarray
    partner: np.ndarray


def offers(
    x: np.ndarray, eu_ij: np.ndarray, eu_ji: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the offer each actor accepts, from the receiving actor i's perspective.

    From each other actor j at a different position: a confrontation if
    ``eu_ji > eu_ij > 0`` (i moves to x_j); a compromise if ``eu_ji > 0 > eu_ij`` and
    ``eu_ji > |eu_ij|`` (i moves to ``x_i + (x_j - x_i)|eu_ij/eu_ji|``); a capitulation if
    ``eu_ji > 0 > eu_ij`` otherwise (i moves to x_j). Actor i takes the confrontation that moves
    it least, else the compromise with the lowest EU-weighted position
    ``(|eu_ij| x_i + |eu_ji| x_j)/(|eu_ij| + |eu_ji|)``, else the capitulation that moves it
    least; ties go to the lowest index.

    Args:
        x: positions, shape (n,).
        eu_ij: see :class:`RoundInfo`, shape (n, n).
        eu_ji: see :class:`RoundInfo`, shape (n, n).

    Returns:
        ``(new_x, kind, partner)``: the new positions, the kind of offer accepted (0 none,
        1 confrontation, 2 compromise, 3 capitulation) and the partner index (-1 if none).

    """
    n = x.shape[0]
    xi = x[:, None]
    xj = x[None, :]
    apart = xi != xj
    confront = apart & (eu_ji > eu_ij) & (eu_ij > 0)
    yields = apart & (eu_ji > 0) & (eu_ij < 0)
    compromise = yields & (eu_ji > np.abs(eu_ij))
    capitulate = yields & ~compromise

    moved_to = np.broadcast_to(xj, (n, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(eu_ij / eu_ji)
        comp_to = xi + (xj - xi) * ratio
        weighted = (np.abs(eu_ij) * xi + np.abs(eu_ji) * xj) / (np.abs(eu_ij) + np.abs(eu_ji))
    move = np.abs(moved_to - xi)

    new_x = x.astype(float).copy()
    kind = np.zeros(n, dtype=np.int8)
    partner = np.full(n, -1, dtype=np.intp)
    rows = np.arange(n)
    for code, mask, key, target in (
        (3, capitulate, move, moved_to),
        (2, compromise, weighted, comp_to),
        (1, confront, move, moved_to),
    ):
        # Lower priority first, so that higher-priority kinds overwrite it.
        has = mask.any(axis=1)
        best = np.where(mask, key, np.inf).argmin(axis=1)
        new_x = np.where(has, target[rows, best], new_x)
        kind = np.where(has, code, kind)
        partner = np.where(has, best, partner)
    return new_x, kind, partner


_KINDS = np.array(["", "confrontation", "compromise", "capitulation"])


def eum_round(
    x: np.ndarray, capability: np.ndarray, salience: np.ndarray, r_range: float
) -> tuple[np.ndarray, RoundInfo]:
    """One round of the EUM on one issue: risk exponents, offers, and simultaneous moves.

    Args:
        x: current positions, shape (n,).
        capability: capabilities, shape (n,).
        salience: saliences, shape (n,).
        r_range: the range R of the initial positions, > 0.

    Returns:
        ``(new_x, info)``: the new positions, shape (n,), and the round's details.

    """
    x = np.asarray(x, dtype=float)
    capability = np.asarray(capability, dtype=float)
    salience = np.asarray(salience, dtype=float)
    risk = risk_exponents(x, capability, salience, r_range)
    prob = win_probabilities(x, capability, salience, r_range, risk)
    eu_ij, eu_ji = expected_utilities(x, salience, prob, r_range, risk)
    new_x, kind, partner = offers(x, eu_ij, eu_ji)
    info = RoundInfo(risk, prob, eu_ij, eu_ji, _KINDS[kind], partner)
    return new_x, info


def weighted_median(x: np.ndarray, capability: np.ndarray, salience: np.ndarray) -> float:
    """Return the median by pairwise vote with r = 1 (the weighted median).

    The weights are capability × salience. The median is the position, among the actors', with
    the largest total vote over all the others; ties go to the lowest index.

    Args:
        x: positions, shape (n,).
        capability: capabilities, shape (n,).
        salience: saliences, shape (n,).

    Returns:
        The median position.

    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(capability, dtype=float) * np.asarray(salience, dtype=float)
    # Total vote for x_j over all x_k with r = 1 is sum_k sum_a w_a(|x_a-x_k| - |x_a-x_j|),
    # i.e. a constant minus n times sum_a w_a |x_a - x_j|: maximise it by minimising the cost.
    cost = (w[:, None] * np.abs(x[:, None] - x[None, :])).sum(axis=0)
    return float(x[int(np.argmin(cost))])


@register
class ExpectedUtility(BargainingModel):
    """Bueno de Mesquita's expected utility model, one round per step and issue.

    Voters and movers are the actors with positive capability × salience on the issue; the
    others keep their positions. ``forecast`` is the weighted median of the participants.

    Attributes:
        last_risk: risk exponents of the last round, shape (actors, issues); NaN for actors
            that did not take part on an issue.
        last_rounds: the :class:`RoundInfo` of each issue in the last round (None if skipped).

    """

    name = "eum"
    reference = "Bueno de Mesquita (1994); Scholz, Calbert & Smith (2011)"

    def __init__(self) -> None:
        self.last_risk: np.ndarray | None = None
        self.last_rounds: list[list[RoundInfo | None]] = []

    def update(self, inputs: BargainingInputs) -> np.ndarray:
        """Apply one round of the EUM to each issue of each replication.

        Returns the new positions, shape (R, A, K). (Replication by replication: the rounds
        are not vectorised over replications yet.)
        """
        out = np.empty_like(inputs.x)
        risks, rounds = [], []
        for r in range(inputs.x.shape[0]):
            out[r], risk, info = self._round(
                inputs.x[r], inputs.x0[r], inputs.capability[r], inputs.salience[r]
            )
            risks.append(risk)
            rounds.append(info)
        self.last_risk = np.stack(risks)
        self.last_rounds = rounds
        return out

    @staticmethod
    def _round(
        x: np.ndarray, x0: np.ndarray, cap: np.ndarray, salience: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[RoundInfo | None]]:
        """One round on every issue of one replication: positions (A, K), risk exponents
        (A, K) and the rounds' details.
        """
        new = x.copy()
        risk = np.full(x.shape, np.nan)
        rounds: list[RoundInfo | None] = []
        for k in range(x.shape[1]):
            sal = salience[:, k]
            act = cap * sal > 0
            if act.sum() < 2:
                rounds.append(None)
                continue
            r_range = float(x0[act, k].max() - x0[act, k].min())
            if r_range <= 0:
                rounds.append(None)
                continue
            new_k, info = eum_round(x[act, k], cap[act], sal[act], r_range)
            new[act, k] = new_k
            risk[act, k] = info.risk
            rounds.append(info)
        return new, risk, rounds

    def forecast(self, inputs: BargainingInputs) -> np.ndarray:
        """The weighted median of the participants per issue (normalised scale), (R, K)."""
        return np.stack(
            [
                self._median(
                    inputs.x[r], inputs.participants[r], inputs.capability[r], inputs.salience[r]
                )
                for r in range(inputs.x.shape[0])
            ]
        )

    @staticmethod
    def _median(
        x: np.ndarray, part: np.ndarray, capability: np.ndarray, salience: np.ndarray
    ) -> np.ndarray:
        if not part.any():
            part = np.ones(x.shape[0], dtype=bool)
        cap = capability[part]
        out = np.empty(x.shape[1])
        for k in range(x.shape[1]):
            xs = x[part, k]
            sal = salience[part, k]
            if (cap * sal).sum() > 0:
                out[k] = weighted_median(xs, cap, sal)
            else:
                out[k] = float(np.median(xs))
        return out
