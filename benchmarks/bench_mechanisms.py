"""Benchmark: the cost of the model's mechanisms per replication (issues 14 and 15).

Run from ``benchmarks/`` as ``../.venv/bin/python bench_mechanisms.py --previous DIR``
with DIR a checkout of the engine of issue 13 (``git worktree add /work/engine13
7dc92b5``). It times ``run_chunk`` (outcomes only, one process, as ``bench_engine.py``
does), taking turns, on:

- the Syria baseline under the issue-13 code (the reference) and under this code;
- ``syria_2016/war_bargaining.yaml``: the baseline with the bargaining model of war
  (issue 14; target: at most 1.5x the reference per replication);
- the baseline with every mechanism of issue 15 as well: ``reacting_russia.yaml`` (war
  bargaining and reacting interveners) with the fronts and population of ``fronts.yaml``
  and the sanctions threat and economic erosion of ``sanctions_threat.yaml``, composed
  here into one scenario (target: at most 2x the reference).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_engine import ROOT, measure

SYRIA = ROOT / "scenarios" / "syria_2016"
TARGETS = {"war_bargaining": 1.5, "all_mechanisms": 2.0}


def all_mechanisms(folder: Path) -> str:
    """``reacting_russia`` with the fronts of ``fronts`` and the threat of
    ``sanctions_threat``, written as one resolved scenario file in ``folder``.
    """
    from sim.scenario import load_scenario
    from sim.scenario.dump import dump_scenario

    base = load_scenario(SYRIA / "reacting_russia.yaml")
    fronts = load_scenario(SYRIA / "fronts.yaml")
    threat = load_scenario(SYRIA / "sanctions_threat.yaml")
    actors = {
        name: actor.model_copy(
            update={"economy_elasticity": threat.actors[name].economy_elasticity}
        )
        for name, actor in base.actors.items()
    }
    added = [lever for lever in threat.levers if lever.type == "sanctions_threat"]
    scenario = base.model_copy(
        update={
            "name": "syria_2016_all_mechanisms",
            "fronts": fronts.fronts,
            "population": fronts.population,
            "actors": actors,
            "levers": [*base.levers, *added],
        }
    )
    path = folder / "all_mechanisms.yaml"
    path.write_text(dump_scenario(scenario))
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--previous", type=Path, required=True)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            "issue 13, baseline": (args.previous, str(SYRIA / "baseline.yaml")),
            "baseline": (ROOT, str(SYRIA / "baseline.yaml")),
            "war_bargaining": (ROOT, str(SYRIA / "war_bargaining.yaml")),
            "all_mechanisms": (ROOT, all_mechanisms(Path(tmp))),
        }
        best = dict.fromkeys(runs, 0.0)
        for _ in range(args.rounds):  # taking turns: the machine's speed drifts
            for name, (root, spec) in runs.items():
                best[name] = max(best[name], measure(root, spec, args.chunk, args.repeats))
    reference = best["issue 13, baseline"]
    for name, rate in best.items():
        cost = reference / rate
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else f"target {target}x: {'pass' if cost <= target else 'MISS'}"
        )
        print(f"{name:<20} {rate:>8,.0f}/s {1e6 / rate:7.1f} µs  {cost:5.2f}x  {verdict}")


if __name__ == "__main__":
    main()
