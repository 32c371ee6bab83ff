"""The engine against the golden tables of every shipped scenario (``record.py``).

Discrete outcomes (settled, steps, victory, triggers, incidents) must be identical;
continuous values equal within 1e-12 relative.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from tests.golden.record import REPLICATIONS, SEED, TABLES, key, shipped

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module", params=shipped(), ids=key)
def result(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(key(request.param)) / "run"
    return key(request.param), sim.run(
        request.param, replications=REPLICATIONS, seed=SEED, executor="serial", out=out
    )


def assert_frames_match(new: pd.DataFrame, old: pd.DataFrame, where: str) -> None:
    assert list(new.columns) == list(old.columns), where
    assert len(new) == len(old), where
    for column in old.columns:
        a, b = new[column].to_numpy(), old[column].to_numpy()
        if a.dtype.kind == "f" and b.dtype.kind == "f":
            same = np.isclose(a, b, rtol=1e-12, atol=1e-300) | (np.isnan(a) & np.isnan(b))
            assert same.all(), f"{where}: {column} differs in {np.count_nonzero(~same)} rows"
        else:
            assert (a == b).all(), f"{where}: {column} differs"


@pytest.mark.parametrize("table", list(TABLES))
def test_the_engine_reproduces_the_golden_tables(result, table):
    name, run = result
    old = pd.read_parquet(HERE / name / f"{table}.parquet")
    new = pd.read_parquet(run.path / f"{table}.parquet")
    new = new[new["replication"] < TABLES[table]].reset_index(drop=True)
    assert_frames_match(new, old, f"{name}/{table}")
