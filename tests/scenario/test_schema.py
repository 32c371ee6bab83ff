"""The format's keys and defaults, and the JSON Schema kept in the repository."""

from __future__ import annotations

import json
import typing

import jsonschema
import pytest
import yaml

from sim.levers.base import spec_classes, type_of
from sim.scenario.schema import (
    Actor,
    Bargaining,
    Battlefield,
    Condition,
    Issue,
    Reaction,
    Scenario,
    Trigger,
    json_schema,
)
from tests.scenario.common import EXAMPLE, GOOD, ROOT, SCHEMA_FILE, SHIPPED, load_text

LEVER_COMMON = ["type", "name", "start", "end", "source", "note"]
LEVER_FIELDS = {
    "sanctions": ["senders", "targets", "intensity", "leakage", "blowback"],
    "safe_zone": [
        "sponsors",
        "protects",
        "share",
        "enforcement",
        "force",
        "harm_reduction",
        "incident_risk",
        "opponents",
    ],
    "military_aid": ["donor", "recipient", "amount"],
    "deployment": ["actor", "to", "ramp", "mode"],
    "pressure": ["sender", "target", "intensity"],
    "talks": ["participants"],
}
HEADER = "# yaml-language-server: $schema="


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def keys(model) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


class TestKeys:
    def test_top_level(self):
        assert keys(Scenario) == [
            "name",
            "description",
            "extends",
            "issues",
            "sides",
            "actors",
            "levers",
            "triggers",
            "battlefield",
            "fronts",
            "population",
            "bargaining",
            "horizon",
            "replications",
            "seed",
        ]

    def test_issue(self):
        assert keys(Issue) == ["scale", "low", "high", "war_outcome", "source", "note"]

    def test_actor(self):
        assert keys(Actor) == [
            "name",
            "side",
            "force",
            "economy",
            "unit_cost",
            "position",
            "salience",
            "capability",
            "resolve",
            "pain_tolerance",
            "veto",
            "leverage",
            "ties",
            "optimism",
            "disarms",
            "reneging_risk",
            "abandonment_credibility",
            "surge",
            "economy_elasticity",
            "reaction",
            "source",
            "note",
        ]

    def test_reaction(self):
        assert keys(Reaction) == ["a", "b", "e", "k", "m", "ramp", "source", "note"]

    def test_levers(self):
        specs = {type_of(spec): spec for spec in spec_classes()}
        assert set(LEVER_FIELDS) <= set(specs)
        for name, fields in LEVER_FIELDS.items():
            assert keys(specs[name]) == LEVER_COMMON + fields, name

    def test_trigger(self):
        assert keys(Trigger) == ["name", "when", "then", "probability", "repeat", "source", "note"]
        assert keys(Condition) == ["metric", "op", "value", "for"]

    def test_battlefield_and_bargaining(self):
        assert keys(Battlefield) == [
            "decisiveness",
            "rate",
            "noise",
            "collapse",
            "loss_cost",
            "harm",
        ]
        assert keys(Bargaining) == [
            "model",
            "tolerance",
            "hold",
            "capability_weights",
            "signal_trials",
            "prior_strength",
            "discount",
            "planning_horizon",
            "breakdown_hazard",
        ]

    @pytest.mark.parametrize("model", ["influence", "eum", "compromise"])
    def test_bargaining_models(self, model):
        assert Bargaining(model=model).model == model


class TestDefaults:
    def test_scenario(self):
        s = load_text(
            "name: t\nissues: {i: {}}\nactors:\n  a: {economy: 1, position: {i: 0.5},"
            " salience: {i: 1}}\n"
        )
        assert (s.description, s.extends, s.sides, s.levers, s.triggers) == ("", None, {}, [], [])
        assert (s.horizon, s.replications, s.seed) == (52, 100, 0)
        assert s.issues["i"].scale == (0.0, 1.0)
        assert (s.issues["i"].low, s.issues["i"].high) == ("", "")
        actor = s.actors["a"]
        assert (actor.name, actor.side, actor.capability, actor.veto) == (None, None, None, False)
        assert (actor.force.value, actor.unit_cost.value) == (0, 0)
        assert (actor.resolve.value, actor.pain_tolerance.value) == (0.5, 0.05)
        assert (actor.leverage, actor.ties) == ({}, {})

    def test_battlefield_and_bargaining(self):
        assert Battlefield().model_dump() == {
            "decisiveness": 1.0,
            "rate": 0.05,
            "noise": 0.005,
            "collapse": 0.02,
            "loss_cost": 0.5,
            "harm": 1.0,
        }
        assert Bargaining().model_dump() == {
            "model": "influence",
            "tolerance": 0.05,
            "hold": 4,
            "capability_weights": {"force": 0.5, "economy": 0.5},
            "signal_trials": 3,
            "prior_strength": 20.0,
            "discount": 1.0,
            "planning_horizon": 52.0,
            "breakdown_hazard": 0.0,
        }

    def test_lever_and_trigger(self):
        s = load_text(
            "name: t\nissues: {i: {}}\nsides: {s: 1}\n"
            "actors:\n  a: {side: s, economy: 1, position: {i: 0.5}, salience: {i: 1}}\n"
            "levers:\n  - {type: deployment, actor: a, to: 0.5}\n"
            "triggers:\n  - name: tr\n    when: {metric: step, op: '>', value: 3}\n"
            "    then: {type: pressure, sender: a, target: a}\n"
        )
        lever = s.levers[0]
        assert (lever.start, lever.end, lever.name, lever.ramp) == (0, None, None, 1)
        trigger = s.triggers[0]
        assert (trigger.when.for_, trigger.probability.value, trigger.repeat) == (1, 1.0, False)
        assert trigger.then.intensity.value == 0.5


class TestJsonSchema:
    def test_the_committed_file_is_current(self):
        """If this fails, run `make schema` (sim schema > sim/scenario/scenario.schema.json)."""
        assert SCHEMA_FILE.read_text() == json.dumps(json_schema(), indent=2) + "\n"

    def test_it_is_a_valid_draft_2020_12_schema(self):
        schema = json.loads(SCHEMA_FILE.read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)
        assert list(schema["properties"]) == keys(Scenario)
        assert schema["additionalProperties"] is False

    @pytest.mark.parametrize(
        "path",
        [
            pytest.param(p, id=str(p.relative_to(ROOT)))
            for p in [*SHIPPED, *sorted(GOOD.glob("*.yaml"))]
        ],
    )
    def test_shipped_scenarios_validate(self, path, validator):
        validator.validate(yaml.safe_load(path.read_text()))

    @pytest.mark.parametrize(
        ("change", "value"),
        [
            ("horizn", 10),
            ("horizon", "ten"),
            ("horizon", 1.5),
            ("seed", -1),
            ("levers", [{"type": "bribe"}]),
            ("actors.patron.force", True),
            ("actors.patron.force", "30"),
            ("actors.patron.force", {"value": 1, "uniform": [0, 2]}),
            ("actors.patron.force", {"unifrom": [0, 2]}),
            ("actors.patron.resolv", 0.5),
            ("bargaining.model", "nash"),
        ],
    )
    def test_it_rejects_what_the_loader_rejects(self, change, value, validator):
        data = yaml.safe_load(EXAMPLE.read_text())
        *parents, last = change.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(data)

    @pytest.mark.parametrize(
        ("document", "valid"),
        [
            ({"extends": "parent.yaml"}, True),
            ({"extends": "p.yaml", "actors": {"x": {"resolve": 0.9}}}, True),
            ({"extends": "p.yaml", "actors": {"x": {"resolv": 0.9}}}, False),
            ({"extends": "p.yaml", "horizn": 3}, False),
            ({"extends": "p.yaml", "actors": {"x": {"resolve": {"uniform": [0.1]}}}}, False),
            ({"extends": "p.yaml", "levers": [{"type": "deployment", "actor": "x"}]}, False),
            ({"extends": "p.yaml", "battlefield": {"rate": "fast"}}, False),
            ({"name": "standalone"}, False),
        ],
    )
    def test_a_file_that_extends_a_parent_is_partial_but_checked(self, document, valid, validator):
        assert validator.is_valid(document) is valid


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_scenarios_point_editors_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(HEADER), f"{path} must start with {HEADER}<relative path>"
    target = (path.parent / first.removeprefix(HEADER).strip()).resolve()
    assert target == SCHEMA_FILE.resolve()


def test_there_are_shipped_scenarios():
    assert EXAMPLE in SHIPPED
    assert len(SHIPPED) >= 2


class TestCompletedFromTheRegistries:
    """The format lists the levers and bargaining models registered above it."""

    def test_levers_are_the_registered_ones(self):
        from sim.levers import LEVERS

        union = typing.get_args(Scenario.model_fields["levers"].annotation)[0]
        specs = typing.get_args(typing.get_args(union)[0])
        assert specs == tuple(LEVERS[name].spec for name in LEVERS.names())
        assert typing.get_args(Trigger.model_fields["then"].annotation) == specs

    def test_bargaining_models_are_the_registered_ones(self):
        from sim.bargaining import BARGAINING_MODELS

        names = typing.get_args(Bargaining.model_fields["model"].annotation)
        assert names == tuple(BARGAINING_MODELS.names())
