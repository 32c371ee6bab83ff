"""The ``sim`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from sim.errors import Interrupted, LeverageError, ReplicationsFailed
from sim.scenario.limits import MAX_REPLICATIONS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Leverage: run policy scenarios and compare their outcomes.",
)
out_console = Console(highlight=False, soft_wrap=True)
if not out_console.is_terminal:
    out_console = Console(highlight=False, soft_wrap=True, width=160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a value: dotted.path=value (repeatable)."),
]


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
            out_console.print(f"ok {file}", markup=False)
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


class _ProgressBar:
    """A rich progress bar on a terminal; nothing otherwise or with --quiet."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.bar = None
        if enabled and err.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self.task = None
            self.start = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            return
        import time

        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("run", total=total, completed=done, rate="")
            self.start, self.first = time.perf_counter(), done
            return
        elapsed = time.perf_counter() - self.start
        rate = f"{(done - self.first) / elapsed:.0f} rep/s" if elapsed > 0 else ""
        self.bar.update(self.task, completed=done, rate=rate)

    def stop(self) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.stop()


@app.command()
def run(
    file: Annotated[Path | None, typer.Argument(help="Scenario file.")] = None,
    set_: SetOption = None,
    replications: Annotated[
        int | None, typer.Option(min=1, max=MAX_REPLICATIONS, help="Replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Run seed.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the result set here (new).")] = None,
    resume: Annotated[Path | None, typer.Option(help="Finish an interrupted run.")] = None,
    executor: Annotated[str, typer.Option(help="serial, processes or dask.")] = "processes",
    workers: Annotated[int | None, typer.Option(min=1, help="Workers (default: cores).")] = None,
    address: Annotated[str | None, typer.Option(help="Dask scheduler, tcp://HOST:PORT.")] = None,
    timeseries: Annotated[
        bool | None, typer.Option(help="Keep time series (--no-timeseries: outcomes only).")
    ] = None,
    chunk_size: Annotated[int | None, typer.Option(min=1, help="Replications per chunk.")] = None,
    results_dir: Annotated[
        Path | None, typer.Option(help="Folder of result sets [default: results].")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Run a scenario's replications and write a result set; print a short summary."""
    import sim

    if address and executor != "dask":
        raise LeverageError("--address needs --executor dask")
    if (file is None) == (resume is None):
        raise LeverageError("give a scenario FILE to run, or --resume DIR (not both)")
    if resume is not None:
        _check_resume_options(
            {
                "--set": set_,
                "--replications": replications,
                "--seed": seed,
                "--chunk-size": chunk_size,
                "--out": out,
                "--results-dir": results_dir,
                "--timeseries/--no-timeseries": timeseries,
            },
            resume,
        )
    bar = _ProgressBar(not quiet, file.name if file else f"resume {resume}")
    try:
        if resume is not None:
            result = sim.resume(
                resume,
                executor=executor,
                workers=workers,
                address=address,
                progress=bar,
                say=lambda line: err.print(line, markup=False),
            )
        else:
            result = sim.run(
                file,
                overrides=set_ or [],
                replications=replications,
                seed=seed,
                out=out,
                executor=executor,
                workers=workers,
                address=address,
                chunk_size=chunk_size,
                timeseries=timeseries is not False,
                results_dir=results_dir or Path("results"),
                progress=bar,
                command=["sim", *sys.argv[1:]],
            )
    finally:
        bar.stop()
    if quiet:
        out_console.print(str(result.path), markup=False)
        return
    from sim.summary import summary_table

    out_console.print(f"wrote {result.path}", markup=False)
    out_console.print(summary_table(result))


def _check_resume_options(given: dict[str, object], resume: Path) -> None:
    """Refuse options that cannot apply to a resumed run (it goes on as it was started)."""
    named = [name for name, value in given.items() if value not in (None, [])]
    if named:
        raise LeverageError(
            f"{' and '.join(named)} cannot be used with --resume: a resumed "
            f"run goes on with the settings it started with (see "
            f"{resume / 'manifest.json'}); drop "
            f"{'them' if len(named) > 1 else 'it'}, or start a new run"
        )


@app.command()
def runs(
    folder: Annotated[Path, typer.Argument(help="Folder to search.")] = Path("results"),
) -> None:
    """List result sets: scenario, replications, status, date, path.

    A damaged set (unreadable manifest, a missing or truncated file) is listed as
    `damaged`, with a line on stderr saying why, and the exit status is 1.
    """
    from rich.table import Table

    from sim.results import scan_result_sets

    table = Table("scenario", "replications", "status", "started", "path", box=None)
    table.columns[-1].overflow = "fold"
    found, damaged = scan_result_sets(folder)
    for result in found:
        m = result.manifest
        table.add_row(
            str(m.get("scenario")),
            str(m.get("replications")),
            str(m.get("status")),
            str(m.get("started")),
            str(result.path),
        )
    for path, _ in damaged:
        table.add_row("?", "?", "damaged", "?", str(path))
    if not table.rows:
        out_console.print(f"no result sets under {folder}", markup=False)
        return
    out_console.print(table)
    for _, exc in damaged:
        err.print(str(exc), markup=False)
    if damaged:
        raise typer.Exit(1)


@app.command()
def compare(
    runs: Annotated[list[Path], typer.Argument(help="Result-set folders or scenario files.")],
    baseline: Annotated[
        str | None, typer.Option(help="The baseline run (default: the first).")
    ] = None,
    outcomes: Annotated[
        str | None,
        typer.Option(help="Outcomes to compare, a,b,... (patterns like cost.* allowed)."),
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Write the table as CSV.")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Write the table as Markdown.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report.")] = None,
    replications: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_REPLICATIONS,
            help="Replications for scenario files (default: the first one's).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed for scenario files.")] = None,
    executor: Annotated[str, typer.Option(help="serial, processes or dask.")] = "processes",
    workers: Annotated[int | None, typer.Option(min=1)] = None,
    results_dir: Annotated[Path, typer.Option(help="Folder of result sets.")] = Path("results"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Compare runs: estimates with 95% intervals and differences from the baseline.

    A RUN is a result-set folder, or a scenario file that is run first; all scenario
    files are run with one seed and replication count, so that the comparison is paired.
    """
    from sim.analysis.command import compare_command
    from sim.results import is_result_set, load
    from sim.runner import run as run_scenario
    from sim.scenario import load_scenario

    for path in runs:
        if path.is_dir() and not is_result_set(path):
            raise LeverageError(
                f"{path}: not a result set (no manifest.json) and not a scenario file"
            )
    files = [p for p in runs if not is_result_set(p)]
    scenarios = {p: load_scenario(p) for p in files}  # every file checked before any run
    if scenarios:
        first = next(iter(scenarios.values()))
        replications = replications or first.replications
        seed = first.seed if seed is None else seed
        if outcomes is not None:  # (the names checked on one replication of each, first)
            _check_outcomes(runs, scenarios, outcomes, seed)
    loaded = []
    for path in runs:
        if path in scenarios:
            bar = _ProgressBar(not quiet, path.name)
            try:
                loaded.append(
                    run_scenario(
                        scenarios[path],
                        replications=replications,
                        seed=seed,
                        executor=executor,
                        workers=workers,
                        results_dir=results_dir,
                        progress=bar,
                        command=["sim", *sys.argv[1:]],
                    )
                )
            finally:
                bar.stop()
            err.print(f"ran {path} -> {loaded[-1].path}", markup=False)
        else:
            loaded.append(load(path))
    compare_command(
        loaded,
        baseline=baseline,
        outcomes=outcomes,
        csv=csv,
        markdown=markdown,
        report=report,
        console=out_console,
    )


def _check_outcomes(runs: list[Path], scenarios: dict[Path, Any], outcomes: str, seed: int) -> None:
    """``--outcomes`` checked before any scenario file runs: on one replication of each
    scenario file and the outcomes of each result set.
    """
    import pandas as pd

    from sim.analysis.compare import check_outcomes
    from sim.model import run_replication
    from sim.results import load

    tables = [
        pd.DataFrame([run_replication(scenarios[p], seed, 0, record=False).outcomes()])
        if p in scenarios
        else load(p).outcomes
        for p in runs
    ]
    check_outcomes(tables, outcomes)


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    set_: SetOption = None,
    method: Annotated[str, typer.Option(help="sobol or morris.")] = "sobol",
    samples: Annotated[int, typer.Option(min=2, help="SALib base sample size N.")] = 64,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: the scenario's).")] = None,
    outcomes: Annotated[
        str | None, typer.Option(help="Outcomes a,b,... (default: headline).")
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Write the indices as CSV.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG bar chart of the indices.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Processes (default: cores).")] = None,
    top: Annotated[int, typer.Option(min=1, help="Parameters shown per outcome.")] = 8,
) -> None:
    """Global sensitivity of each outcome to the scenario's uncertain parameters (SALib).

    Exit status 0 when at least one outcome was analysed, 1 when none could be (each
    listed with the reason), 2 for bad input.
    """
    import math
    import os

    from rich.table import Table

    from sim.analysis.sensitivity import plot_indices, top_parameters
    from sim.analysis.sensitivity import sweep as run_sweep
    from sim.scenario import load_scenario

    scenario = load_scenario(file, overrides=set_ or [])
    chosen = [o.strip() for o in outcomes.split(",") if o.strip()] if outcomes else None
    result = run_sweep(
        scenario,
        method=method,
        samples=samples,
        seed=scenario.seed if seed is None else seed,
        outcomes=chosen,
        workers=workers or os.cpu_count() or 1,
    )
    if result.failed:
        first = " ".join(result.failed[0]["error"].split())
        err.print(
            f"{len(result.failed)} model run(s) failed; first failure, run "
            f"{result.failed[0]['replication']}: {first}",
            markup=False,
        )
    for outcome, reason in result.skipped.items():
        err.print(f"not analysed: {outcome}: {reason}", markup=False)
    if not result.analysed:
        err.print("no outcome could be analysed; nothing written", markup=False)
        raise typer.Exit(1)
    shown = top_parameters(result.indices, top)
    keys = [c for c in shown.columns if c not in ("outcome", "parameter", "note")]
    table = Table(
        "outcome",
        "parameter",
        *keys,
        title=f"{scenario.name}: {method} indices, {len(result.outcomes)} model runs",
    )
    for row in shown.itertuples(index=False):
        cells = (getattr(row, k) for k in keys)
        table.add_row(
            row.outcome, row.parameter, *("–" if math.isnan(v) else f"{v:.3f}" for v in cells)
        )
    out_console.print(table)
    notes = shown.drop_duplicates("outcome")
    for row in notes[notes["note"] != ""].itertuples(index=False):
        out_console.print(f"{row.outcome}: {row.note}", markup=False)
    if csv:
        result.indices.to_csv(csv, index=False)
        out_console.print(f"wrote {csv}", markup=False)
    if plot:
        plot_indices(result, top).savefig(plot, dpi=110)
        out_console.print(f"wrote {plot}", markup=False)


def first_failure(path: Path) -> str | None:
    """The error of the lowest-numbered failed replication in a result set, as one line.

    Read from its ``errors.jsonl``; None when that cannot be read (the count is then all
    the CLI says).
    """
    first: dict | None = None
    try:
        with open(path / "errors.jsonl", encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                    number = int(record["replication"])
                except (ValueError, TypeError, KeyError):
                    continue
                if first is None or number < first["replication"]:
                    first = {"replication": number, "error": str(record.get("error", ""))}
    except OSError:
        return None
    if first is None:
        return None
    message = " ".join(first["error"].split())
    if len(message) > 300:
        message = message[:297] + "..."
    return f"first failure, replication {first['replication']}: {message}"


def main() -> None:
    """Entry point: user errors become `file:line: path: message` lines and exit status 2."""
    from sim.errors import LeverageWarning

    warnings.simplefilter("always", LeverageWarning)
    warnings.showwarning = _show_warning
    try:
        app()
    except Interrupted as exc:
        err.print(str(exc), markup=False)
        sys.exit(exc.exit_code)
    except ReplicationsFailed as exc:
        err.print(str(exc), markup=False)
        first = first_failure(Path(str(exc.path)))
        if first:
            err.print(first, markup=False)
        sys.exit(1)
    except LeverageError as exc:
        for line in exc.lines():
            err.print(line, markup=False)
        sys.exit(2)
    except KeyboardInterrupt as exc:
        from sim.experiment.signals import as_stopped

        stopped = as_stopped(exc)
        err.print(stopped.reason, markup=False)
        sys.exit(stopped.exit_code)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """Warnings for users as one line ``warning: ...``; others as Python shows them."""
    from sim.errors import LeverageWarning

    if issubclass(category, LeverageWarning):
        err.print(f"warning: {message}", markup=False)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))
