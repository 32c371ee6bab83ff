"""Sanction threats and economic erosion: plain functions over arrays (leading axis R).

Concessions to a threat (the ``sanctions_threat`` lever decides them) hold the conceding
actor's position at the demand; sanctions losses erode the target's economy, and with it
the force it can sustain and the aid it can give (docs/model.md, "Sanction threats and
economic erosion").

References: Drezner, *The Sanctions Paradox* (1999) and "The Hidden Hand of Economic
Coercion", International Organization 57(3) (2003); Early, *Busted Sanctions* (2015);
Hufbauer, Schott, Elliott & Oegg, *Economic Sanctions Reconsidered* (3rd ed., 2007).
"""

from __future__ import annotations

import numpy as np

#: an economy never falls below this share of its initial size
ECONOMY_FLOOR = 0.01


def hold_concessions(
    x: np.ndarray, x0: np.ndarray, conceded: np.ndarray, demand: np.ndarray
) -> np.ndarray:
    """Positions after the bargaining update with concessions held, (R, A, K).

    Where an actor has conceded to a demand d on an issue, its position may not lie on the
    side of d where its initial position x0 (its anchor) lies: ``x ← min(x, d)`` when
    ``x0 > d``, ``max(x, d)`` when ``x0 < d``, ``d`` when ``x0 = d``. Conceding moves it to
    the demand (or leaves it beyond); after that the bargaining model's pull toward its
    anchor cannot take it back, while others may still move it further.

    Args:
        x: positions after the update, normalised, (R, A, K).
        x0: initial positions, normalised, (R, A, K).
        conceded: (R, A, K), 1 where the actor has conceded on the issue.
        demand: (R, A, K), the demand conceded to, normalised.

    """
    toward = np.sign(x0 - demand)
    held = np.where(
        toward > 0, np.minimum(x, demand), np.where(toward < 0, np.maximum(x, demand), demand)
    )
    return np.where(conceded > 0, held, x)


def erode(economy: np.ndarray, economy0: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """The economy after this step's sanctions losses, (R, A):
    ``max(economy − economy0 · loss, ECONOMY_FLOOR · economy0)`` (losses are fractions of
    the initial economy, as every cost in the model), so
    ``economy_t = economy0 · max(1 − Σ losses, ECONOMY_FLOOR)`` (Early 2015).

    Args:
        economy: the economy after the previous step, (R, A).
        economy0: the initial economy, (R, A).
        loss: this step's sanctions losses as a fraction of the initial economy, (R, A).

    """
    return np.maximum(economy - economy0 * loss, ECONOMY_FLOOR * economy0)


def capacity(
    economy: np.ndarray, economy0: np.ndarray, elasticity: np.ndarray, columns: np.ndarray
) -> np.ndarray:
    """``(economy / economy0)^ε`` in the given actor columns, 1 elsewhere, (R, A): the share of
    its intended force an actor can sustain and of its pledged aid it can give. The
    exponent is passed as a full array, as in ``battlefield.contest_share`` (numpy's
    shortcuts for a single exponent would make a row alone differ from the same row in a
    batch).

    Args:
        economy: the current economy, (R, A).
        economy0: the initial economy, (R, A).
        elasticity: ε per actor, (R, A) (0: the capacity stays 1).
        columns: the actors whose ε can be positive, (C,).

    """
    out = np.ones(economy.shape)
    out[:, columns] = np.power(economy[:, columns] / economy0[:, columns], elasticity[:, columns])
    return out
