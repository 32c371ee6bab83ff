"""Benchmark: model work per replication, in chunks as ``sim run`` runs them (issue 13).

Run as ``.venv/bin/python benchmarks/bench_engine.py [--previous DIR]``. For each scenario
it times ``run_chunk`` (the worker's unit of work: draw, build, step, outcomes table,
encoded; outcomes only) on chunks of ``--chunk`` replications and reports replications per
CPU second of one process (``time.process_time``; one core). With ``--previous DIR`` (a
checkout of the previous engine, e.g. ``git worktree add /tmp/prev 70e533e``) the same
chunks run in the same way under that code, the two taking turns in one run (the
machine's speed drifts within minutes), and the ratio is printed.

Options: ``--scenario FILE`` (repeatable; default the Syria baseline and full package),
``--chunk N`` (default 2000), ``--repeats R`` (best of R, default 3), ``--actors N``
(also a generated scenario of N actors from ``benchmarks/scenarios.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = {"baseline": 10_000.0, "full_package": 5_000.0}  # replications per core-second
TARGET_RATIO = 20.0  # full_package, over the previous engine

PROBE = r"""
import json, sys, time
from sim.scenario import load_scenario
from sim.scenario.schema import Scenario
from sim.experiment.replication import Chunk, run_chunk
spec, n, repeats = json.loads(sys.argv[1])
if spec.endswith(".yaml"):
    scenario = load_scenario(spec)
else:
    sys.path.insert(0, sys.argv[2])
    from scenarios import generate  # benchmarks/scenarios.py
    scenario = Scenario.model_validate(generate(int(spec)))
run_chunk(scenario, 1, Chunk(0, 0, min(n, 50)), False)  # warm-up (imports, blueprint)
best = float("inf")
for r in range(repeats):
    start = time.process_time()
    run_chunk(scenario, 1, Chunk(r + 1, n * (r + 1), n * (r + 2)), False)
    best = min(best, time.process_time() - start)
print(json.dumps({"seconds": best, "replications": n}))
"""


def measure(root: Path, spec: str, n: int, repeats: int) -> float:
    """Replications per CPU second of ``run_chunk`` under the code at ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([spec, n, repeats]), str(HERE)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["replications"] / result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", action="append")
    parser.add_argument("--previous", type=Path)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--actors", type=int, action="append")
    args = parser.parse_args()
    specs = args.scenario or [
        str(ROOT / "scenarios/syria_2016/baseline.yaml"),
        str(ROOT / "scenarios/syria_2016/full_package.yaml"),
    ]
    specs += [str(a) for a in args.actors or []]
    print(f"{'scenario':<16} {'this engine':>14} {'previous':>12} {'ratio':>7} {'target':>8}")
    for spec in specs:
        name = Path(spec).stem if spec.endswith(".yaml") else f"{spec} actors"
        n = args.chunk if spec.endswith(".yaml") else max(50, args.chunk // 10)
        now = measure(ROOT, spec, n, args.repeats)
        before = measure(args.previous, spec, n, args.repeats) if args.previous else None
        if args.previous:  # (taking turns: once more now, keep the best of each)
            now = max(now, measure(ROOT, spec, n, args.repeats))
        ratio = f"{now / before:6.1f}x" if before else ""
        target = TARGETS.get(name)
        verdict = "" if target is None else ("pass" if now >= target else "MISS")
        print(
            f"{name:<16} {now:>11,.0f}/s {f'{before:,.0f}/s' if before else '':>12} "
            f"{ratio:>7} {verdict:>8}"
        )
    print(
        f"(replications per CPU second of one process; targets: {TARGETS}, "
        f"full_package at least {TARGET_RATIO:.0f}x the previous engine)"
    )


if __name__ == "__main__":
    main()
