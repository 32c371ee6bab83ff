"""Benchmark of the expected utility model: time of 10 rounds on one issue.

Run as ``.venv/bin/python benchmarks/bench_eum.py``. Times only the model's own work
(``ExpectedUtility.update`` and ``forecast``), best of several repeats.
"""

from __future__ import annotations

import time

import numpy as np

from sim.bargaining.base import BargainingInputs
from sim.bargaining.eum import ExpectedUtility

SEED = 20240607
ROUNDS = 10
CASES = [(25, 0.050, 20), (200, 5.0, 3)]  # (actors, target seconds, repeats)


def make_inputs(n: int, rng: np.random.Generator) -> BargainingInputs:
    x = rng.random((n, 1))
    return BargainingInputs(
        x=x.copy(),
        x0=x.copy(),
        salience=rng.random((n, 1)),
        capability=rng.random(n),
        leverage=np.zeros((n, n)),
        resolve=np.full(n, 0.5),
        stress=np.zeros(n),
        participants=np.ones(n, dtype=bool),
    )


def run(inputs: BargainingInputs) -> float:
    model = ExpectedUtility()
    x0 = inputs.x.copy()
    start = time.perf_counter()
    for _ in range(ROUNDS):
        inputs.x = model.update(inputs)
        model.forecast(inputs)
    elapsed = time.perf_counter() - start
    inputs.x = x0
    return elapsed


def main() -> None:
    rng = np.random.default_rng(SEED)
    for n, target, repeats in CASES:
        inputs = make_inputs(n, rng)
        run(inputs)  # warm-up
        best = min(run(inputs) for _ in range(repeats))
        status = "ok" if best < target else "SLOW"
        print(
            f"eum: {n:4d} actors x {ROUNDS} rounds x 1 issue: {best * 1e3:9.2f} ms "
            f"(best of {repeats}; target < {target * 1e3:.0f} ms) {status}"
        )


if __name__ == "__main__":
    main()
