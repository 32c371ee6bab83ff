"""The resolved scenario dumps to YAML that loads back to an equal scenario."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.dump import dump_scenario
from sim.scenario.load import load_scenario
from sim.scenario.yamlio import Dumper
from tests.scenario.common import GOOD, SHIPPED, load_cached, load_text

FILES = [*sorted(GOOD.glob("*.yaml")), *SHIPPED]


def round_trip(text: str) -> Any:
    return load_text(text, "dumped.yaml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_round_trip(path):
    scenario = load_cached(path)
    text = dump_scenario(scenario)
    again = round_trip(text)
    assert again == scenario
    assert dump_scenario(again) == text  # a fixed point


def test_extends_is_resolved_and_distributions_are_kept():
    text = dump_scenario(load_scenario(GOOD / "child.yaml"))
    data = yaml.safe_load(text)
    assert "extends" not in data
    assert data["actors"]["patron"]["resolve"] == {"uniform": [0.7, 0.9]}
    assert data["actors"]["patron"]["force"] == 30.0
    assert [lever["type"] for lever in data["levers"]] == ["talks", "deployment"]
    assert data["triggers"][0]["when"]["for"] == 1  # the YAML key, not the Python name


def test_every_default_is_explicit():
    data = yaml.safe_load(dump_scenario(load_scenario(GOOD / "minimal.yaml")))
    assert data["horizon"] == 52 and data["replications"] == 100 and data["seed"] == 0
    assert data["battlefield"]["rate"] == 0.05
    assert data["bargaining"]["model"] == "influence"
    assert data["actors"]["patron"]["resolve"] == 0.5
    assert data["issues"]["tenure"]["scale"] == [0.0, 1.0]


def test_sources_and_notes_survive():
    data = yaml.safe_load(dump_scenario(load_scenario(GOOD / "full.yaml")))
    patron = data["actors"]["patron"]
    assert patron["force"] == {"value": 30.0, "source": "illustrative", "note": "a modest force"}
    assert patron["economy"] == {"normal": {"mean": 1.5, "sd": 0.1}, "note": "GDP, trillion USD"}
    assert patron["pain_tolerance"] == {"choice": [0.02, 0.03, 0.05]}


def test_overrides_are_dumped():
    overrides = ["horizon=9", "actors.rebels.resolve={beta: [2, 3]}"]
    scenario = load_scenario(GOOD / "child.yaml", overrides=overrides)
    assert round_trip(dump_scenario(scenario)) == scenario
    assert "beta:" in dump_scenario(scenario)


def test_the_dump_is_plain_yaml():
    text = dump_scenario(load_scenario(GOOD / "full.yaml"))
    assert "!!" not in text
    assert yaml.safe_load(text)["name"] == "full-example_1"


def test_text_that_yaml_1_1_or_1_2_would_read_otherwise_is_quoted():
    """The dump reads back the same with ``parse`` (YAML 1.2) and ``yaml.safe_load`` (1.1)."""
    overrides = {
        "description": "1:30",
        "actors.patron.note": "2e-5",
        "actors.patron.source": "yes",
        "actors.rebels.note": "0o17",
    }
    scenario = load_scenario(
        GOOD / "child.yaml",
        overrides={k: yaml.dump(v, Dumper=Dumper) for k, v in overrides.items()},
    )
    text = dump_scenario(scenario)
    for value in overrides.values():
        assert f"'{value}'" in text
    assert round_trip(text) == scenario
    assert yaml.safe_load(text)["description"] == "1:30"


# --- property: random valid scenarios round-trip ------------------------------------------

ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,7}", fullmatch=True)
texts = st.text(max_size=20)
finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


def labelled(number: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        number, st.fixed_dictionaries({"value": number}, optional={"source": texts, "note": texts})
    )


@st.composite
def params(draw, lo: float = -1e6, hi: float = 1e6, positive: bool = False) -> Any:
    """A number or distribution whose whole support is in [lo, hi]."""
    if positive:
        lo = max(lo, 1e-9)
    number = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    kinds = [
        labelled(number),
        st.lists(number, min_size=2, max_size=2).map(lambda v: {"uniform": sorted(v)}),
        st.lists(number, min_size=3, max_size=3).map(lambda v: {"triangular": sorted(v)}),
        st.lists(number, min_size=1, max_size=4).map(lambda v: {"choice": v}),
        st.builds(lambda m, s: {"normal": {"mean": m, "sd": s}}, number, st.floats(0, 10)),
    ]
    if lo <= 0 and hi >= 1 and not positive:
        kinds.append(
            st.lists(st.floats(0.01, 100), min_size=2, max_size=2).map(lambda v: {"beta": v})
        )
    value = draw(st.one_of(kinds))
    if isinstance(value, dict) and "value" not in value and draw(st.booleans()):
        value["note"] = draw(texts)
    return value


@st.composite
def scenarios(draw) -> dict[str, Any]:
    issue_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    issues = {}
    for issue in issue_ids:
        lo, width = draw(finite), draw(st.floats(1e-3, 1e6))
        issues[issue] = draw(
            st.fixed_dictionaries(
                {}, optional={"scale": st.just([lo, lo + width]), "low": texts, "high": texts}
            )
        )
    side_ids = draw(st.lists(ids, max_size=3, unique=True))
    weights = [draw(st.integers(1, 10)) for _ in side_ids]
    sides = {s: w / sum(weights) for s, w in zip(side_ids, weights, strict=True)}
    # (actor ids differ from side ids: a lever's recipient may name either)
    actor_ids = draw(
        st.lists(ids.filter(lambda a: a not in sides), min_size=1, max_size=4, unique=True)
    )
    actors = {}
    for actor in actor_ids:
        scale = {i: issues[i].get("scale", [0.0, 1.0]) for i in issue_ids}
        others = [a for a in actor_ids if a != actor]
        actors[actor] = {
            "economy": draw(params(0, 1e3, positive=True)),
            "position": {i: draw(params(*scale[i])) for i in issue_ids},
            "salience": {i: draw(params(0, 1)) for i in issue_ids},
            **draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "name": texts,
                        "side": st.sampled_from(side_ids) if side_ids else st.none(),
                        "force": params(0, 1e4),
                        "unit_cost": params(0, 1),
                        "capability": params(0, 10),
                        "resolve": params(0, 1),
                        "pain_tolerance": params(0, 1, positive=True),
                        "veto": st.booleans(),
                        "source": texts,
                        "note": texts,
                        "leverage": st.dictionaries(
                            st.sampled_from(others), params(0, 1), max_size=2
                        )
                        if others
                        else st.just({}),
                        "ties": st.dictionaries(st.sampled_from(others), params(0, 0.3), max_size=3)
                        if others
                        else st.just({}),
                    },
                )
            ),
        }
    actor = st.sampled_from(actor_ids)
    window = {"name": texts, "start": st.integers(0, 10), "source": texts, "note": texts}
    lever_kinds = [
        st.fixed_dictionaries(
            {"type": st.just("deployment"), "actor": actor, "to": params(0, 2)},
            optional={**window, "ramp": st.integers(1, 5)},
        ),
        st.fixed_dictionaries(
            {"type": st.just("pressure"), "sender": actor, "target": actor},
            optional={**window, "intensity": params(0, 3)},
        ),
        st.fixed_dictionaries(
            {"type": st.just("talks"), "participants": st.lists(actor, min_size=1, max_size=3)},
            optional=window,
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("sanctions"),
                "senders": st.lists(actor),
                "targets": st.lists(actor),
                "intensity": params(0, 1),
            },
            optional={**window, "leakage": params(0, 1), "blowback": params(0, 2)},
        ),
    ]
    if side_ids:
        side = st.sampled_from(side_ids)
        lever_kinds += [
            st.fixed_dictionaries(
                {
                    "type": st.just("safe_zone"),
                    "sponsors": st.lists(actor),
                    "protects": side,
                    "share": params(0, 1),
                },
                optional={
                    **window,
                    "enforcement": params(0, 1),
                    "force": params(0, 10),
                    "harm_reduction": params(0, 1),
                    "incident_risk": params(0, 1),
                    "opponents": st.lists(actor),
                },
            ),
            st.fixed_dictionaries(
                {
                    "type": st.just("military_aid"),
                    "donor": actor,
                    "recipient": side,
                    "amount": params(0, 100),
                },
                optional=window,
            ),
        ]
    levers = draw(st.lists(st.one_of(lever_kinds), max_size=3))
    metric = st.one_of(
        st.just("step"),
        actor.map(lambda a: f"force.{a}"),
        st.sampled_from(issue_ids).map(lambda i: f"forecast.{i}"),
    )
    triggers = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "when": st.fixed_dictionaries(
                        {"metric": metric, "op": st.sampled_from(["<", ">="]), "value": finite},
                        optional={"for": st.integers(1, 4)},
                    ),
                    "then": st.one_of(lever_kinds),
                },
                optional={"probability": params(0, 1), "repeat": st.booleans(), "note": texts},
            ),
            max_size=2,
        )
    )
    for i, trigger in enumerate(triggers):
        trigger["name"] = f"trigger_{i}"
    top = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "description": texts,
                "battlefield": st.fixed_dictionaries(
                    {},
                    optional={
                        "decisiveness": params(0, 5, positive=True),
                        "rate": params(0, 1),
                        "noise": params(0, 1),
                        "collapse": params(0, 1),
                        "loss_cost": params(0, 2),
                        "harm": params(0, 5),
                    },
                ),
                "bargaining": st.fixed_dictionaries(
                    {},
                    optional={
                        "model": st.sampled_from(["influence", "eum", "compromise"]),
                        "tolerance": params(0, 1),
                        "hold": st.integers(1, 9),
                        "capability_weights": st.fixed_dictionaries(
                            {}, optional={"force": st.floats(0, 1), "economy": st.floats(0, 1)}
                        ),
                    },
                ),
                "horizon": st.integers(1, 500),
                "replications": st.integers(1, 10**6),
                "seed": st.integers(0, 2**63),
            },
        )
    )
    return {
        "name": draw(ids),
        "issues": issues,
        "sides": sides,
        "actors": actors,
        "levers": levers,
        "triggers": triggers,
        **top,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios())
def test_random_scenarios_round_trip(data):
    scenario = round_trip(yaml.dump(data, Dumper=Dumper, allow_unicode=True))
    text = dump_scenario(scenario)
    again = round_trip(text)
    assert again == scenario
    assert dump_scenario(again) == text
