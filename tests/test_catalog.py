from pathlib import Path

from sim.catalog import levers_markdown
from sim.levers import LEVERS


def test_lever_reference_is_current():
    committed = (Path(__file__).parents[1] / "docs" / "levers.md").read_text()
    assert committed == levers_markdown(), "run `make docs` to regenerate docs/levers.md"


def test_every_lever_is_documented():
    text = levers_markdown()
    assert all(f"## `{name}`" in text for name in LEVERS.names())


def test_outcome_reference_is_current():
    from sim.catalog import with_outcomes_table
    from sim.outcomes import OUTCOMES

    committed = (Path(__file__).parents[1] / "docs" / "outputs.md").read_text()
    assert committed == with_outcomes_table(committed), (
        "run `make docs` to regenerate the outcomes table in docs/outputs.md"
    )
    assert all(f"`{name}`" in committed for name in OUTCOMES)
