"""The ensemble steps replications together with exactly the numbers of one by one."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiment.replication import make_replication
from sim.model.ensemble import MAX_BATCH, Ensemble, batch_size
from sim.model.inputs import Blueprint
from sim.outcomes import outcomes
from sim.scenario import load_scenario
from tests.factories import make_scenario, scenario_data

ROOT = Path(__file__).parents[2]
SHIPPED = ["syria_2016/baseline.yaml", "syria_2016/safe_zone.yaml",
           "syria_2016/sanctions_broad.yaml", "syria_2016/full_package_russia_redeploys.yaml",
           "examples/patron_client.yaml", "validation/ec_emissions_1994.yaml"]


def assert_same_runs(scenario, seed, replications, record=True):
    blueprint = Blueprint(scenario)
    alone = [make_replication(blueprint, seed, r, record).run() for r in replications]
    together = Ensemble([make_replication(blueprint, seed, r, record)
                         for r in replications]).run()
    pd.testing.assert_frame_equal(
        pd.DataFrame([outcomes(m, r) for r, m in zip(replications, alone, strict=True)]),
        pd.DataFrame([outcomes(m, r) for r, m in zip(replications, together, strict=True)]),
        check_exact=True)
    for a, b in zip(alone, together, strict=True):
        assert a.state.step == b.state.step == b.steps
        if record:
            for name in ("territory", "forecast", "force", "position", "stress", "cost"):
                np.testing.assert_array_equal(getattr(a.recorder, name),
                                              getattr(b.recorder, name))
    return together


@pytest.mark.parametrize("path", SHIPPED)
def test_shipped_scenarios_give_the_same_numbers_together_and_alone(path):
    scenario = load_scenario(ROOT / "scenarios" / path)
    assert_same_runs(scenario, scenario.seed, range(10, 22))


def two_issue_data(**changes):
    data = scenario_data(battlefield={"noise": 0.08, "decisiveness": 3.0, "collapse": 0.1},
                         horizon=30, **changes)
    data["issues"] = {"tenure": {}, "federalism": {"scale": [0, 10]}}
    for i, actor in enumerate(data["actors"].values()):
        actor["position"]["federalism"] = 2.0 + 2 * i
        actor["salience"]["federalism"] = 0.3 + 0.1 * i
    return data


@pytest.mark.parametrize("bargaining", ["influence", "compromise"])
def test_collapses_safe_zones_and_two_issues_give_the_same_numbers(bargaining):
    data = two_issue_data(bargaining={"model": bargaining, "tolerance": 0.2, "hold": 2})
    data["levers"] = [
        {"type": "talks", "participants": ["patron", "client", "outsider", "rebels"]},
        {"type": "safe_zone", "sponsors": ["outsider"], "protects": "reb", "share": 0.3,
         "start": 10, "end": 15},
        {"type": "deployment", "actor": "patron", "to": 0.2, "start": 4, "ramp": 5},
    ]
    scenario = make_scenario(**{k: v for k, v in data.items() if k != "name"})
    runs = assert_same_runs(scenario, 11, range(40))
    assert_same_runs(scenario, 11, range(40), record=False)
    assert any(not m.state.alive.all() for m in runs)  # (collapses happened)
    assert any(m.victory >= 0 for m in runs)


def fail_at(model, step):
    prepare = model._prepare

    def failing(prev, t, derive=True):
        if t == step:
            raise RuntimeError("boom")
        return prepare(prev, t, derive)

    model._prepare = failing


def test_settling_replications_stop_while_the_others_go_on():
    scenario = make_scenario(battlefield={"noise": 0.03}, horizon=40,
                             bargaining={"tolerance": 0.58, "hold": 2},
                             levers=[{"type": "talks", "participants": list(
                                 scenario_data()["actors"])}])
    runs = assert_same_runs(scenario, 5, range(30))
    assert all(m.settled for m in runs) and len({m.state.step for m in runs}) > 5


def test_a_failing_replication_stops_alone():
    blueprint = Blueprint(make_scenario(battlefield={"noise": 0.02}))
    members = [make_replication(blueprint, 3, r) for r in range(4)]
    fail_at(members[2], 5)
    seen = []
    ensemble = Ensemble(members, lambda i, exc: seen.append((i, str(exc))))
    ensemble.run()
    assert seen == [(2, "boom")] and ensemble.failed == {2}
    assert members[2].state.step == 4
    assert [m.state.step for i, m in enumerate(members) if i != 2] == [20, 20, 20]


def test_without_an_error_handler_the_error_is_raised():
    blueprint = Blueprint(make_scenario())
    members = [make_replication(blueprint, 3, r) for r in range(2)]
    fail_at(members[1], 2)
    with pytest.raises(RuntimeError, match="boom"):
        Ensemble(members).run()


def test_when_deriving_together_fails_each_replication_derives_alone(monkeypatch):
    def broken(self, members, prevs):
        raise FloatingPointError("batch")

    monkeypatch.setattr(Ensemble, "_derive_together", broken)
    data = two_issue_data()
    data["levers"] = [{"type": "deployment", "actor": "patron", "to": 0.2, "start": 4,
                       "ramp": 5}]
    scenario = make_scenario(**{k: v for k, v in data.items() if k != "name"})
    assert_same_runs(scenario, 11, range(6))
    members = [make_replication(Blueprint(scenario), 11, r) for r in range(4)]
    derive = members[1]._derive

    def failing(prev):
        if prev.step == 5:
            raise RuntimeError("derive")
        derive(prev)

    members[1]._derive = failing
    seen = []
    ensemble = Ensemble(members, lambda i, exc: seen.append((i, str(exc))))
    ensemble.run()
    assert seen == [(1, "derive")] and members[1].state.step == 5
    assert all(m.state.step == 30 for i, m in enumerate(members) if i != 1)


def test_small_scenarios_step_many_replications_together():
    assert batch_size(17, 1) == MAX_BATCH
    assert 10 < batch_size(50, 1) < 50


def test_the_batch_shrinks_as_actors_and_issues_grow_down_to_one():
    sizes = [batch_size(actors, 1) for actors in (10, 50, 100, 150, 200, 400)]
    assert sizes == sorted(sizes, reverse=True)
    assert batch_size(50, 4) < batch_size(50, 1)
    assert batch_size(200, 1) == batch_size(1000, 3) == 1
