"""The ``sim`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sim.errors import LeverageError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Leverage: run policy scenarios and compare their outcomes.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a value: dotted.path=value (repeatable).")]


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario files.")]) -> None:
    """Check scenario files: `ok FILE` for each good one, one line per problem otherwise."""
    from sim.scenario import load_scenario

    failed = False
    for file in files:
        try:
            load_scenario(file)
        except LeverageError as exc:
            failed = True
            for line in exc.lines():
                err.print(line, markup=False)
        else:
            out.print(f"ok {file}", markup=False)
    if failed:
        raise typer.Exit(2)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from sim.scenario.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@app.command()
def show(file: Path, set_: SetOption = None) -> None:
    """Print the fully resolved scenario (extends merged, overrides applied, defaults shown)."""
    from sim.scenario import load_scenario
    from sim.scenario.dump import dump_scenario

    sys.stdout.write(dump_scenario(load_scenario(file, overrides=set_ or [])))


def main() -> None:
    """Entry point: user errors become `file:line: path: message` lines and exit status 2."""
    try:
        app()
    except LeverageError as exc:
        for line in exc.lines():
            err.print(line, markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
