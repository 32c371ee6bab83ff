"""Sampling: plain numbers, reproducible, common random numbers across scenarios."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario.load import load_scenario
from sim.scenario.sample import (
    Sampler,
    draw,
    param_uniform,
    path_key,
    random_params,
    walk_params,
)
from tests.scenario.common import EXAMPLE, GOOD

FULL = GOOD / "full.yaml"
FULL_RANDOM = [
    "actors.patron.economy",
    "actors.patron.position.tenure",
    "actors.patron.salience.tenure",
    "actors.patron.resolve",
    "actors.patron.pain_tolerance",
    "levers.0.intensity",
    "levers.2.amount",
    "levers.3.to",
    "triggers.0.probability",
    "battlefield.rate",
]


@pytest.fixture(scope="module")
def full():
    return load_scenario(FULL)


def test_random_params_are_the_distributions_with_their_paths(full):
    params = random_params(full)
    assert [path for path, _ in params] == FULL_RANDOM
    assert all(p.random for _, p in params)


def test_walk_params_sees_every_number_by_document_path(full):
    paths = dict(walk_params(full))
    assert paths["actors.patron.force"].value == 30
    assert paths["triggers.0.then.to"].value == 1.0
    assert paths["bargaining.tolerance"].value == 0.1
    assert "triggers.0.when.for" not in paths  # step numbers are plain integers


def test_draws_are_plain_numbers_inside_the_support(full):
    params = random_params(full)
    for replication in range(50):
        values = draw(params, seed=3, replication=replication)
        assert list(values) == FULL_RANDOM
        for path, p in params:
            assert type(values[path]) is float, path
            lo, hi = p.support()
            if p.kind != "normal":
                assert lo <= values[path] <= hi, path
        assert values["actors.patron.economy"] > 0  # a normal clipped to its valid range
        assert values["actors.patron.pain_tolerance"] in (0.02, 0.03, 0.05)


def test_the_same_seed_gives_the_same_draws(full):
    params = random_params(full)
    assert draw(params, 11, 4) == draw(params, 11, 4)
    assert draw(params, 11, 4) == draw(random_params(load_scenario(FULL)), 11, 4)


def test_replications_and_seeds_differ(full):
    params = random_params(full)
    by_replication = [draw(params, 11, r) for r in range(20)]
    for path in FULL_RANDOM:
        if path != "actors.patron.pain_tolerance":  # a choice of 3 values repeats
            assert len({d[path] for d in by_replication}) == 20, path
    assert draw(params, 11, 0) != draw(params, 12, 0)


def test_parameters_in_one_replication_are_not_all_the_same_stream(full):
    values = draw(random_params(full), 5, 0)
    u = [param_uniform(5, 0, path) for path in FULL_RANDOM]
    assert len(set(u)) == len(u)
    assert values["levers.3.to"] == pytest.approx(0.4 + 0.4 * param_uniform(5, 0, "levers.3.to"))


def test_common_random_numbers_across_scenarios(full):
    """The same parameter path gets the same draw, however else the scenarios differ."""
    variant = load_scenario(
        FULL,
        overrides=[
            "horizon=3",
            "seed=99",
            "actors.client.resolve={uniform: [0.1, 0.9]}",
            "actors.outsider.force={triangular: [1, 5, 20]}",
            "levers.4.intensity={beta: [2, 2]}",
            "battlefield.noise={uniform: [0, 0.01]}",
            "bargaining.model=eum",
            "actors.patron.economy={normal: {mean: 1.5, sd: 0.1}, note: another note}",
        ],
    )
    base_params, variant_params = random_params(full), random_params(variant)
    assert len(variant_params) == len(base_params) + 4
    for replication in range(10):
        base = draw(base_params, 2016, replication)
        other = draw(variant_params, 2016, replication)
        for path in FULL_RANDOM:
            assert base[path] == other[path], path


def test_common_random_numbers_in_a_variant_that_extends_a_parent():
    parent = load_scenario(
        GOOD / "parent.yaml", overrides=["actors.rebels.resolve={uniform: [0, 1]}"]
    )
    child = load_scenario(
        GOOD / "grandchild.yaml", overrides=["actors.rebels.resolve={uniform: [0, 1]}"]
    )
    path = "actors.rebels.resolve"
    for replication in range(5):
        assert (
            draw(random_params(parent), 1, replication)[path]
            == draw(random_params(child), 1, replication)[path]
        )


def test_a_changed_distribution_keeps_its_uniform_number():
    """Changing a parameter's distribution moves its draws monotonically (paired)."""
    low = load_scenario(EXAMPLE, overrides=["actors.patron.resolve={uniform: [0.1, 0.2]}"])
    high = load_scenario(EXAMPLE, overrides=["actors.patron.resolve={uniform: [0.6, 0.9]}"])
    path = "actors.patron.resolve"
    lows = [draw(random_params(low), 0, r)[path] for r in range(30)]
    highs = [draw(random_params(high), 0, r)[path] for r in range(30)]
    u = [(x - 0.1) / 0.1 for x in lows]
    assert highs == pytest.approx([0.6 + 0.3 * v for v in u])


def test_param_uniform_is_stable():
    """Pinned: changing these values silently changes every published run."""
    assert param_uniform(0, 0, "actors.russia.resolve") == 0.9024865964987848
    assert param_uniform(2016, 3, "levers.0.to") == 0.9327399697529021
    assert path_key("actors.russia.resolve") == path_key("actors.russia.resolve")
    assert path_key("actors.russia.resolve") != path_key("actors.russia.resolv")


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**63),
    replication=st.integers(0, 10**9),
    path=st.text(min_size=1, max_size=40),
)
def test_param_uniform_is_in_the_unit_interval(seed, replication, path):
    u = param_uniform(seed, replication, path)
    assert type(u) is float
    assert 0.0 <= u < 1.0
    assert param_uniform(seed, replication, path) == u


def test_uniform_numbers_look_uniform():
    us = [param_uniform(7, r, "actors.x.resolve") for r in range(4000)]
    assert statistics.mean(us) == pytest.approx(0.5, abs=0.02)
    assert statistics.pvariance(us) == pytest.approx(1 / 12, abs=0.005)
    assert sum(u < 0.1 for u in us) == pytest.approx(400, abs=60)


def test_distributions_have_their_means(full):
    params = dict(random_params(full))
    draws = [draw(list(params.items()), 1, r) for r in range(3000)]
    for path, p in params.items():
        mean = statistics.mean(d[path] for d in draws)
        lo, hi = (
            p.support()
            if p.kind != "normal"
            else (p.normal.mean - 3 * p.normal.sd, p.normal.mean + 3 * p.normal.sd)
        )
        assert mean == pytest.approx(p.center(), abs=0.05 * (hi - lo) + 1e-12), path


@pytest.mark.parametrize("seed", [0, 1, 2016, 2**32 + 5, 2**63])
def test_the_vectorised_sampler_draws_the_same_values(full, seed):
    params = random_params(full)
    sampler = Sampler(params)
    for replication in [0, 1, 2, 99, 2**32 - 1, 2**32, 2**40 + 3, 2**70]:
        fast = sampler.draw(seed, replication)
        assert fast == draw(params, seed, replication), replication
        assert all(type(v) is float for v in fast.values())


def test_no_random_parameters():
    scenario = load_scenario(GOOD / "minimal.yaml")
    assert random_params(scenario) == []
    assert draw([], 0, 0) == {}


def test_a_batch_of_draws_equals_each_replication_s_draw():
    import numpy as np

    from sim.scenario.params import Param
    from sim.scenario.sample import Sampler

    params = [
        ("a", Param.model_validate({"uniform": [1, 3]})),
        ("b", Param.model_validate({"triangular": [0, 0.2, 1]})),
        ("c", Param.model_validate({"normal": {"mean": 2, "sd": 1}})),
        ("d", Param.model_validate({"choice": [1, 2, 5]})),
        ("e", Param.model_validate({"beta": [2, 5]})),
    ]
    sampler = Sampler(params)
    numbers = np.array([0, 1, 7, 2**32 - 1, 123456])
    batch = sampler.draw_batch(11, numbers)
    for row, r in zip(batch, numbers, strict=True):
        assert row.tolist() == list(sampler.draw(11, int(r)).values())
