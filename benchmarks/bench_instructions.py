"""Benchmark: instructions per replication, counted by valgrind (repeatable on a busy machine).

Run as ``.venv/bin/python benchmarks/bench_instructions.py`` (needs ``valgrind``; about four
minutes). Wall-clock and CPU times on a shared machine vary by a factor of up to two from
one hour to the next; the number of instructions the CPU executes does not. This runs a
small driver under ``valgrind --tool=callgrind`` twice, in parallel: once loading the
scenario, compiling it and running one replication (the start-up), once doing the same and
then a chunk of ``--replications N`` more, outcomes only, as a worker does (``run_chunk``,
tables encoded). The difference divided by N is the work per replication.

Options: ``--scenario FILE`` (default: the Syria 2016 baseline), ``--replications N``
(default 30), ``--root DIR`` imports ``sim`` from another checkout (to compare versions).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

DRIVER = """
import sys
sys.path.insert(0, sys.argv[1])
from sim.experiment.replication import Chunk, run_chunk
from sim.scenario import load_scenario
scenario = load_scenario(sys.argv[2])
run_chunk(scenario, 1, Chunk(0, 0, 1), False)
n = int(sys.argv[3])
if n:
    run_chunk(scenario, 1, Chunk(1, 1, 1 + n), False)
"""


def instructions(root: Path, scenario: Path, replications: int, tmp: Path) -> int:
    """Instructions executed by the driver (valgrind's ``Collected`` total)."""
    driver = tmp / "driver.py"
    driver.write_text(DRIVER)
    out = tmp / f"callgrind-{replications}.out"
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(driver),
            str(root),
            str(scenario),
            str(replications),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{result.stderr}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario", type=Path, default=ROOT / "scenarios/syria_2016/baseline.yaml"
    )
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    sys.path.insert(0, str(HERE))
    from scenarios import machine

    root = args.root.resolve()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {machine()}; sim from {root}")
    with (
        tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp,
        ThreadPoolExecutor(2) as pool,
    ):
        start, more = pool.map(
            lambda n: instructions(root, args.scenario.resolve(), n, Path(tmp)),
            (0, args.replications),
        )
    per = (more - start) / args.replications
    print(f"start-up (load, compile, one replication): {start / 1e9:.3f} G instructions")
    print(
        f"per replication (outcomes only, chunk of {args.replications}): "
        f"{per / 1e6:.2f} M instructions"
    )


if __name__ == "__main__":
    main()
