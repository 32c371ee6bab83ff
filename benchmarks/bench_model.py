"""Benchmark: CPU time of one replication in steady state, data collection included.

Run as ``.venv/bin/python benchmarks/bench_model.py``. For each case it compiles the
scenario once (as a worker does), runs a warm-up, then times batches of replications with
``time.process_time``: each replication draws its parameters, builds the model, runs every
step with the recorder collecting the time series, and makes its outcomes row (what
``run_chunk`` does per replication). It prints the best and the median batch, per
replication and per replication-step. A last line gives the cost per replication of
assembling the time-series tables from finished runs, the way ``run_chunk`` does it.

Options: ``--batches B --size S`` (default 15 batches of 40 replications);
``--root DIR`` imports ``sim`` from another checkout (to time an older version).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_MS = 10.0  # the issue: a 12-actor, 52-step replication in under 10 ms of CPU


def cases() -> list[tuple[str, object, float | None]]:
    """(label, scenario, target in ms or None)."""
    from scenarios import scenario
    from sim.scenario import load_scenario

    out: list[tuple[str, object, float | None]] = [
        ("generated, 12 actors, 52 steps", scenario(12), TARGET_MS),
        ("examples/patron_client (4 actors)",
         load_scenario(ROOT / "scenarios/examples/patron_client.yaml"), None),
    ]
    syria = ROOT / "scenarios/syria_2016/baseline.yaml"
    if syria.exists():
        out.append(("syria_2016/baseline (17 actors)", load_scenario(syria), None))
    return out


def time_replications(scenario: object, batches: int, size: int) -> tuple[list[float], float]:
    """Seconds of CPU per replication for each batch, and the mean steps per replication."""
    from sim.experiment.replication import run_replication
    from sim.model.inputs import Blueprint
    from sim.outcomes import outcomes

    blueprint = Blueprint(scenario)
    for r in range(20):  # warm-up
        outcomes(run_replication(blueprint, 1, r), r)
    per_rep, steps, r = [], 0, 0
    for _ in range(batches):
        start = time.process_time()
        for _ in range(size):
            model = run_replication(blueprint, 1, r)
            outcomes(model, r)
            steps += model.state.step
            r += 1
        per_rep.append((time.process_time() - start) / size)
    return per_rep, steps / r


def time_series_cost(scenario: object, n: int = 200) -> float:
    """CPU seconds per replication to build the time-series tables of ``n`` finished runs
    the way this version's ``run_chunk`` does (the runs themselves are not counted).
    """
    import pandas as pd

    from sim.experiment.replication import run_replication
    from sim.model import recorder
    from sim.model.inputs import Blueprint
    from sim.outcomes import leverage_rows

    blueprint = Blueprint(scenario)
    models = [run_replication(blueprint, 1, r) for r in range(n)]
    ix, to_scale = blueprint.index, blueprint.to_scale

    def build() -> None:
        if hasattr(recorder, "model_frame"):  # one frame per chunk from stacked arrays
            from sim.outcomes import leverage_frame, leverage_snapshots

            runs = [(r, m.recorder) for r, m in enumerate(models)]
            recorder.model_frame(runs, ix.sides, ix.issues, to_scale)
            recorder.actor_frame(runs, ix.actors, ix.issues, to_scale)
            leverage_frame(ix.actors, [s for r, m in enumerate(models)
                                       for s in leverage_snapshots(m, r)])
        else:  # one frame per replication, then concatenated
            for frames in ([m.timeseries(r) for r, m in enumerate(models)],
                           [m.actor_series(r) for r, m in enumerate(models)],
                           [leverage_rows(m, r) for r, m in enumerate(models)]):
                pd.concat(frames, ignore_index=True)

    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        build()
        best = min(best, time.process_time() - start)
    return best / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--size", type=int, default=40)
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
    print(f"method: process_time of {args.batches} batches of {args.size} replications "
          "(draw + build + run with data collection + outcomes row), after 20 warm-up")
    for label, scenario, target in cases():
        per_rep, steps = time_replications(scenario, args.batches, args.size)
        best, median = min(per_rep), statistics.median(per_rep)
        verdict = "" if target is None else \
            f"  target < {target:.0f} ms: {'PASS' if median * 1e3 < target else 'FAIL'}"
        print(f"{label:36s} best {best * 1e3:6.2f} ms, median {median * 1e3:6.2f} ms per "
              f"replication ({steps:.0f} steps; median {median / steps * 1e6:5.1f} µs per "
              f"step){verdict}")
    label, scenario, _ = cases()[0]
    extra = time_series_cost(scenario)
    print(f"{label:36s} time-series tables (built as run_chunk does, best of 5): "
          f"{extra * 1e3:.2f} ms per replication")
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
