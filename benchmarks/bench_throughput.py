"""Benchmark: end-to-end throughput of ``sim run``, outcomes only, start-up and writing included.

Run as ``.venv/bin/python benchmarks/bench_throughput.py``. It times the command

    sim run FILE --replications N --no-timeseries --quiet --workers W --out DIR

as a subprocess (wall clock, from launch to exit: imports, worker start-up, the runs,
writing and consolidating the result set) for each worker count, and reports replications
per second and the speed-up of the last worker count over the first. The CPU time of the
whole process tree (user + system, from ``RUSAGE_CHILDREN``) shows how much work there is
beside the replications. A run of one replication measures the fixed start-up cost, which
every worker count pays once: the script also prints the speed-up of the rest (wall
minus start-up) and the end-to-end speed-up that perfect scaling would give (Amdahl).

Options: ``--scenario FILE`` (default: the Syria 2016 baseline, else the example),
``--replications N`` (default 5000), ``--workers 1,2``, ``--repeats R`` (best of R; the
worker counts take turns).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_RATE = 250.0  # replications per second with 2 workers
TARGET_SPEEDUP = 1.7  # 2 workers over 1


def sim_command() -> list[str]:
    """The ``sim`` console script beside this Python, else ``python -m sim``."""
    script = Path(sys.executable).parent / "sim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sim"]


def default_scenario() -> Path:
    syria = ROOT / "scenarios/syria_2016/baseline.yaml"
    return syria if syria.exists() else ROOT / "scenarios/examples/patron_client.yaml"


def timed_run(scenario: Path, replications: int, workers: int, out: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, whole process tree) of one ``sim run``."""
    command = [
        *sim_command(),
        "run",
        str(scenario),
        "--replications",
        str(replications),
        "--no-timeseries",
        "--quiet",
        "--workers",
        str(workers),
        "--out",
        str(out),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(out)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=default_scenario())
    parser.add_argument("--replications", type=int, default=5000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from scenarios import load, machine

    workers = [int(w) for w in args.workers.split(",")]
    scenario = args.scenario.resolve()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    print(
        f"timed: {' '.join(Path(c).name for c in sim_command())} run "
        f"{scenario.relative_to(ROOT) if scenario.is_relative_to(ROOT) else scenario} "
        f"--replications N --no-timeseries --quiet --workers W --out DIR"
    )
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        startup, cpu = min(
            timed_run(scenario, 1, workers[-1], Path(tmp) / "startup") for _ in range(args.repeats)
        )
        print(f"start-up (N=1, W={workers[-1]}): {startup:.2f} s wall, {cpu:.2f} s CPU")
        runs: dict[int, list[tuple[float, float]]] = {w: [] for w in workers}
        for _ in range(args.repeats):  # (interleaved, so that a slow spell hits every W)
            for w in workers:
                runs[w].append(timed_run(scenario, args.replications, w, Path(tmp) / f"w{w}"))
        rates, walls = {}, {}
        for w in workers:
            wall, cpu = min(runs[w])
            rates[w], walls[w] = args.replications / wall, wall
            print(
                f"W={w}: N={args.replications} in {wall:.2f} s wall -> {rates[w]:.0f} "
                f"replications/s (start-up included); {cpu:.2f} s CPU "
                f"({cpu / args.replications * 1e3:.2f} ms CPU per replication)"
            )
    if len(workers) > 1:
        first, last = workers[0], workers[-1]
        speedup = rates[last] / rates[first]
        print(f"speed-up W={last} over W={first}: {speedup:.2f}")
        # Amdahl: the start-up is paid once whatever W, so it caps the end-to-end speed-up.
        work = walls[first] - startup
        print(
            f"  the replications alone (wall minus the N=1 start-up): speed-up "
            f"{work / (walls[last] - startup):.2f}; the start-up alone caps the end-to-end "
            f"speed-up at {walls[first] / (startup + work / (last / first)):.2f} here"
        )
        if (first, last) == (1, 2):
            print(
                f"target >= {TARGET_RATE:.0f}/s with 2 workers: "
                f"{'PASS' if rates[2] >= TARGET_RATE else 'FAIL'}; target speed-up >= "
                f"{TARGET_SPEEDUP}: {'PASS' if speedup >= TARGET_SPEEDUP else 'FAIL'}"
            )
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
