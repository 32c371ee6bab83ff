"""Numbers: constants and distributions, their support, draws and range checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from scipy import stats

from sim.scenario.params import AnyNumber, Fraction, NonNegative, Param, Positive

QUANTILES = [0.0, 1e-9, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999]
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
unit = st.floats(0.0, 1.0, exclude_max=True)


def param(data) -> Param:
    return Param.model_validate(data)


def error_messages(data, tp=Param) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(tp).validate_python(data)
    return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]


class TestForms:
    def test_a_bare_number_is_a_constant(self):
        p = param(0.8)
        assert (p.kind, p.value, p.random) == ("value", 0.8, False)
        assert param(3).value == 3.0

    def test_a_constant_with_source_and_note(self):
        p = param({"value": 0.8, "source": "SIPRI", "note": "judgement"})
        assert (p.kind, p.value, p.source, p.note) == ("value", 0.8, "SIPRI", "judgement")

    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            ({"uniform": [0.6, 0.9]}, "uniform"),
            ({"normal": {"mean": 1, "sd": 0.2}}, "normal"),
            ({"triangular": [0, 0.5, 2]}, "triangular"),
            ({"beta": [2, 5]}, "beta"),
            ({"choice": [1, 2, 4]}, "choice"),
        ],
    )
    def test_distributions(self, data, kind):
        p = param({**data, "note": "why"})
        assert (p.kind, p.random, p.note) == (kind, True, "why")

    @pytest.mark.parametrize("data", [True, False])
    def test_booleans_are_not_numbers(self, data):
        assert error_messages(data) == [f"expected a number, found {str(data).lower()}"]

    @pytest.mark.parametrize(
        ("data", "found"),
        [
            ("lots", "text 'lots'"),
            ([1, 2], "[1, 2]"),
            (None, "nothing (null)"),
        ],
    )
    def test_other_things_are_not_numbers(self, data, found):
        assert error_messages(data) == [f"expected a number or a distribution, found {found}"]

    @pytest.mark.parametrize(
        ("text", "hint"),
        [
            ("0.5", " (without quotes it is a number)"),
            ("2e-5", " (without quotes it is a number)"),
            ("1_000", " (YAML 1.2 reads digits with '_' as text: write e.g. 1000, not 1_000)"),
            ("1:30", ""),
            ("yes", ""),
            ("nan", ""),
        ],
    )
    def test_text_that_looks_like_a_number_gets_a_hint(self, text, hint):
        assert error_messages(text) == [
            f"expected a number or a distribution, found text {text!r}{hint}"
        ]

    def test_numbers_inside_a_form_must_be_numbers_not_text(self):
        with pytest.raises(ValidationError) as caught:
            param({"value": "0.5"})
        assert [e["type"] for e in caught.value.errors()] == ["float_type"]
        with pytest.raises(ValidationError):
            param({"uniform": ["0.1", 0.5]})

    @pytest.mark.parametrize(
        ("data", "found"),
        [
            ({}, "none of them"),
            ({"note": "n"}, "none of them"),
            ({"value": 1, "uniform": [0, 2]}, "value and uniform"),
            ({"beta": [1, 1], "choice": [1]}, "beta and choice"),
        ],
    )
    def test_exactly_one_form(self, data, found):
        assert error_messages(data) == [
            "expected a number, or a mapping with exactly one of value, uniform, normal, "
            f"triangular, beta or choice, found {found}"
        ]

    def test_unknown_keys_are_rejected(self):
        with pytest.raises(ValidationError) as caught:
            param({"unifrom": [0, 1]})
        assert {e["type"] for e in caught.value.errors()} >= {"extra_forbidden"}

    @pytest.mark.parametrize(
        "data",
        [
            float("nan"),
            float("inf"),
            -float("inf"),
            {"value": float("nan")},
            {"uniform": [0, float("inf")]},
            {"normal": {"mean": float("nan"), "sd": 1}},
            {"choice": [1, float("nan")]},
            {"triangular": [0, 1, float("inf")]},
        ],
    )
    def test_non_finite_numbers_are_rejected(self, data):
        with pytest.raises(ValidationError):
            param(data)


class TestDistributionParameters:
    def test_uniform_ordered(self):
        assert error_messages({"uniform": [2, 1]}) == [
            "expected uniform [lo, hi] with lo <= hi, found [2.0, 1.0]"
        ]
        assert param({"uniform": [1, 1]}).support() == (1, 1)

    @pytest.mark.parametrize("values", [[1, 0, 2], [0, 3, 2], [2, 1, 0]])
    def test_triangular_ordered(self, values):
        (message,) = error_messages({"triangular": values})
        assert message.startswith("expected triangular [lo, mode, hi] with lo <= mode <= hi")

    @pytest.mark.parametrize("values", [[0, 1], [1, 0], [-1, 2]])
    def test_beta_positive(self, values):
        with pytest.raises(ValidationError) as caught:
            param({"beta": values})
        assert caught.value.errors()[0]["type"] == "greater_than"

    def test_normal_sd_non_negative_and_required(self):
        with pytest.raises(ValidationError) as caught:
            param({"normal": {"mean": 0, "sd": -1}})
        assert caught.value.errors()[0]["type"] == "greater_than_equal"
        with pytest.raises(ValidationError) as caught:
            param({"normal": {"mean": 0}})
        assert caught.value.errors()[0]["type"] == "missing"

    def test_choice_not_empty(self):
        with pytest.raises(ValidationError) as caught:
            param({"choice": []})
        assert caught.value.errors()[0]["type"] == "too_short"

    @pytest.mark.parametrize(
        "data", [{"uniform": [1]}, {"uniform": [1, 2, 3]}, {"triangular": [1, 2]}, {"beta": [1]}]
    )
    def test_lengths(self, data):
        with pytest.raises(ValidationError):
            param(data)


class TestSupportCenterDraw:
    @pytest.mark.parametrize(
        ("data", "support", "center"),
        [
            (0.3, (0.3, 0.3), 0.3),
            ({"uniform": [1, 3]}, (1, 3), 2),
            ({"normal": {"mean": 5, "sd": 2}}, (5, 5), 5),
            ({"triangular": [0, 3, 6]}, (0, 6), 3),
            ({"beta": [2, 6]}, (0, 1), 0.25),
            ({"choice": [4, 1, 7]}, (1, 7), 4),
        ],
    )
    def test_support_and_center(self, data, support, center):
        p = param(data)
        assert p.support() == support
        assert p.center() == pytest.approx(center)

    def test_constant(self):
        assert {param(0.3).draw(u) for u in QUANTILES} == {0.3}

    def test_uniform_is_linear(self):
        p = param({"uniform": [1, 3]})
        assert [p.draw(u) for u in (0, 0.25, 0.5)] == [1, 1.5, 2]

    def test_normal_quantiles_and_clipping(self):
        p = param({"normal": {"mean": 5, "sd": 2}})
        assert p.draw(0.5) == pytest.approx(5)
        assert p.draw(0.975) == pytest.approx(5 + 2 * 1.959964, abs=1e-5)
        assert math.isfinite(p.draw(0.0))
        clipped = TypeAdapter(Fraction).validate_python({"normal": {"mean": 0.9, "sd": 1}})
        assert {clipped.draw(0.999999), clipped.draw(0.0)} == {1.0, 0.0}

    def test_triangular_matches_scipy(self):
        p = param({"triangular": [1, 2, 5]})
        reference = stats.triang(c=0.25, loc=1, scale=4)
        for u in QUANTILES:
            assert p.draw(u) == pytest.approx(reference.ppf(u), abs=1e-9)
        assert param({"triangular": [2, 2, 2]}).draw(0.3) == 2

    def test_beta_matches_scipy(self):
        p = param({"beta": [2, 5]})
        for u in QUANTILES:
            assert p.draw(u) == pytest.approx(stats.beta(2, 5).ppf(u), abs=1e-6)
            assert type(p.draw(u)) is float

    @pytest.mark.parametrize("u", [0.0, 5e-324, 2.2250738585e-313, 1e-300, 1 - 2**-53])
    def test_beta_at_extreme_quantiles_is_a_number(self, u):
        value = param({"beta": [2, 4]}).draw(u)
        assert 0.0 <= value <= 1.0

    def test_choice_equally_likely(self):
        p = param({"choice": [10, 20, 30, 40]})
        assert [p.draw(u) for u in (0, 0.24, 0.25, 0.5, 0.74, 0.75, 0.9999)] == [
            10,
            10,
            20,
            30,
            30,
            40,
            40,
        ]

    @settings(max_examples=150, deadline=None)
    @given(
        data=st.one_of(
            st.tuples(finite, finite).map(lambda t: {"uniform": sorted(t)}),
            st.tuples(finite, finite, finite).map(lambda t: {"triangular": sorted(t)}),
            st.tuples(st.floats(0.05, 50), st.floats(0.05, 50)).map(lambda t: {"beta": list(t)}),
            st.lists(finite, min_size=1, max_size=6).map(lambda v: {"choice": v}),
            finite,
        ),
        u=unit,
        v=unit,
    )
    def test_draws_stay_in_the_support_and_are_monotone(self, data, u, v):
        p = param(data)
        lo, hi = p.support()
        a, b = p.draw(min(u, v)), p.draw(max(u, v))
        assert lo - 1e-9 * max(1, abs(lo)) <= a <= hi + 1e-9 * max(1, abs(hi))
        assert isinstance(a, float) and math.isfinite(a)
        if p.kind != "choice":
            assert a <= b + 1e-9 * max(1, abs(b))


class TestSerialisation:
    def test_a_constant_dumps_as_a_bare_number(self):
        assert param(0.8).model_dump() == 0.8
        assert param({"value": 0.8}).model_dump() == 0.8

    def test_other_forms_keep_their_keys(self):
        assert param({"value": 0.8, "note": "n"}).model_dump() == {"value": 0.8, "note": "n"}
        assert param({"uniform": [0, 1]}).model_dump(mode="json") == {"uniform": [0.0, 1.0]}

    def test_json_schema_is_a_number_or_one_form(self):
        schema = TypeAdapter(Param).json_schema()
        branches = schema["anyOf"]
        assert branches[0] == {"type": "number"}
        mapping = schema["$defs"]["Param"] if "$ref" in branches[1] else branches[1]
        assert mapping["additionalProperties"] is False
        assert mapping["oneOf"] == [
            {"required": [k]}
            for k in ("value", "uniform", "normal", "triangular", "beta", "choice")
        ]


class TestBounded:
    class Model(BaseModel):
        fraction: Fraction = 0.5
        non_negative: NonNegative = 0.0
        positive: Positive = 1.0
        anything: AnyNumber = 0.0

    def messages(self, **data) -> list[str]:
        with pytest.raises(ValidationError) as caught:
            self.Model.model_validate(data)
        return [e["msg"].removeprefix("Value error, ") for e in caught.value.errors()]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"fraction": 1.5}, "expected a number in [0, 1], found 1.5"),
            ({"fraction": -0.1}, "expected a number in [0, 1], found -0.1"),
            (
                {"fraction": {"uniform": [0.5, 1.5]}},
                "expected a number in [0, 1], found values from 0.5 to 1.5",
            ),
            (
                {"fraction": {"normal": {"mean": 1.2, "sd": 0.1}}},
                "expected a number in [0, 1], found mean 1.2",
            ),
            (
                {"fraction": {"choice": [0, 2]}},
                "expected a number in [0, 1], found values from 0 to 2",
            ),
            ({"non_negative": -1}, "expected a non-negative number, found -1"),
            (
                {"non_negative": {"triangular": [-1, 0, 1]}},
                "expected a non-negative number, found values from -1 to 1",
            ),
            ({"positive": 0}, "expected a number > 0, found 0"),
            ({"positive": {"uniform": [0, 1]}}, "expected a number > 0, found values from 0 to 1"),
        ],
    )
    def test_the_whole_support_must_be_valid(self, data, message):
        assert self.messages(**data) == [message]

    def test_valid_values(self):
        m = self.Model.model_validate(
            {
                "fraction": {"beta": [2, 2]},
                "non_negative": 0,
                "positive": {"uniform": [0.1, 2]},
                "anything": {"normal": {"mean": -1e6, "sd": 1e6}},
            }
        )
        assert m.fraction.kind == "beta"
        assert m.anything.draw(0.5) == -1e6

    def test_all_problems_are_reported(self):
        assert len(self.messages(fraction=2, non_negative=-1, positive=-1)) == 3
