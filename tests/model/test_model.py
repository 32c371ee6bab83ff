import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.bargaining.influence import equilibrium, influence_weights, susceptibility
from sim.engine import Blueprint
from sim.errors import LeverageError
from sim.model import run_replication
from sim.model.model import LeverageModel
from sim.scenario.sample import replication_rng
from tests.factories import make_scenario, outcomes, scenario_data, with_levers


def run(scenario, seed=1, replication=0):
    return run_replication(Blueprint(scenario), seed, replication)


def test_friedkin_johnsen_closed_form():
    scenario = make_scenario(battlefield={"rate": 0, "noise": 0}, horizon=400)
    model = run(scenario)
    p = model.params  # (a batch of one)
    lam = susceptibility(p.resolve[0], np.zeros(4))
    e = model.engine
    weights = influence_weights(e.structural, e.network, p.salience)[0]
    expected = equilibrium(p.x0[0], weights, lam)
    np.testing.assert_allclose(model.state.x[0], expected, atol=1e-6)
    np.testing.assert_array_equal(model.leverage, p.leverage[0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.floats(0.01, 1.0), min_size=2, max_size=4),
    st.floats(0, 0.2),
    st.floats(0.2, 3),
    st.floats(0, 1),
    st.integers(0, 10_000),
    st.lists(st.floats(0, 200), min_size=4, max_size=4),
)
def test_territory_stays_a_distribution(raw, noise, gamma, rate, seed, forces):
    sides = {f"s{i}": v / sum(raw) for i, v in enumerate(raw)}
    names = list(sides)
    data = scenario_data(
        sides=sides,
        battlefield={"noise": noise, "decisiveness": gamma, "rate": rate, "collapse": 0.05},
    )
    for i, (actor, force) in enumerate(zip(data["actors"].values(), forces, strict=True)):
        actor["side"] = names[i % len(names)]
        actor["force"] = force
    data["levers"] = [
        {
            "type": "safe_zone",
            "sponsors": ["outsider"],
            "protects": names[-1],
            "share": 0.2,
            "start": 3,
            "end": 8,
        }
    ]
    model = run(make_scenario(**{k: v for k, v in data.items() if k != "name"}), seed=seed)
    territory = model.recorder.territory[: model.step_count + 1, 0]
    np.testing.assert_allclose(territory.sum(axis=1), 1.0, atol=1e-9)
    assert territory.min() >= 0 and territory.max() <= 1 + 1e-12


def test_same_seed_same_outcomes_other_seed_other_outcomes():
    scenario = make_scenario(battlefield={"noise": 0.02}, actors={**scenario_data()["actors"]})
    a = outcomes(run(scenario, seed=3))
    b = outcomes(run(scenario, seed=3))
    c = outcomes(run(scenario, seed=4))
    assert a == b
    assert a["territory.gov"] != c["territory.gov"]


def test_a_run_without_time_series_has_the_same_outcomes_and_says_it_kept_none():
    blueprint = Blueprint(
        with_levers(
            {"type": "deployment", "actor": "patron", "to": 0.5, "start": 2, "ramp": 3},
            battlefield={"noise": 0.02},
        )
    )
    kept = run_replication(blueprint, 7, 2)
    skipped = run_replication(blueprint, 7, 2, record=False)
    assert outcomes(skipped, 2) == outcomes(kept, 2)
    assert skipped.recorder is None
    with pytest.raises(LeverageError, match="kept no time series"):
        skipped.timeseries()


def test_with_every_noise_zero_the_model_is_deterministic():
    scenario = make_scenario()
    a = outcomes(run(scenario, seed=1))
    b = outcomes(run(scenario, seed=99))
    assert a == b


def test_step_zero_is_the_initial_state_and_series_are_complete():
    model = run(make_scenario())
    series = model.timeseries()
    assert series["step"].tolist() == list(range(21))
    assert series.loc[0, "territory.gov"] == 0.5
    actors = model.actor_series()
    assert set(actors.columns) == {
        "replication",
        "step",
        "actor",
        "force",
        "position.tenure",
        "stress",
        "cost",
    }
    assert actors[actors.step == 0].set_index("actor").loc["patron", "force"] == 30


def test_positions_are_reported_on_the_issue_scale():
    data = scenario_data()
    data["issues"] = {"tenure": {"scale": [0, 10]}}
    for actor in data["actors"].values():
        actor["position"]["tenure"] *= 10
    model = run(make_scenario(**{k: v for k, v in data.items() if k != "name"}))
    row = outcomes(model)
    assert 0 <= row["forecast.tenure"] <= 10
    assert model.actors["client"].positions["tenure"] > 5


def test_agents_are_mesa_agents_with_readable_state():
    import mesa

    model = run(make_scenario())
    agent = model.actors["patron"]
    assert isinstance(agent, mesa.Agent) and agent in model.agents
    assert agent.side == "gov" and agent.force == 30
    assert agent.leverage == {"client": 0.5}
    assert agent.stress == 0 and agent.cost == 0


def test_settlement_is_recorded_and_stops_the_run():
    talks = {"type": "talks", "participants": ["patron", "client", "outsider", "rebels"]}
    scenario = with_levers(talks, bargaining={"tolerance": 1.0, "hold": 3})
    model = run(scenario)
    row = outcomes(model)
    assert row["settled"] and row["settlement_step"] == 3
    assert model.timeseries()["step"].max() == 3
    assert row["settlement_position.tenure"] == pytest.approx(row["forecast.tenure"])


def test_no_settlement_without_talks():
    row = outcomes(run(make_scenario(bargaining={"tolerance": 1.0, "hold": 1})))
    assert not row["settled"] and np.isnan(row["settlement_step"])


def test_collapse_and_victory():
    data = scenario_data()
    data["actors"]["client"]["force"] = 5000
    scenario = make_scenario(
        actors=data["actors"], battlefield={"rate": 0.5, "noise": 0, "collapse": 0.05}
    )
    row = outcomes(run(scenario))
    assert row["victory"] == "gov"
    assert row["territory.reb"] == 0.0


def test_trigger_fires_once_when_its_condition_holds():
    trigger = {
        "name": "back",
        "when": {"metric": "territory.gov", "op": "<", "value": 0.45, "for": 2},
        "then": {"type": "deployment", "actor": "patron", "to": 3.0},
    }
    data = scenario_data()
    data["actors"]["rebels"]["force"] = 120
    scenario = make_scenario(actors=data["actors"], triggers=[trigger])
    model = run(scenario)
    row = outcomes(model)
    assert row["triggered.back"]
    step = int(row["triggered_step.back"])
    assert model.recorder.force[step, 0, 0] == 90
    assert model.engine.triggers.fired_at[0][0] == [step]
    never = dict(trigger, when={"metric": "step", "op": ">", "value": 100})
    assert not outcomes(run(make_scenario(actors=data["actors"], triggers=[never])))[
        "triggered.back"
    ]


def test_trigger_probability_zero_never_fires_and_repeat_fires_again():
    base = {
        "name": "t",
        "when": {"metric": "step", "op": ">=", "value": 0},
        "then": {"type": "pressure", "sender": "patron", "target": "client"},
    }
    model = run(make_scenario(triggers=[dict(base, probability=0.0)]))
    assert model.engine.triggers.fired_at[0][0] == []
    model = run(make_scenario(triggers=[dict(base, repeat=True)]))
    assert model.engine.triggers.fired_at[0][0] == list(range(1, 21))


def test_model_accepts_a_scenario_directly():
    model = LeverageModel(make_scenario(), rng=replication_rng(0, 0)).run()
    assert model.state.step == 20 and model.step_count == 20


def test_a_view_of_a_batch_row_reads_like_the_replication_run_alone():
    from sim.experiment.replication import run_engine

    blueprint = Blueprint(
        with_levers(
            {"type": "deployment", "actor": "patron", "to": 0.5, "start": 2, "ramp": 3},
            battlefield={"noise": 0.02},
        )
    )
    engine = run_engine(blueprint, 7, np.arange(5))
    view = LeverageModel.view(engine, 3, replication=3)
    alone = run_replication(blueprint, 7, 3)
    assert view.outcomes(3) == alone.outcomes(3)
    assert view.actors["patron"].force == alone.actors["patron"].force
    assert view.actors["client"].leverage == alone.actors["client"].leverage
    assert view.timeseries(3).equals(alone.timeseries(3))
    with pytest.raises(LeverageError, match="view of one row"):
        view.step()


def test_workers_running_chunks_do_not_import_mesa():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from sim.experiment.replication import Chunk, run_chunk\n"
        "from sim.scenario import load_scenario\n"
        "run_chunk(load_scenario('scenarios/examples/patron_client.yaml'), 1, "
        "Chunk(0, 0, 3), True)\n"
        "print('mesa' in sys.modules)\n"
    )
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert done.stdout.strip() == "False"
