"""Pattern-oriented validation: the fuller design of generated civil wars (docs/validation.md).

Run as ``PYTHONPATH=. .venv/bin/python benchmarks/validation.py [--wars N]
[--replications R] [--seed S] [--out FILE]`` (defaults: 200 wars × 5 replications, seed
2005; the same as ``python -m sim.validation``). Prints the patterns as a Markdown table
with their 95% intervals and the run time; ``--out`` writes it too.
"""

from __future__ import annotations

from sim.validation.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
