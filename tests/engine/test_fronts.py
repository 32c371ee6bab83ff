"""Fronts, population and ceasefires (docs/model.md, "Fronts, population and ceasefires")."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.engine import Blueprint, Engine, Streams
from sim.engine.fronts import FrontParams, Fronts, population_left, population_pooled
from sim.outcomes import outcome_columns
from tests.factories import make_scenario, scenario_data

ONE_FRONT = [{"sides": ["gov", "reb"], "allocation": {"gov": 1, "reb": 1}}]
NOISY = {"noise": 0.01, "rate": 0.2}
CALM = {"noise": 0.0, "rate": 0.2}


def run(scenario, n=6, seed=3, numbers=None, record=True):
    bp = Blueprint(scenario)
    numbers = np.arange(n) if numbers is None else np.asarray(numbers)
    return Engine(bp, bp.draw_batch(seed, numbers), Streams.of_run(seed, numbers), record).run()


def three_sides(**changes):
    """The toy with a third side (isis, held by the jihadis) and the given changes."""
    data = scenario_data()
    data["sides"] = {"gov": 0.4, "reb": 0.35, "isis": 0.25}
    data["actors"]["jihadis"] = {
        "side": "isis",
        "force": 25,
        "economy": 0.01,
        "position": {"tenure": 0.0},
        "salience": {"tenure": 0.0},
    }
    data.update(changes)
    return make_scenario(**data)


def cease(**fields):
    return {"type": "ceasefire", "name": "truce", "fronts": [["gov", "reb"]], **fields}


# -- reduction to the one contest ---------------------------------------------------------


@pytest.mark.parametrize(
    "levers",
    [
        [],
        [{"type": "military_aid", "donor": "outsider", "recipient": "reb", "amount": 40}],
        [{"type": "safe_zone", "sponsors": ["outsider"], "protects": "reb", "share": 0.55}],
    ],
)
def test_two_sides_one_front_full_allocation_is_todays_contest(levers):
    # (within 1e-12, not bit for bit: the front's flow is exactly antisymmetric, Φ_cb = −Φ_bc,
    # while the one contest moves side c by κ(P_c − T_c); P_b + P_c and T_b + T_c are 1
    # only to rounding, so side c can differ in the last bit)
    today = run(make_scenario(battlefield=NOISY, levers=levers))
    fronts = run(make_scenario(battlefield=NOISY, levers=levers, fronts=ONE_FRONT))
    np.testing.assert_allclose(fronts.recorder.territory, today.recorder.territory, atol=1e-12)
    np.testing.assert_allclose(fronts.recorder.harm, today.recorder.harm, rtol=1e-12)
    np.testing.assert_allclose(fronts.recorder.cost, today.recorder.cost, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(fronts.state.victory, today.state.victory)


def test_without_fronts_or_population_there_is_no_population():
    e = run(make_scenario())
    assert e.state.population is None and e.params.fronts is None
    assert not any(c.startswith("population.") for c in outcome_columns(e, np.arange(6)))
    frame = e.recorder.model_frame(
        e.state.last_step, np.arange(6), e.index.sides, e.index.issues, e.blueprint.to_scale
    )
    assert not any(c.startswith("population.") for c in frame.columns)


def test_population_without_fronts_leaves_the_contest_alone():
    today = run(make_scenario(battlefield=NOISY))
    counted = run(make_scenario(battlefield=NOISY, population={"gov": 0.7, "reb": 0.3}))
    np.testing.assert_array_equal(counted.recorder.territory, today.recorder.territory)
    np.testing.assert_array_equal(counted.recorder.harm, today.recorder.harm)
    pop = counted.recorder.population
    np.testing.assert_allclose(pop[0, 0], [0.7, 0.3])
    np.testing.assert_allclose(pop.sum(axis=-1), 1.0, atol=1e-12)
    frame = counted.recorder.model_frame(
        counted.state.last_step, np.arange(6), ("gov", "reb"), ("tenure",), lambda x: x
    )
    assert list(frame.columns[:6]) == [
        "replication",
        "step",
        "territory.gov",
        "territory.reb",
        "population.gov",
        "population.reb",
    ]


def test_uniform_density_keeps_population_equal_to_territory():
    # (without noise: the noise, floors and renormalisation move no people)
    fronts = [
        {"sides": ["gov", "reb"], "allocation": {"gov": 0.6, "reb": 0.7}},
        {"sides": ["gov", "isis"], "allocation": {"gov": 0.4, "isis": 0.5}, "rate": 0.3},
        {"sides": ["reb", "isis"], "allocation": {"reb": 0.3, "isis": 0.5}},
    ]
    e = run(three_sides(battlefield=CALM, fronts=fronts))
    np.testing.assert_allclose(e.recorder.population, e.recorder.territory, atol=1e-12)


def test_a_dense_front_moves_more_people_than_ground():
    dense = [{"sides": ["gov", "reb"], "allocation": {"gov": 1, "reb": 0.5}, "density": 2.0}]
    population = {"gov": 0.4, "reb": 0.6}
    e = run(
        make_scenario(battlefield={"rate": 0.2, "noise": 0.0}, fronts=dense, population=population),
        n=1,
    )
    t, pop = e.recorder.territory[:, 0], e.recorder.population[:, 0]
    # gov (80 against the rebels' 40) takes ground; the people on it are twice the ground
    # times the rebels' population per unit of their territory (0.6 / 0.5)
    ground = t[1, 0] - t[0, 0]
    assert ground > 0
    assert pop[1, 0] - pop[0, 0] == pytest.approx(2.0 * ground * 0.6 / 0.5, rel=1e-9)
    assert pop[1].sum() == pytest.approx(1.0, abs=1e-15)


# -- conservation ---------------------------------------------------------------------------

share = st.floats(0.0, 1.0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alloc=st.lists(share, min_size=6, max_size=6),
    rates=st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3),
    density=st.lists(st.floats(0.0, 5.0), min_size=3, max_size=3),
    pop=st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3),
    noise=st.floats(0.0, 0.05),
)
def test_territory_and_population_are_conserved(alloc, rates, density, pop, noise):
    g1, g2, r1, r2, i1, i2 = alloc
    # (each side's allocations over its two fronts at most 1)
    g2, r2, i2 = g2 * (1 - g1), r2 * (1 - r1), i2 * (1 - i1)
    fronts = [
        {"sides": ["gov", "reb"], "allocation": {"gov": g1, "reb": r1}, "rate": rates[0]},
        {"sides": ["isis", "gov"], "allocation": {"gov": g2, "isis": i1}, "rate": rates[1]},
        {"sides": ["reb", "isis"], "allocation": {"reb": r2, "isis": i2}, "rate": rates[2]},
    ]
    for f, d in zip(fronts, density, strict=True):
        f["density"] = d
    total = sum(pop)
    population = {
        "gov": pop[0] / total,
        "reb": pop[1] / total,
        "isis": 1 - (pop[0] + pop[1]) / total,
    }
    e = run(
        three_sides(battlefield={"noise": noise}, fronts=fronts, population=population),
        n=3,
        numbers=[0, 1, 2],
    )
    t, n = e.recorder.territory, e.recorder.population
    np.testing.assert_allclose(t.sum(axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(n.sum(axis=-1), 1.0, atol=1e-12)
    assert (t >= 0).all() and (n >= -1e-15).all()
    # a side with no territory left has no people left
    assert (n[t == 0] <= 1e-12).all()


def test_flows_are_antisymmetric():
    rng = np.random.default_rng(1)
    r = 5
    territory = rng.dirichlet(np.ones(3), size=r)
    strength = rng.uniform(0, 50, size=(r, 3))
    gamma = rng.uniform(0.3, 2, size=r)
    alloc = rng.uniform(0, 0.5, size=(r, 3, 2))
    rate, density = rng.uniform(0, 0.5, size=(r, 3)), rng.uniform(0, 2, size=(r, 3))
    sides = np.array([[0, 1], [0, 2], [1, 2]])

    def fight(sides, alloc):
        params = FrontParams(sides, alloc, rate, density, territory, np.zeros((r, 0, 0)))
        return Fronts(sides, 3).fight(territory, strength, params, gamma, None)

    ahead = fight(sides, alloc)
    behind = fight(sides[:, ::-1], alloc[:, :, ::-1])
    np.testing.assert_allclose(behind.flows, -ahead.flows, atol=1e-15)
    np.testing.assert_allclose(behind.gain, ahead.gain, atol=1e-15)
    # each front adds to one side exactly what it takes from the other
    assert np.abs(ahead.gain.sum(axis=-1)).max() < 1e-15
    assert ahead.gain[:, 0] == pytest.approx(ahead.flows[:, 0] + ahead.flows[:, 1])


def test_a_side_left_without_territory_hands_over_its_people():
    population = np.array([[0.5, 0.3, 0.2]])
    territory = np.array([[0.55, 0.45, 0.0]])  # the third side collapsed
    out = population_left(population, territory)
    assert out[0, 2] == 0.0
    assert out.sum() == pytest.approx(1.0, abs=1e-15)
    # its people go to the others in proportion to their territory
    np.testing.assert_allclose(out[0, :2], [0.5 + 0.2 * 0.55, 0.3 + 0.2 * 0.45])


def test_the_one_contest_moves_people_at_the_losers_density():
    population = np.array([[0.6, 0.3, 0.1]])
    before = np.array([[0.3, 0.3, 0.4]])
    after = np.array([[0.35, 0.3, 0.35]])  # the third side loses an eighth of its ground
    out = population_pooled(population, before, after)
    np.testing.assert_allclose(out, [[0.6 + 0.1 / 8, 0.3, 0.1 * 7 / 8]])


# -- ceasefires ------------------------------------------------------------------------------


def test_allocation_shifts_to_the_other_fronts():
    fronts = Fronts(np.array([[0, 1], [0, 2]]), 3)
    alloc = np.array([[[0.5, 1.0], [0.3, 0.6]]])
    activity = np.array([[0.2, 1.0]])
    out = fronts.allocate(alloc, activity)
    # side 0 keeps its total 0.8, spread over 0.5 * 0.2 and 0.3 (weights 0.1 and 0.3)
    np.testing.assert_allclose(out[0, :, 0], [0.8 * 0.1 / 0.4, 0.8 * 0.3 / 0.4])
    # side 1 has no other front: what it keeps stays where it is
    np.testing.assert_allclose(out[0, 0, 1], 1.0)
    assert fronts.allocate(alloc, None) is alloc


def test_a_ceasefire_slows_its_front_and_shifts_force_to_the_others():
    fronts = [
        {"sides": ["gov", "reb"], "allocation": {"gov": 0.5, "reb": 0.8}},
        {"sides": ["gov", "isis"], "allocation": {"gov": 0.5, "isis": 1.0}},
    ]
    war = run(three_sides(battlefield=CALM, fronts=fronts), n=1)
    truce = cease(reduction=1.0, hazard=0.0)
    calm = run(three_sides(battlefield=CALM, fronts=fronts, levers=[truce]), n=1)
    t_war, t_calm = war.recorder.territory[:, 0], calm.recorder.territory[:, 0]
    # no fighting between gov and reb: the rebels' ground changes only on their isis front,
    # where they have none; gov, with all its force against isis, gains more from isis
    np.testing.assert_allclose(t_calm[:, 1], t_calm[0, 1])
    assert t_calm[-1, 2] < t_war[-1, 2]
    cols = outcome_columns(calm, np.arange(1))
    assert cols["ceasefire.truce.held_weeks"][0] == 20 and not cols["ceasefire.truce.broke_down"][0]


@pytest.mark.parametrize("reduction", [0.3, 0.8, 1.0])
def test_a_ceasefire_cuts_civilian_harm_by_its_reduction_on_a_lone_front(reduction):
    """Two sides with one front: the forces a ceasefire idles have nowhere else to fight,
    so the harm of each step in force falls by the reduction (a newcomer found it did not
    change at all below a reduction of 1)."""
    war = run(make_scenario(battlefield=CALM, fronts=ONE_FRONT), n=1)
    truce = cease(reduction=reduction, hazard=0.0)
    calm = run(make_scenario(battlefield=CALM, fronts=ONE_FRONT, levers=[truce]), n=1)
    harm_war = np.diff(war.recorder.harm[:, 0])
    harm_calm = np.diff(calm.recorder.harm[:, 0])
    np.testing.assert_allclose(harm_calm, harm_war * (1 - reduction), rtol=1e-9, atol=1e-12)


def survival(hazard, monitoring=0.0, spoilers=0.0, n=2000, horizon=150):
    lever = cease(reduction=0.5, hazard=hazard, monitoring=monitoring, spoiler_share=spoilers)
    e = run(make_scenario(fronts=ONE_FRONT, levers=[lever], horizon=horizon), n=n, record=False)
    cols = outcome_columns(e, np.arange(n))
    return cols["ceasefire.truce.held_weeks"], cols["ceasefire.truce.broke_down"]


@pytest.mark.parametrize(
    ("hazard", "monitoring", "spoilers"), [(0.1, 0.0, 0.0), (0.1, 0.5, 0.0), (0.05, 0.2, 0.5)]
)
def test_median_survival_matches_the_hazard(hazard, monitoring, spoilers):
    h = hazard * (1 - monitoring) * (1 + spoilers)
    held, broke = survival(hazard, monitoring, spoilers)
    # held weeks are geometric: P(held >= k) = (1 − h)^k, so the median is the first k with
    # (1 − h)^(k + 1) <= 1/2, which is ln 2 / h to within a week (discreteness)
    exact = math.ceil(math.log(2) / -math.log(1 - h)) - 1
    assert abs(exact - math.log(2) / h) <= 1.0
    # sampling: the median of n = 2000 draws has sd about 1 / (2 f(m) sqrt(n)) with density
    # f(m) ≈ h/2 at the median, i.e. 0.45 weeks at h = 0.05; 2 weeks is over 4 sd
    assert abs(np.median(held) - exact) <= 2.0
    assert broke.mean() > 0.99  # (almost all break down within 150 weeks)


def test_monitoring_lengthens_and_spoilers_shorten_a_ceasefire():
    base, _ = survival(0.1)
    monitored, _ = survival(0.1, monitoring=0.6)
    spoiled, _ = survival(0.1, spoilers=1.0)
    assert np.median(monitored) > np.median(base) > np.median(spoiled)


def test_a_row_alone_and_in_a_batch_gives_the_same_numbers():
    fronts = [
        {"sides": ["gov", "reb"], "allocation": {"gov": 0.6, "reb": {"uniform": [0.4, 1.0]}}},
        {"sides": ["gov", "isis"], "allocation": {"gov": 0.4, "isis": 1}, "density": 0.3},
    ]
    levers = [cease(reduction={"uniform": [0.3, 0.9]}, start=2)]
    scenario = three_sides(
        battlefield={"noise": 0.01, "decisiveness": {"uniform": [0.3, 2.0]}},
        fronts=fronts,
        population={"gov": 0.5, "reb": 0.3, "isis": 0.2},
        levers=levers,
    )
    batch = run(scenario, numbers=np.arange(7))
    together = outcome_columns(batch, np.arange(7))
    for r in (0, 3, 6):
        alone = run(scenario, numbers=[r])
        np.testing.assert_array_equal(
            alone.recorder.territory[:, 0], batch.recorder.territory[:, r]
        )
        np.testing.assert_array_equal(
            alone.recorder.population[:, 0], batch.recorder.population[:, r]
        )
        np.testing.assert_array_equal(alone.recorder.harm[:, 0], batch.recorder.harm[:, r])
        for name, values in outcome_columns(alone, np.array([r])).items():
            np.testing.assert_array_equal(values[0], together[name][r], err_msg=name)
