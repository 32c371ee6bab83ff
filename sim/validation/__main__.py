"""``python -m sim.validation [--wars N] [--replications R] [--seed S] [--out FILE]``:
run the designs and print (or write) the patterns as Markdown.
"""

from __future__ import annotations

import argparse
import sys
import time

from sim.validation.patterns import measure
from sim.validation.report import markdown


def main(argv: list[str] | None = None) -> int:
    """Run the fuller design and print or write its figures; 0 on success."""
    parser = argparse.ArgumentParser(prog="python -m sim.validation")
    parser.add_argument("--wars", type=int, default=200)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--out", default=None, help="write the Markdown here")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    patterns = measure(args.wars, args.replications, args.seed)
    text = markdown(patterns, args.wars, args.replications, args.seed)
    text += f"\n({time.perf_counter() - start:.0f} s)\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
