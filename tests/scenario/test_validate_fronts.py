"""Checks of the fronts, the population and the ceasefire lever: one test per problem."""

from __future__ import annotations

import yaml

from sim.scenario.validate import semantic_problems
from tests.scenario.common import load_text
from tests.scenario.test_validate import data, one

FRONT = {"sides": ["gov", "reb"], "allocation": {"gov": 0.5, "reb": 1.0}}


def front(**changes):
    return {**FRONT, **changes}


def cease(**changes):
    return {"type": "ceasefire", "name": "truce", "fronts": [["reb", "gov"]], "reduction": 0.8}


def test_fronts_population_and_a_ceasefire_are_valid():
    doc = data(fronts=[FRONT], population={"gov": 0.7, "reb": 0.3}, levers=[cease()])
    assert semantic_problems(load_text(yaml.safe_dump(doc))) == []


def test_unknown_side():
    path, message = one(data(fronts=[front(sides=["gov", "rebs"])]))
    assert path == "fronts.0.sides.1"
    assert message.startswith("expected a declared side, found 'rebs'; did you mean 'reb'?")


def test_the_same_side_twice():
    doc = data(fronts=[front(sides=["gov", "gov"], allocation={"gov": 0.5})])
    assert one(doc) == ("fronts.0.sides", "expected two different sides, found 'gov' twice")


def test_a_pair_listed_twice():
    doc = data(fronts=[front(), front(sides=["reb", "gov"], allocation={"gov": 0.1, "reb": 0})])
    assert one(doc) == (
        "fronts.1.sides",
        "expected each pair of sides once, found ['reb', 'gov'] again (front 0)",
    )


def test_a_side_of_the_pair_missing_from_the_allocation():
    assert one(data(fronts=[front(allocation={"gov": 0.5})])) == (
        "fronts.0.allocation",
        "expected an allocation for each side of the front, found none for 'reb'",
    )


def test_an_allocation_for_a_side_not_on_the_front():
    doc = data(fronts=[front(allocation={"gov": 0.5, "reb": 0.5, "outsider": 0.1})])
    path, message = one(doc)
    assert path == "fronts.0.allocation.outsider"
    assert message == "expected one of the front's sides (gov, reb), found 'outsider'"


def test_allocations_above_one():
    data_ = data(sides={"gov": 0.4, "reb": 0.4, "isis": 0.2})
    data_["fronts"] = [
        front(),
        {"sides": ["gov", "isis"], "allocation": {"gov": {"uniform": [0.4, 0.7]}, "isis": 1}},
    ]
    assert one(data_) == (
        "fronts",
        "expected the allocations of side 'gov' over all fronts to sum to at most 1, found 1.2",
    )


def test_population_of_an_unknown_side():
    path, message = one(data(population={"gov": 0.7, "rebels": 0.3}))
    assert path == "population.rebels"
    assert message.startswith("expected a declared side, found 'rebels'")


def test_population_summing_to_other_than_one():
    assert one(data(population={"gov": 0.7, "reb": 0.5})) == (
        "population",
        "expected population shares summing to 1, found 1.2",
    )


def test_a_ceasefire_on_a_pair_that_is_not_a_front():
    doc = data(sides={"gov": 0.4, "reb": 0.4, "isis": 0.2}, fronts=[FRONT])
    doc["levers"] = [dict(cease(), fronts=[["gov", "isis"]])]
    assert one(doc) == (
        "levers.0.fronts.0",
        "expected a front declared under fronts, found ['gov', 'isis'] (declared: gov-reb)",
    )


def test_a_ceasefire_without_fronts():
    assert one(data(levers=[cease()])) == (
        "levers.0.fronts.0",
        "expected a front declared under fronts, found ['reb', 'gov'] (declared: none)",
    )


def test_a_ceasefire_naming_an_unknown_side():
    doc = data(fronts=[FRONT], levers=[dict(cease(), fronts=[["gov", "isis"]])])
    path, message = one(doc)
    assert path == "levers.0.fronts.0"
    assert message.startswith("expected a declared side, found 'isis'")


def test_two_ceasefires_with_one_name():
    doc = data(fronts=[FRONT], levers=[cease(), cease()])
    assert one(doc) == ("levers.1.name", "expected a unique ceasefire name, found 'truce' again")


def test_a_ceasefire_needs_a_name():
    lever = cease()
    del lever["name"]
    path, message = one(data(fronts=[FRONT], levers=[lever]))
    assert path == "levers.0.name"
