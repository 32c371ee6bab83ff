"""Benchmark: cost per replication-step as the number of actors grows (10, 50, 200).

Run as ``.venv/bin/python benchmarks/bench_scaling.py``. Each case is a generated scenario
(``benchmarks/scenarios.py``: four sides, talks, a drawdown, sanctions, military aid,
pressure and a trigger; about eight uncertain numbers per actor) of 52 steps. For each
replication it times, with ``time.process_time``, (a) drawing and building the model,
(b) running its steps with data collection, (c) making the outcomes row, and reports the
median over the replications, per replication and per step. It then times a chunk of
``--chunk`` replications stepped together, outcomes only, as ``sim run --no-timeseries``
runs them (``run_chunk``, which steps them together in batches sized by the scenario):
CPU per replication and per replication-step.

Options: ``--actors 10,50,200``, ``--replications R`` (default 30 after 5 warm-up),
``--chunk C`` (default 100); ``--root DIR`` imports ``sim`` from another checkout (to time
an older version; the chunk column needs a checkout with ``sim.model.ensemble``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(n: int, replications: int) -> dict[str, float]:
    """Median CPU seconds per replication of each phase, and the steps per replication."""
    from scenarios import scenario
    from sim.model.inputs import Blueprint
    from sim.model.model import LeverageModel
    from sim.outcomes import outcomes
    from sim.scenario.sample import replication_rng

    blueprint = Blueprint(scenario(n))
    phases: dict[str, list[float]] = {"build": [], "steps": [], "outcomes": [], "count": []}
    for r in range(-5, replications):
        rep = max(r, 0)
        t0 = time.process_time()
        model = LeverageModel(blueprint, blueprint.draw(1, rep), replication_rng(1, rep))
        t1 = time.process_time()
        model.run()
        t2 = time.process_time()
        outcomes(model, rep)
        t3 = time.process_time()
        if r >= 0:
            phases["build"].append(t1 - t0)
            phases["steps"].append(t2 - t1)
            phases["outcomes"].append(t3 - t2)
            phases["count"].append(model.state.step)
    out = {k: statistics.median(v) for k, v in phases.items()}
    out["params"] = len(blueprint.random)
    return out


def measure_chunk(n: int, size: int) -> tuple[float, float]:
    """CPU seconds per replication and per replication-step of a chunk of ``size``
    replications run as a ``sim run --no-timeseries`` worker runs it (``run_chunk``: in
    batches of ``batch_size``), after a warm-up chunk.
    """
    import pyarrow as pa

    from scenarios import scenario
    from sim.experiment.replication import Chunk, run_chunk

    case = scenario(n)
    for first, count in ((10_000, 10), (0, size)):
        t0 = time.process_time()
        result = run_chunk(case, 1, Chunk(0, first, first + count), timeseries=False)
        spent = time.process_time() - t0
    table = pa.ipc.open_file(result.tables["outcomes"]).read_all().to_pandas()
    steps = table["settlement_step"].fillna(case.horizon).sum()
    return spent / size, spent / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", default="10,50,200")
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--root", type=Path, default=None,
                        help="import sim from this checkout instead")
    args = parser.parse_args()
    if args.root is not None:
        sys.path.insert(0, str(args.root.resolve()))
    sys.path.insert(0, str(HERE))
    import sim
    from scenarios import load, machine

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {machine()}; sim from {Path(sim.__file__).parent}")
    print(f"before: {load()}")
    print("median CPU over replications (time.process_time); per step = phase / steps")
    print(f"{'actors':>6} {'params':>6} {'steps':>5} | {'draw+build':>10} {'steps':>9} "
          f"{'outcomes':>9} {'total':>9} | {'per step (run)':>14} {'per step (all)':>14} | "
          f"chunk of {args.chunk}: {'per rep':>9} {'per step':>9}")
    for n in (int(a) for a in args.actors.split(",")):
        m = measure(n, args.replications)
        total = m["build"] + m["steps"] + m["outcomes"]
        per_rep, per_step = measure_chunk(n, args.chunk)
        print(f"{n:>6} {m['params']:>6.0f} {m['count']:>5.0f} | {m['build'] * 1e3:8.2f}ms "
              f"{m['steps'] * 1e3:7.2f}ms {m['outcomes'] * 1e3:7.2f}ms {total * 1e3:7.2f}ms | "
              f"{m['steps'] / m['count'] * 1e6:11.1f} µs {total / m['count'] * 1e6:11.1f} µs | "
              f"{' ' * (len(str(args.chunk)) + 10)}{per_rep * 1e3:7.2f}ms "
              f"{per_step * 1e6:6.1f} µs")
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
