import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine import Blueprint
from sim.scenario.validate import semantic_problems
from sim.validation import DESIGNS, MAX_FACTIONS, RANGES, Design, build, draw_war
from sim.validation.generator import _ranges_of


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), number=st.integers(0, 10_000))
def test_drawn_values_lie_in_their_documented_ranges(seed, number):
    war = draw_war(seed, number)
    for key, value in war.values.items():
        r = RANGES[_ranges_of(key)]
        assert r.contains(value), (key, value, r)
    assert 1 <= war.factions <= MAX_FACTIONS
    assert war.intervention in ("none", "government", "rebels", "both")


def test_every_range_says_where_it_comes_from():
    for name, r in RANGES.items():
        assert r.low <= r.high, name
        assert r.source or r.note, name


def test_the_same_seed_draws_the_same_war_and_another_seed_another():
    assert draw_war(3, 7) == draw_war(3, 7)
    assert draw_war(3, 7).values != draw_war(4, 7).values
    assert draw_war(3, 7).values != draw_war(3, 8).values


@pytest.mark.parametrize("name", list(DESIGNS))
def test_every_design_builds_a_valid_war_scenario(name):
    for number in range(3):
        scenario = build(draw_war(11, number), DESIGNS[name])
        assert semantic_problems(scenario) == []
        assert scenario.issues["war"].war_outcome == {"government": 1.0, "rebels": 0.0}
        Blueprint(scenario)  # compiles


def test_designs_change_only_their_factor():
    war = draw_war(5, 0)
    base = build(war, DESIGNS["base"])
    guarded = build(war, DESIGNS["guarantee"])
    assert base.actors == guarded.actors
    assert [x.type for x in guarded.levers] == ["talks", "guarantee"]
    split = build(war, Design("split", intervention="none", factions=3))
    rebels = [a for a in split.actors.values() if a.side == "rebels"]
    assert len(rebels) == 3 and all(a.veto for a in rebels)
    total = sum(a.force.value for a in rebels)
    assert np.isclose(total, base.actors["rebels0"].force.value)
    both = build(war, DESIGNS["both_allies"])
    assert {"government_ally", "rebel_ally"} <= set(both.actors)
    assert not both.actors["government_ally"].veto


def test_factions_out_of_range_are_refused():
    with pytest.raises(ValueError, match="factions"):
        build(draw_war(0, 0), Design("bad", factions=MAX_FACTIONS + 1))
