"""Benchmark: peak memory of a 100,000-replication run, outcomes only (parent and workers).

Run as ``.venv/bin/python benchmarks/bench_memory.py`` (it takes minutes). It runs

    sim run FILE --replications 100000 --no-timeseries --quiet --workers 2 --out DIR

as a subprocess and samples ``/proc`` every ``--interval`` seconds for the whole process
tree (the command and its workers): the largest sum of resident set sizes (RSS, which
counts pages the forked workers share with the parent once per process) and of
proportional set sizes (PSS, shared pages divided among the processes sharing them), and
the largest RSS of any one process. After the run it adds the kernel's own figure,
``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak RSS of the largest single process in
the tree (not a sum). The target is under 1 GiB for the whole tree at 100,000
replications, and under 2 GiB at 1,000,000 (``--replications 1000000``).

Options: ``--scenario FILE`` (default: the Syria 2016 baseline, else the example),
``--replications N`` (default 100000), ``--workers W`` (default 2), ``--interval S``.
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
#: the whole process tree: 1 GiB at 100,000 replications (issue 4), 2 GiB at 1,000,000
#: (issue 13)
TARGET_BYTES = 1 << 30


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc/<pid>/task/*/children)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children(p)
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) if it has gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


def sim_command() -> list[str]:
    script = Path(sys.executable).parent / "sim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sim"]


def mb(n: float) -> str:
    return f"{n / 2**20:7.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    syria = ROOT / "scenarios/syria_2016/baseline.yaml"
    parser.add_argument(
        "--scenario",
        type=Path,
        default=syria if syria.exists() else ROOT / "scenarios/examples/patron_client.yaml",
    )
    parser.add_argument("--replications", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from scenarios import load, machine

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    out = tmp / "run"
    command = [
        *sim_command(),
        "run",
        str(args.scenario.resolve()),
        "--replications",
        str(args.replications),
        "--no-timeseries",
        "--quiet",
        "--workers",
        str(args.workers),
        "--out",
        str(out),
    ]
    print(f"timed: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak_rss = peak_pss = peak_one = 0
    peak_procs = 0
    samples = 0
    while process.poll() is None:
        pids = tree(process.pid)
        usage = [memory(p) for p in pids]
        peak_rss = max(peak_rss, sum(r for r, _ in usage))
        peak_pss = max(peak_pss, sum(p for _, p in usage))
        peak_one = max([peak_one, *(r for r, _ in usage)])
        peak_procs = max(peak_procs, len(pids))
        samples += 1
        time.sleep(args.interval)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"sim run failed with exit code {process.returncode}")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    shutil.rmtree(tmp)
    kernel = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    print(
        f"run: {args.replications} replications in {wall:.0f} s "
        f"({args.replications / wall:.0f}/s), result set {mb(size)} on disk"
    )
    print(f"sampled every {args.interval} s ({samples} samples, up to {peak_procs} processes):")
    print(f"  peak sum of RSS over the tree : {mb(peak_rss)}")
    print(f"  peak sum of PSS over the tree : {mb(peak_pss)}")
    print(f"  peak RSS of one process       : {mb(peak_one)}")
    print(f"getrusage(RUSAGE_CHILDREN).ru_maxrss (largest single process): {mb(kernel)}")
    worst = max(peak_rss, kernel)
    target = TARGET_BYTES * (2 if args.replications >= 1_000_000 else 1)
    print(
        f"target: whole tree < {mb(target).strip()}: "
        f"{'PASS' if worst < target else 'FAIL'} (by the peak RSS sum)"
    )
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
