"""Semantic checks: names, sums, scales, ranges, finiteness, unknown keys, all at once."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from sim.errors import ScenarioError
from sim.scenario.schema import (
    MAX_ACTORS,
    MAX_HORIZON,
    MAX_ISSUES,
    MAX_REPLICATIONS,
    MAX_SIDES,
    Scenario,
)
from sim.scenario.validate import metric_problem, semantic_problems
from tests.scenario.common import load_text, well_formed

BASE: dict[str, Any] = {
    "name": "toy",
    "issues": {"tenure": {"scale": [0, 10]}, "ceasefire": {}},
    "sides": {"gov": 0.4, "reb": 0.6},
    "actors": {
        "patron": {
            "side": "gov",
            "force": 30,
            "economy": 1.5,
            "unit_cost": 2.0e-5,
            "position": {"tenure": 8, "ceasefire": 0.2},
            "salience": {"tenure": 0.7, "ceasefire": 0.3},
            "leverage": {"client": 0.5},
            "ties": {"outsider": 0.3},
        },
        "client": {
            "side": "gov",
            "force": 60,
            "economy": 0.03,
            "position": {"tenure": 10, "ceasefire": 0.1},
            "salience": {"tenure": 1, "ceasefire": 0.5},
        },
        "outsider": {
            "side": "reb",
            "force": 10,
            "economy": 18,
            "position": {"tenure": 1, "ceasefire": 0.8},
            "salience": {"tenure": 0.5, "ceasefire": 0.5},
        },
    },
}


def data(**changes: Any) -> dict[str, Any]:
    """BASE with dotted paths set (``None`` deletes)."""
    out = copy.deepcopy(BASE)
    for dotted_path, value in changes.items():
        *parents, last = dotted_path.split("__")
        node = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is None:
            del node[last]
        else:
            node[last] = value
    return out


def found(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, message) of every problem, by path; fails the test if the document is valid."""
    with pytest.raises(ScenarioError) as caught:
        load_text(yaml.safe_dump(document, sort_keys=False))
    well_formed(caught.value)
    return sorted((p.path, p.message) for p in caught.value.problems)


def one(document: dict[str, Any]) -> tuple[str, str]:
    problems = found(document)
    assert len(problems) == 1, problems
    return problems[0]


def test_the_base_is_valid():
    s = load_text(yaml.safe_dump(BASE))
    assert semantic_problems(s) == []


class TestNames:
    def test_unknown_side(self):
        assert one(data(actors__client__side="goverment")) == (
            "actors.client.side",
            "expected a declared side, found 'goverment' (declared: gov, reb)",
        )

    def test_unknown_side_with_a_suggestion(self):
        assert one(data(actors__client__side="govt"))[1] == (
            "expected a declared side, found 'govt'; did you mean 'gov'? (declared: gov, reb)"
        )

    def test_no_sides_declared(self):
        assert one(
            data(
                sides={},
                actors__patron__side="gov",
                actors__client__side=None,
                actors__outsider__side=None,
            )
        )[1] == ("expected a declared side, found 'gov' (none declared)")

    def test_unknown_issue_in_position_and_salience(self):
        problems = found(
            data(actors__patron__position__tenur=5, actors__patron__salience__peace=0.5)
        )
        assert problems == [
            (
                "actors.patron.position.tenur",
                "expected a declared issue, found 'tenur'; did you "
                "mean 'tenure'? (declared: tenure, ceasefire)",
            ),
            (
                "actors.patron.salience.peace",
                "expected a declared issue, found 'peace' (declared: tenure, ceasefire)",
            ),
        ]

    def test_a_position_and_salience_on_every_issue(self):
        assert found(
            data(
                actors__client__position={"tenure": 5}, actors__client__salience={"ceasefire": 0.5}
            )
        ) == [
            (
                "actors.client.position",
                "expected a position on every issue, found none on 'ceasefire'",
            ),
            (
                "actors.client.salience",
                "expected a salience on every issue, found none on 'tenure'",
            ),
        ]

    @pytest.mark.parametrize("field", ["leverage", "ties"])
    def test_leverage_and_ties_name_actors(self, field):
        assert one(data(**{f"actors__patron__{field}": {"clint": 0.2}})) == (
            f"actors.patron.{field}.clint",
            "expected a declared actor, found 'clint'; did you "
            "mean 'client'? (declared: patron, client, outsider)",
        )
        assert one(data(**{f"actors__patron__{field}": {"patron": 0.2}})) == (
            f"actors.patron.{field}.patron",
            "expected another actor, found 'patron' itself",
        )

    @pytest.mark.parametrize(
        ("lever", "path", "message"),
        [
            (
                {
                    "type": "sanctions",
                    "senders": ["outsider"],
                    "targets": ["patron", "nobody"],
                    "intensity": 0.01,
                },
                "targets.1",
                "expected a declared actor, found 'nobody'",
            ),
            (
                {
                    "type": "sanctions",
                    "senders": ["outsidr"],
                    "targets": ["patron"],
                    "intensity": 0.01,
                },
                "senders.0",
                "expected a declared actor, found 'outsidr'; did you mean 'outsider'?",
            ),
            (
                {"type": "safe_zone", "sponsors": ["outsider"], "protects": "rebels", "share": 0.1},
                "protects",
                "expected a declared side, found 'rebels'",
            ),
            (
                {
                    "type": "safe_zone",
                    "sponsors": ["outsider"],
                    "protects": "reb",
                    "share": 0.1,
                    "opponents": ["russia"],
                },
                "opponents.0",
                "expected a declared actor, found 'russia'",
            ),
            (
                {"type": "military_aid", "donor": "patron", "recipient": "nobody", "amount": 3},
                "recipient",
                "expected a declared actor or side, found 'nobody'",
            ),
            (
                {"type": "military_aid", "donor": "nobody", "recipient": "gov", "amount": 3},
                "donor",
                "expected a declared actor, found 'nobody'",
            ),
            (
                {"type": "deployment", "actor": "nobody", "to": 0.5},
                "actor",
                "expected a declared actor, found 'nobody'",
            ),
            (
                {"type": "pressure", "sender": "patron", "target": "nobody"},
                "target",
                "expected a declared actor, found 'nobody'",
            ),
            (
                {"type": "talks", "participants": ["patron", "nobody"]},
                "participants.1",
                "expected a declared actor, found 'nobody'",
            ),
        ],
    )
    def test_levers_name_actors_and_sides(self, lever, path, message):
        got_path, got = one(data(levers=[lever]))
        assert got_path == f"levers.0.{path}"
        assert got.startswith(message)

    def test_military_aid_to_a_side_or_an_actor_with_a_side(self):
        ok = {"type": "military_aid", "donor": "patron", "recipient": "reb", "amount": 3}
        load_text(yaml.safe_dump(data(levers=[ok, {**ok, "recipient": "client"}])))
        assert one(data(actors__client__side=None, levers=[{**ok, "recipient": "client"}])) == (
            "levers.0.recipient",
            "expected a side or an actor with a side, found actor 'client' with none",
        )

    def test_trigger_levers_are_checked(self):
        trigger = {
            "name": "t",
            "when": {"metric": "step", "op": ">", "value": 3},
            "then": {"type": "deployment", "actor": "nobody", "to": 1},
        }
        assert one(data(triggers=[trigger]))[0] == "triggers.0.then.actor"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_text(yaml.safe_dump(BASE, sort_keys=False))


class TestMetrics:
    @pytest.mark.parametrize(
        "metric",
        [
            "territory.gov",
            "force.patron",
            "stress.client",
            "cost.outsider",
            "position.patron.tenure",
            "forecast.ceasefire",
            "step",
        ],
    )
    def test_valid(self, scenario, metric):
        assert metric_problem(scenario, metric) is None

    @pytest.mark.parametrize(
        ("metric", "message"),
        [
            (
                "territory.gvo",
                "expected a declared side in metric 'territory.gvo', found 'gvo'; "
                "did you mean 'gov'? (declared: gov, reb)",
            ),
            (
                "force.nobody",
                "expected a declared actor in metric 'force.nobody', found 'nobody' "
                "(declared: patron, client, outsider)",
            ),
            (
                "position.patron.tenur",
                "expected a declared issue in metric 'position.patron.tenur', "
                "found 'tenur'; did you mean 'tenure'? (declared: tenure, ceasefire)",
            ),
            (
                "position.patron",
                "expected metric position with 2 name(s) after it, found 'position.patron'",
            ),
            ("step.3", "expected metric step with 0 name(s) after it, found 'step.3'"),
            (
                "teritory.gov",
                "expected a metric (one of territory.<side>, force.<actor>, "
                "stress.<actor>, cost.<actor>, position.<actor>.<issue>, forecast.<issue>, "
                "step), found "
                "'teritory.gov' (did you mean 'territory'?)",
            ),
            ("", "expected a metric (one of"),
        ],
    )
    def test_invalid(self, scenario, metric, message):
        assert metric_problem(scenario, metric).startswith(message)

    def test_reported_at_the_metric(self):
        trigger = {
            "name": "t",
            "when": {"metric": "mood", "op": ">", "value": 3},
            "then": {"type": "talks", "participants": ["patron"]},
        }
        assert one(data(triggers=[trigger]))[0] == "triggers.0.when.metric"


class TestTerritory:
    @pytest.mark.parametrize(
        "shares",
        [
            {"a": 1.0},
            {"a": 0.3, "b": 0.7},
            {"a": 0.1, "b": 0.2, "c": 0.7 + 9e-7},
            {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3},
        ],
    )
    def test_sums_to_one_within_1e_6(self, shares):
        load_text(
            yaml.safe_dump(
                data(
                    sides=shares,
                    actors__patron__side=None,
                    actors__client__side=None,
                    actors__outsider__side=None,
                )
            )
        )

    @pytest.mark.parametrize(
        ("shares", "total"),
        [
            ({"a": 0.5, "b": 0.5 + 2e-6}, "1"),
            ({"a": 0.5}, "0.5"),
            ({"a": 0.7, "b": 0.7}, "1.4"),
            ({"a": 0.0}, "0"),
        ],
    )
    def test_otherwise_a_problem(self, shares, total):
        problem = one(
            data(
                sides=shares,
                actors__patron__side=None,
                actors__client__side=None,
                actors__outsider__side=None,
            )
        )
        assert problem == ("sides", f"expected territory shares summing to 1, found {total}")

    def test_shares_are_fractions(self):
        assert found(data(sides={"gov": 1.5, "reb": -0.5})) == [
            ("sides.gov", "expected a number <= 1, found 1.5"),
            ("sides.reb", "expected a number >= 0, found -0.5"),
        ]


class TestRanges:
    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            (
                "actors__patron__position__tenure",
                11,
                "expected a position in the issue's scale [0, 10], found 11",
            ),
            (
                "actors__patron__position__tenure",
                {"uniform": [5, 12]},
                "expected a position in the issue's scale [0, 10], found values from 5 to 12",
            ),
            (
                "actors__patron__position__ceasefire",
                -0.1,
                "expected a position in the issue's scale [0, 1], found -0.1",
            ),
            ("actors__patron__salience__tenure", 1.1, "expected a number in [0, 1], found 1.1"),
            (
                "actors__patron__salience__tenure",
                {"triangular": [0, 0.5, 1.5]},
                "expected a number in [0, 1], found values from 0 to 1.5",
            ),
            ("actors__patron__resolve", -0.2, "expected a number in [0, 1], found -0.2"),
            (
                "actors__patron__resolve",
                {"normal": {"mean": 1.2, "sd": 0.1}},
                "expected a number in [0, 1], found mean 1.2",
            ),
            ("actors__patron__force", -1, "expected a non-negative number, found -1"),
            ("actors__patron__unit_cost", -1e-6, "expected a non-negative number, found -1e-06"),
            ("actors__patron__economy", 0, "expected a number > 0, found 0"),
            ("actors__patron__pain_tolerance", 0, "expected a number > 0, found 0"),
            (
                "actors__patron__pain_tolerance",
                {"uniform": [0, 0.1]},
                "expected a number > 0, found values from 0 to 0.1",
            ),
            ("actors__patron__capability", -0.5, "expected a non-negative number, found -0.5"),
            ("actors__patron__leverage__client", 1.5, "expected a number in [0, 1], found 1.5"),
            (
                "actors__patron__ties__outsider",
                {"choice": [0.5, 2]},
                "expected a number in [0, 1], found values from 0.5 to 2",
            ),
            (
                "actors__patron__ties",
                {"outsider": 0.6, "client": 0.5},
                "expected shares of ties summing to at most 1, found 1.1",
            ),
            ("horizon", 0, "expected an integer >= 1, found 0"),
            ("replications", 0, "expected an integer >= 1, found 0"),
            ("seed", -1, "expected an integer >= 0, found -1"),
            ("horizon", 2.5, "expected an integer, found 2.5"),
            ("horizon", True, "expected an integer, found true"),
            ("battlefield__rate", 1.5, "expected a number in [0, 1], found 1.5"),
            ("battlefield__decisiveness", 0, "expected a number > 0, found 0"),
            ("battlefield__collapse", {"beta": [2, 0]}, "expected a number > 0, found 0"),
            ("bargaining__tolerance", 2, "expected a number in [0, 1], found 2"),
            ("bargaining__hold", 0, "expected an integer >= 1, found 0"),
            ("bargaining__capability_weights__force", -1, "expected a number >= 0, found -1"),
            (
                "issues__tenure__scale",
                [10, 0],
                "expected scale [lo, hi] with lo < hi, found [10.0, 0.0]",
            ),
            (
                "issues__tenure__scale",
                [5, 5],
                "expected scale [lo, hi] with lo < hi, found [5.0, 5.0]",
            ),
        ],
    )
    def test_out_of_range(self, path, value, message):
        assert one(data(**{path: value}))[1] == message

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
    @pytest.mark.parametrize(
        "path",
        [
            "actors__patron__force",
            "actors__patron__position__tenure",
            "sides__gov",
            "battlefield__noise",
            "issues__tenure__scale",
            "actors__patron__resolve__uniform",
        ],
    )
    def test_numbers_are_finite(self, path, bad):
        value = [0, bad] if path.endswith(("scale", "uniform")) else bad
        problems = found(data(**{path: value}))
        assert any(
            message.startswith("expected a finite number, found ") for _, message in problems
        ), problems

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ({"uniform": [0.9, 0.1]}, "expected uniform [lo, hi] with lo <= hi, found [0.9, 0.1]"),
            (
                {"triangular": [0.1, 0.05, 0.9]},
                "expected triangular [lo, mode, hi] with lo <= mode <= hi, found [0.1, 0.05, 0.9]",
            ),
            ({"beta": [0, 1]}, "expected a number > 0, found 0"),
            ({"normal": {"mean": 0.5, "sd": -0.1}}, "expected a number >= 0, found -0.1"),
            ({"choice": []}, "expected a list of at least 1 item, found an empty list"),
            ({"uniform": [0.1]}, "expected a list of 2 items, found [0.1]"),
            (
                {"uniform": [0.1, 0.2, 0.3]},
                "expected a list of at most 2 items, found [0.1, 0.2, 0.3]",
            ),
            ({"normal": [0.5, 0.1]}, "expected a mapping, found [0.5, 0.1]"),
            ({"uniform": 0.5}, "expected a list, found 0.5"),
        ],
    )
    def test_distribution_parameters(self, value, message):
        assert one(data(actors__patron__resolve=value))[1] == message


class TestUnknownKeys:
    @pytest.mark.parametrize(
        ("path", "key", "suggestion"),
        [
            ("", "horizn", "horizon"),
            ("issues__tenure", "scal", "scale"),
            ("actors__patron", "resolv", "resolve"),
            ("actors__patron", "pain_tolerence", "pain_tolerance"),
            ("battlefield", "decisivness", "decisiveness"),
            ("bargaining", "modle", "model"),
            ("bargaining__capability_weights", "forces", "force"),
            ("actors__patron__resolve", "unifrom", "uniform"),
            ("actors__patron__resolve", "sorce", "source"),
        ],
    )
    def test_rejected_with_a_suggestion(self, path, key, suggestion):
        document = data()
        node = document
        for part in filter(None, path.split("__")):
            node = node.setdefault(part, {})
        if path.endswith("resolve"):
            node["uniform"] = [0.2, 0.4]
        node[key] = 1
        dotted_path, message = one(document)
        assert dotted_path == ".".join(filter(None, [*path.split("__"), key]))
        assert message.startswith(
            f"expected a known key, found {key!r}; did you mean {suggestion!r}? (known: "
        )

    def test_in_levers_and_triggers(self):
        lever = {"type": "deployment", "actor": "patron", "to": 0.5, "rmap": 2}
        trigger = {
            "name": "t",
            "when": {"metric": "step", "op": ">", "value": 3, "fro": 2},
            "then": {"type": "talks", "participants": ["patron"]},
            "probabilty": 0.5,
        }
        assert [
            (path, message.split(";")[0])
            for path, message in found(data(levers=[lever], triggers=[trigger]))
        ] == [
            ("levers.0.rmap", "expected a known key, found 'rmap'"),
            ("triggers.0.probabilty", "expected a known key, found 'probabilty'"),
            ("triggers.0.when.fro", "expected a known key, found 'fro'"),
        ]

    def test_the_known_keys_are_listed(self):
        document = data()
        document["actors"]["patron"]["zzz"] = 1
        assert one(document)[1] == (
            "expected a known key, found 'zzz' (known: name, side, force, economy, unit_cost, "
            "position, salience, capability, resolve, pain_tolerance, veto, leverage, ties, "
            "optimism, disarms, reneging_risk, abandonment_credibility, surge, "
            "economy_elasticity, reaction, source, note)"
        )

    def test_lever_types(self):
        assert one(data(levers=[{"type": "sanction"}])) == (
            "levers.0.type",
            "expected a lever type (one of ceasefire, conditional_support, deployment, "
            "guarantee, military_aid, pressure, safe_zone, sanctions, sanctions_threat, talks), "
            "found text 'sanction'; did you mean 'sanctions'?",
        )
        assert one(data(levers=[{"actor": "patron"}])) == (
            "levers.0",
            "expected a lever type (one of ceasefire, conditional_support, deployment, "
            "guarantee, military_aid, pressure, safe_zone, sanctions, sanctions_threat, talks), "
            "found no type",
        )


class TestOther:
    def test_lever_end_before_start(self):
        lever = {"type": "talks", "participants": ["patron"], "start": 5, "end": 4}
        assert one(data(levers=[lever])) == ("levers.0.end", "expected end >= start (5), found 4")
        load_text(yaml.safe_dump(data(levers=[{**lever, "end": 5}])))

    def test_duplicate_trigger_names(self):
        trigger = {
            "name": "t",
            "when": {"metric": "step", "op": ">", "value": 3},
            "then": {"type": "talks", "participants": ["patron"]},
        }
        assert one(data(triggers=[trigger, trigger, {**trigger, "name": "u"}])) == (
            "triggers.1.name",
            "expected a unique trigger name, found 't' again",
        )

    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            (
                "name",
                "two words",
                "expected a name of letters, digits, '_' or '-' (starting with a "
                "letter or '_'), found text 'two words'",
            ),
            (
                "actors__patron__side",
                "-gov",
                "expected a name of letters, digits, '_' or '-' "
                "(starting with a letter or '_'), found text '-gov'",
            ),
            (
                "bargaining__model",
                "nash",
                "expected 'compromise', 'eum' or 'influence', found text 'nash'",
            ),
            ("actors__patron__veto", "yes", "expected true or false, found text 'yes'"),
            ("actors__patron__name", 5, "expected text, found 5"),
            ("issues", {}, "expected a mapping of at least 1 item, found an empty mapping"),
            ("actors__patron__position", [8, 0.2], "expected a mapping, found [8, 0.2]"),
            ("levers", {"type": "talks"}, "expected a list, found a mapping"),
        ],
    )
    def test_types(self, path, value, message):
        problems = found(data(**{path: value}))
        assert message in [m for _, m in problems], problems

    def test_required_keys(self):
        assert found(data(name=None, actors__patron__economy=None)) == [
            ("actors.patron.economy", "expected the required key 'economy', found it missing"),
            ("name", "expected the required key 'name', found it missing"),
        ]


class TestAllAtOnce:
    def test_structural_and_semantic_problems_together(self):
        lever = {"type": "deployment", "actor": "nobody", "to": 0.5}
        problems = found(
            data(
                horizon=0,
                sides__gov=0.3,
                actors__client__side="nowhere",
                actors__patron__resolve=3,
                levers=[lever],
            )
        )
        assert [path for path, _ in problems] == [
            "actors.client.side",
            "actors.patron.resolve",
            "horizon",
            "levers.0.actor",
            "sides",
        ]

    def test_a_broken_actor_does_not_make_its_name_unknown(self):
        lever = {"type": "deployment", "actor": "patron", "to": 0.5}
        problems = found(
            data(actors__patron__economy=-1, actors__patron__side="nowhere", levers=[lever])
        )
        assert problems == [("actors.patron.economy", "expected a number > 0, found -1")]

    def test_a_broken_issue_or_side_still_counts_as_declared(self):
        problems = found(data(issues__tenure__scale="wide", sides__gov="most"))
        assert [path for path, _ in problems] == ["issues.tenure.scale", "sides.gov"]

    def test_a_badly_named_issue_is_one_problem_not_one_per_actor(self):
        document = data()
        document["issues"]["2nd issue"] = {}
        assert found(document) == [
            (
                "issues.2nd issue",
                "expected a name of letters, digits, '_' or '-' (starting with "
                "a letter or '_'), found text '2nd issue'",
            )
        ]

    def test_a_broken_lever_keeps_the_others_checked(self):
        levers = [
            {"type": "deployment", "actor": "patron", "to": -1},
            {"type": "deployment", "actor": "nobody", "to": 0.5},
        ]
        assert [path for path, _ in found(data(levers=levers))] == ["levers.0.to", "levers.1.actor"]

    def test_a_broken_section_skips_the_checks_that_need_it(self):
        problems = found(data(actors="none", sides={"gov": 0.9}))
        assert problems == [("actors", "expected a mapping, found text 'none'")]


class TestSizes:
    """Documented upper bounds on what must fit in memory, each a located problem."""

    @staticmethod
    def many(count: int, issues: int = 2) -> dict[str, Any]:
        names = [f"i{k}" for k in range(issues)]
        actor = {
            "economy": 1,
            "position": dict.fromkeys(names, 0.5),
            "salience": dict.fromkeys(names, 0.5),
        }
        return {
            "name": "big",
            "issues": {n: {} for n in names},
            "actors": {f"a{k}": actor for k in range(count)},
        }

    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            ("horizon", 10**15, "expected an integer <= 10,000, found 1000000000000000"),
            ("horizon", MAX_HORIZON + 1, "expected an integer <= 10,000, found 10001"),
            (
                "replications",
                MAX_REPLICATIONS + 1,
                "expected an integer <= 1,000,000,000, found 1000000001",
            ),
            (
                "sides",
                {f"s{k}": 1 / 101 for k in range(MAX_SIDES + 1)},
                "expected a mapping of at most 100 items, found a mapping",
            ),
        ],
    )
    def test_too_large(self, path, value, message):
        assert one(data(**{path: value})) == (path, message)

    def test_at_the_bounds_is_valid(self):
        s = load_text(yaml.safe_dump(data(horizon=MAX_HORIZON, replications=MAX_REPLICATIONS)))
        assert (s.horizon, s.replications) == (MAX_HORIZON, MAX_REPLICATIONS)

    def test_too_many_actors(self):
        assert one(self.many(MAX_ACTORS + 1)) == (
            "actors",
            "expected a mapping of at most 1000 items, found a mapping",
        )

    def test_too_many_issues(self):
        problems = found(self.many(1, issues=MAX_ISSUES + 1))
        assert ("issues", "expected a mapping of at most 100 items, found a mapping") in problems

    def test_one_replication_must_fit_in_memory(self):
        assert one({**self.many(MAX_ACTORS), "horizon": MAX_HORIZON}) == (
            "horizon",
            "expected (horizon + 1) x actors x (issues + 3) of at most 50,000,000 "
            "numbers recorded per replication, found (10000 + 1) x 1000 x (2 + 3) = 50,005,000",
        )
        assert load_text(yaml.safe_dump({**self.many(MAX_ACTORS), "horizon": 9000})).horizon == 9000


class TestWar:
    """One test per error in the fields of the bargaining model of war."""

    def test_a_war_outcome_names_declared_sides(self):
        doc = data(issues__tenure__war_outcome={"gov": 10, "rebs": 0})
        assert one(doc) == (
            "issues.tenure.war_outcome.rebs",
            "expected a declared side, found 'rebs'; did you mean 'reb'? (declared: gov, reb)",
        )

    def test_a_war_outcome_lies_on_the_issues_scale(self):
        doc = data(issues__tenure__war_outcome={"gov": 11, "reb": 0})
        assert one(doc) == (
            "issues.tenure.war_outcome.gov",
            "expected an outcome in the issue's scale [0, 10], found 11",
        )

    def test_a_war_outcome_names_two_sides(self):
        problems = found(data(issues__tenure__war_outcome={"gov": 10}))
        assert [p for p, _ in problems] == ["issues.tenure.war_outcome"]
        assert "at least 2 items" in problems[0][1]

    def test_an_actor_that_disarms_has_a_side(self):
        doc = data(actors__outsider__side=None, actors__outsider__disarms=True)
        assert one(doc) == (
            "actors.outsider.disarms",
            "expected an actor with a side (it disarms under a deal), found none",
        )

    def test_a_condition_is_set_on_a_war_issue(self):
        lever = {
            "type": "conditional_support",
            "patron": "patron",
            "client": "client",
            "issue": "ceasefire",
            "demand": 0.5,
        }
        assert one(data(levers=[lever])) == (
            "levers.0.issue",
            "expected an issue with a war_outcome, found 'ceasefire' without one",
        )
        unknown = dict(lever, issue="tenur")
        assert one(data(levers=[unknown]))[0] == "levers.0.issue"

    def test_a_demand_lies_on_the_issues_scale(self):
        lever = {
            "type": "conditional_support",
            "patron": "patron",
            "client": "client",
            "issue": "tenure",
            "demand": 12,
        }
        doc = data(levers=[lever], issues__tenure__war_outcome={"gov": 10, "reb": 0})
        assert one(doc) == (
            "levers.0.demand",
            "expected a demand in the issue's scale [0, 10], found 12",
        )

    THREAT = {
        "type": "sanctions_threat",
        "name": "threat",
        "senders": ["outsider"],
        "targets": ["patron"],
        "demand": {"issue": "tenure", "value": 4},
        "start": 2,
        "deadline": 6,
        "intensity": 0.001,
    }

    def test_a_threat_demands_a_declared_issue(self):
        lever = dict(self.THREAT, demand={"issue": "tenur", "value": 4})
        assert one(data(levers=[lever])) == (
            "levers.0.demand.issue",
            "expected a declared issue, found 'tenur'; did you mean 'tenure'? "
            "(declared: tenure, ceasefire)",
        )

    def test_a_threats_demand_lies_on_the_issues_scale(self):
        lever = dict(self.THREAT, demand={"issue": "tenure", "value": {"uniform": [5, 11]}})
        assert one(data(levers=[lever])) == (
            "levers.0.demand.value",
            "expected a demand in the issue's scale [0, 10], found values from 5 to 11",
        )

    def test_a_threats_deadline_is_not_before_its_start(self):
        assert one(data(levers=[dict(self.THREAT, deadline=1)])) == (
            "levers.0.deadline",
            "expected a deadline >= start (2), found 1",
        )

    def test_a_threat_ends_after_its_deadline(self):
        assert one(data(levers=[dict(self.THREAT, end=5)])) == (
            "levers.0.end",
            "expected end >= deadline (6), found 5",
        )

    def test_a_threats_target_is_not_a_sender(self):
        lever = dict(self.THREAT, targets=["patron", "outsider"])
        assert one(data(levers=[lever])) == (
            "levers.0.targets.1",
            "expected a target that is not also a sender, found 'outsider'",
        )

    def test_threat_names_are_unique(self):
        trigger = {
            "name": "later",
            "when": {"metric": "territory.gov", "op": "<", "value": 0.3},
            "then": self.THREAT,
        }
        assert one(data(levers=[self.THREAT], triggers=[trigger])) == (
            "triggers.0.then.name",
            "expected a unique name among sanctions threats, found 'threat' again",
        )

    def test_a_threat_has_a_name(self):
        lever = {k: v for k, v in self.THREAT.items() if k != "name"}
        assert one(data(levers=[lever]))[0] == "levers.0.name"

    def test_a_client_has_a_side(self):
        lever = {
            "type": "conditional_support",
            "patron": "patron",
            "client": "outsider",
            "issue": "tenure",
            "demand": 5,
        }
        doc = data(
            levers=[lever],
            issues__tenure__war_outcome={"gov": 10, "reb": 0},
            actors__outsider__side=None,
        )
        assert one(doc) == (
            "levers.0.client",
            "expected an actor with a side, found actor 'outsider' with none",
        )

    def test_a_guarantee_protects_a_declared_side(self):
        lever = {
            "type": "guarantee",
            "guarantors": ["outsider"],
            "protects": "rebs",
            "troops": 5,
            "troops_needed": 10,
            "credibility": 0.5,
        }
        assert one(data(levers=[lever]))[0] == "levers.0.protects"


class TestReaction:
    """One test per error in an actor's ``reaction`` and a deployment's ``mode``."""

    WAR = {"issues__tenure__war_outcome": {"gov": 10, "reb": 0}}

    def test_a_reacting_actor_has_a_side(self):
        doc = data(actors__outsider__side=None, actors__outsider__reaction={"b": 2}, **self.WAR)
        assert one(doc) == (
            "actors.outsider.reaction",
            "expected an actor with a side (its force reacts to its side's war), found none",
        )

    def test_a_reacting_actors_side_is_in_a_war_dyad(self):
        assert one(data(actors__patron__reaction={"b": 2})) == (
            "actors.patron.reaction",
            "expected an actor whose side is in a war issue's dyad (an issue's war_outcome), "
            "found side 'gov' in none",
        )

    def test_the_ramp_is_at_least_one_step(self):
        doc = data(actors__patron__reaction={"ramp": 0.5}, **self.WAR)
        assert one(doc) == ("actors.patron.reaction.ramp", "expected a number >= 1, found 0.5")

    def test_the_coefficients_are_not_negative(self):
        doc = data(actors__patron__reaction={"b": {"uniform": [-1, 2]}}, **self.WAR)
        assert one(doc) == (
            "actors.patron.reaction.b",
            "expected a non-negative number, found values from -1 to 2",
        )

    def test_a_reaction_has_known_keys(self):
        doc = data(actors__patron__reaction={"beta": 2}, **self.WAR)
        assert one(doc)[0] == "actors.patron.reaction.beta"

    def test_a_deployment_mode_is_intent_or_fixed(self):
        lever = {"type": "deployment", "actor": "patron", "to": 0.5, "mode": "fix"}
        path, message = one(data(levers=[lever]))
        assert path == "levers.0.mode" and "'intent'" in message and "'fixed'" in message
