"""Record the golden result tables of every shipped scenario (the regression reference).

Run from the repository root: ``.venv/bin/python tests/golden/record.py``. It runs each
shipped scenario with a fixed seed through ``sim.run`` (serial executor) and keeps its
``outcomes``, ``timeseries`` and ``actors`` tables under ``tests/golden/<scenario>/``.
The files were first written by the engine before issue 13 (the per-replication
``LeverageModel`` with its batch ``Ensemble``) and re-recorded by the array-first engine
for issue 14, when a patron's leverage from a drawdown was replaced by dependence ×
credibility (docs/model.md, step 5); ``tests/golden/test_golden.py`` checks the current
engine against them. Re-record only for a deliberate change of the model's numbers,
and say so in the commit.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

import sim

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SEED = 7
REPLICATIONS = 120
#: per table, how many of the first replications are kept (the files stay small)
TABLES = {"outcomes": REPLICATIONS, "timeseries": 40, "actors": 10}


def shipped() -> list[Path]:
    """Every shipped scenario file."""
    return sorted(ROOT.glob("scenarios/*/*.yaml"))


def key(path: Path) -> str:
    """The folder name of a scenario's golden tables."""
    return f"{path.parent.name}__{path.stem}"


def main() -> None:
    for path in shipped():
        with tempfile.TemporaryDirectory() as tmp:
            result = sim.run(
                path, replications=REPLICATIONS, seed=SEED, executor="serial", out=Path(tmp) / "run"
            )
            target = HERE / key(path)
            target.mkdir(exist_ok=True)
            for table, kept in TABLES.items():
                frame = pd.read_parquet(result.path / f"{table}.parquet")
                frame = frame[frame["replication"] < kept].reset_index(drop=True)
                frame.to_parquet(target / f"{table}.parquet", compression="zstd", index=False)
        print("recorded", key(path), file=sys.stderr)


if __name__ == "__main__":
    main()
