"""Every registered lever writes only the effects it declares, only in the rows it is given,
and a row's effects do not depend on the other rows of its batch."""

import numpy as np
import pytest

from sim.engine import Blueprint, Effects, Engine, Streams
from sim.levers import LEVERS
from sim.levers.base import Rows
from tests.factories import with_levers
from tests.levers.test_contract import EXAMPLES, SETTINGS

R = 5


def engine_with(kind, rows=R):
    scenario = with_levers(EXAMPLES[kind], battlefield={"noise": 0.01}, **SETTINGS.get(kind, {}))
    bp = Blueprint(scenario)
    numbers = np.arange(rows)
    return Engine(bp, bp.draw_batch(3, numbers), Streams.of_run(3, numbers), record=False)


def snapshot(effects):
    return {
        name: None if getattr(effects, name) is None else np.array(getattr(effects, name))
        for name in Effects.ALL
    }


def acted(kind, rows_mask, engine=None):
    engine = engine or engine_with(kind, len(rows_mask))
    for _ in range(1):  # (a step first, so levers with memory have some)
        engine.step()
    spec = engine.blueprint.scenario.levers[0]
    lever = engine.levers[0]
    effects = Effects(
        engine.state.force,
        len(engine.index.sides),
        engine.network.edge_of,
        len(engine.params.war_issue),
        len(engine.index.issues),
        fronts=len(engine.index.fronts),
    )
    before = snapshot(effects)
    lever.act(2, engine.state, engine.params, effects, Rows(rows_mask))
    return type(lever), spec, before, snapshot(effects)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_lever_writes_only_what_it_declares_and_only_in_its_rows(kind):
    rows = np.array([True, False, True, False, True])
    cls, _, before, after = acted(kind, rows)
    assert cls.writes <= set(Effects.ALL), "writes names unknown effects"
    changed = set()
    for name in Effects.ALL:
        b, a = before[name], after[name]
        if b is None and a is None:
            continue
        if b is None:
            b = np.zeros_like(a)
        if not np.array_equal(a, b):
            changed.add(name)
            np.testing.assert_array_equal(a[~rows], b[~rows], err_msg=f"{name}: other rows")
    assert changed <= cls.writes, f"writes {changed - cls.writes} without declaring it"
    assert changed, "the example lever wrote nothing"


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_lever_is_a_no_op_in_rows_where_it_is_not_active(kind):
    _, _, before, after = acted(kind, np.zeros(R, dtype=bool))
    for name in Effects.ALL:
        b, a = before[name], after[name]
        assert (a is None and b is None) or np.array_equal(
            a, np.zeros_like(a) if b is None else b
        ), name


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_a_rows_effects_do_not_depend_on_its_batch(kind):
    every = np.ones(R, dtype=bool)
    _, _, _, together = acted(kind, every)
    for r in range(R):
        alone_engine = engine_with(kind, R)
        # the same row r, run in a batch of one: rebuild with only its replication number
        bp = alone_engine.blueprint
        one = Engine(bp, bp.draw_batch(3, np.array([r])), Streams.of_run(3, [r]), record=False)
        _, _, _, alone = acted(kind, np.ones(1, dtype=bool), one)
        for name in Effects.ALL:
            if alone[name] is None:
                assert together[name] is None or not together[name][r].any(), name
            else:
                np.testing.assert_array_equal(alone[name][0], together[name][r], err_msg=name)


def test_every_lever_declares_its_effects():
    for name in LEVERS.names():
        assert LEVERS[name].writes, name


@pytest.mark.parametrize(
    "start, end",
    [
        ([2.0] * R, [np.inf] * R),
        ([0.0] * R, [3.0] * R),
        ([np.inf] * R, [np.inf] * R),
        ([1.0, 4.0, np.inf, 0.0, 2.0], [np.inf, 5.0, np.inf, 1.0, 2.0]),
    ],
)
def test_active_is_the_window_in_every_row(start, end):
    engine = engine_with("talks")
    spec = engine.blueprint.scenario.levers[0]
    values = {}
    lever = LEVERS[spec.type](
        spec, values, engine.index, engine.params, np.array(start), np.array(end)
    )
    for step in range(8):
        expected = (np.array(start) <= step) & (step <= np.array(end))
        np.testing.assert_array_equal(lever.active(step), expected)
