from pathlib import Path

from sim.catalog import levers_markdown
from sim.levers import LEVERS


def test_lever_reference_is_current():
    committed = (Path(__file__).parents[1] / "docs" / "levers.md").read_text()
    assert committed == levers_markdown(), "run `make docs` to regenerate docs/levers.md"


def test_every_lever_is_documented():
    text = levers_markdown()
    assert all(f"## `{name}`" in text for name in LEVERS.names())
