"""Benchmark: the cost of the bargaining model of war per replication (issue 14).

Run as ``.venv/bin/python benchmarks/bench_war.py --previous DIR`` with DIR a checkout of
the engine of issue 13 (``git worktree add /work/engine13 7dc92b5``). It times
``run_chunk`` (outcomes only, one process, as ``bench_engine.py`` does) on the Syria
baseline under that code and, under this code, on the baseline and on
``syria_2016/war_bargaining.yaml`` (the baseline with every mechanism of how wars end
switched on: beliefs, ranges, commitment problems, patron threats), taking turns, and
prints the war scenario's cost per replication relative to the issue-13 baseline (target:
at most 1.5x).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_engine import ROOT, measure

TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--previous", type=Path, required=True)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    baseline = str(ROOT / "scenarios/syria_2016/baseline.yaml")
    war = str(ROOT / "scenarios/syria_2016/war_bargaining.yaml")
    best = {"issue 13, baseline": 0.0, "this, baseline": 0.0, "this, war_bargaining": 0.0}
    for _ in range(args.rounds):  # taking turns: the machine's speed drifts
        for name, root, spec in (
            ("issue 13, baseline", args.previous, baseline),
            ("this, baseline", ROOT, baseline),
            ("this, war_bargaining", ROOT, war),
        ):
            best[name] = max(best[name], measure(root, spec, args.chunk, args.repeats))
    for name, rate in best.items():
        print(f"{name:<22} {rate:>9,.0f}/s  {1e6 / rate:7.1f} µs per replication")
    cost = best["issue 13, baseline"] / best["this, war_bargaining"]
    verdict = "pass" if cost <= TARGET else "MISS"
    print(
        f"war_bargaining costs {cost:.2f}x the issue-13 baseline per replication "
        f"(target at most {TARGET}x): {verdict}"
    )


if __name__ == "__main__":
    main()
