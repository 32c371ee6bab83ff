# Leverage: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
DEMO   ?= $(firstword $(wildcard scenarios/syria_2016/baseline.yaml) scenarios/examples/patron_client.yaml)

.PHONY: demo test lint schema docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/sim run $(DEMO)

test: $(DEVSTAMP)
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/ruff format --check sim tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# lint-imports checks the import contracts in pyproject.toml (the layers in the README)
lint: $(DEVSTAMP)
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/ruff format --check sim tests benchmarks
	$(BIN)/lint-imports

schema: $(STAMP)
	$(BIN)/sim schema > sim/scenario/scenario.schema.json

docs: $(STAMP)
	$(BIN)/python -c "from sim.catalog import levers_markdown; print(levers_markdown(), end='')" > docs/levers.md
	$(BIN)/python -c "from pathlib import Path; from sim.catalog import with_outcomes_table as w; p = Path('docs/outputs.md'); p.write_text(w(p.read_text()))"

bench: $(DEVSTAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
