"""Generated scenarios of any number of actors, for the speed benchmarks.

``generate(n)`` returns scenario data (a dict, as a YAML file would load) shaped like the
Syria library: four sides, about half the actors fighting on a side (each side has a patron
holding leverage over its other members), the rest outside powers with economic ties;
every actor has uncertain force, positions, salience, resolve and pain tolerance. It
switches on the instruments the model has: talks among two thirds of the actors, a patron's
drawdown, sanctions by three outside powers on two patrons, military aid from two outside
powers to two sides, pressure, and one trigger (a patron returns when its side loses
ground). The numbers are illustrative; only the structure matters here.

Run ``python benchmarks/scenarios.py N`` to print one as YAML. ``machine()`` and ``load()``
describe the machine and how busy it is, for the benchmarks' reports.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

SIDES = ("government", "opposition", "jihadists", "militias")
TERRITORY = (0.3, 0.3, 0.25, 0.15)


def generate(
    n: int, *, horizon: int = 52, seed: int = 1, replications: int = 100, structure_seed: int = 0
) -> dict[str, Any]:
    """Scenario data with ``n`` actors (n ≥ 10).

    Args:
        n: number of actors.
        horizon: steps.
        seed: the scenario's run seed.
        replications: the scenario's default replication count.
        structure_seed: seed of the generated structure (who is where, the base numbers).

    """
    if n < 10:
        raise ValueError("need at least 10 actors")
    rng = np.random.default_rng(structure_seed)
    names = [f"a{i:03d}" for i in range(n)]
    fighting = names[: n // 2]
    outside = names[n // 2 :]
    side_of = {a: SIDES[i % len(SIDES)] for i, a in enumerate(fighting)}
    patrons = {side: next(a for a in fighting if side_of[a] == side) for side in SIDES}
    actors: dict[str, Any] = {}
    for a in names:
        on_side = a in side_of
        force = float(rng.uniform(5, 60)) if on_side else 0.0
        position = float(rng.uniform(0, 1))
        actor: dict[str, Any] = {
            "force": {"uniform": [round(0.8 * force, 3), round(1.2 * force, 3)]} if force else 0.0,
            "economy": round(float(rng.uniform(0.01, 3.0)), 4),
            "unit_cost": {"uniform": [1e-6, 3e-6]},
            "position": {
                "settlement": {
                    "uniform": [round(max(0, position - 0.1), 3), round(min(1, position + 0.1), 3)]
                }
            },
            "salience": {"settlement": {"uniform": [0.3, 1.0]}},
            "resolve": {"uniform": [0.5, 0.9]},
            "pain_tolerance": {"uniform": [0.01, 0.2]},
            "veto": bool(rng.random() < 0.3),
        }
        if on_side:
            actor["side"] = side_of[a]
        others = [b for b in names if b != a]
        targets = rng.choice(others, size=2, replace=False)
        actor["leverage"] = {str(b): {"uniform": [0.05, 0.3]} for b in targets}
        if on_side and patrons[side_of[a]] == a:  # a patron holds leverage over its side
            for b in fighting:
                if b != a and side_of[b] == side_of[a]:
                    actor["leverage"][b] = {"uniform": [0.3, 0.7]}
        partners = rng.choice(others, size=3, replace=False)
        actor["ties"] = {str(b): round(float(rng.uniform(0.02, 0.2)), 3) for b in partners}
        actors[a] = actor
    actors[patrons["government"]]["veto"] = True
    senders = outside[:3]
    donors = outside[3:5]
    levers = [
        {"type": "talks", "name": "talks", "participants": names[: max(2, 2 * n // 3)], "start": 2},
        {
            "type": "deployment",
            "name": "drawdown",
            "actor": patrons["government"],
            "to": {"uniform": [0.4, 0.8]},
            "start": 1,
            "ramp": 4,
        },
        {
            "type": "sanctions",
            "name": "sanctions",
            "senders": senders,
            "targets": [patrons["government"], patrons["militias"]],
            "intensity": {"uniform": [0.0005, 0.002]},
            "start": 4,
        },
        {
            "type": "military_aid",
            "name": "aid_opposition",
            "donor": donors[0],
            "recipient": "opposition",
            "amount": {"uniform": [5, 15]},
        },
        {
            "type": "military_aid",
            "name": "aid_militias",
            "donor": donors[1],
            "recipient": "militias",
            "amount": {"uniform": [2, 8]},
            "start": 6,
        },
        {
            "type": "pressure",
            "name": "pressure",
            "sender": donors[0],
            "target": patrons["opposition"],
            "intensity": 0.5,
            "start": 8,
        },
    ]
    triggers = [
        {
            "name": "patron_returns",
            "when": {"metric": "territory.government", "op": "<", "value": 0.27, "for": 2},
            "then": {"type": "deployment", "actor": patrons["government"], "to": 1.0, "ramp": 4},
            "probability": 0.7,
        }
    ]
    return {
        "name": f"generated_{n}",
        "description": f"Generated benchmark scenario with {n} actors.",
        "issues": {"settlement": {"scale": [0, 1]}},
        "sides": dict(zip(SIDES, TERRITORY, strict=True)),
        "actors": actors,
        "levers": levers,
        "triggers": triggers,
        "battlefield": {
            "decisiveness": {"uniform": [0.5, 1.5]},
            "rate": {"uniform": [0.02, 0.06]},
            "noise": {"uniform": [0.002, 0.008]},
            "loss_cost": {"uniform": [0.1, 0.3]},
            "harm": {"uniform": [500, 1000]},
        },
        "bargaining": {"model": "influence", "tolerance": {"uniform": [0.03, 0.08]}, "hold": 4},
        "horizon": horizon,
        "replications": replications,
        "seed": seed,
    }


def machine() -> str:
    """The machine, for the benchmarks' reports: cores, CPU model, Python and numpy."""
    import os
    import platform

    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(
                (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )


def load() -> str:
    """The machine's load averages (other jobs running slow the benchmarks down)."""
    import os

    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def scenario(n: int, **kwargs: Any):  # noqa: ANN201 - a sim Scenario
    """``generate(n)`` validated as a ``Scenario``."""
    from sim.scenario.schema import Scenario

    return Scenario.model_validate(generate(n, **kwargs))


if __name__ == "__main__":
    import yaml

    print(yaml.safe_dump(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 12), sort_keys=False))
