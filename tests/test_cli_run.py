"""The `sim run`, `sim runs` and `sim compare` commands, as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "examples" / "patron_client.yaml"


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("runs")
    variant = base / "variant.yaml"
    variant.write_text(
        f"extends: {EXAMPLE}\nname: variant\nlevers:\n"
        "  - {type: military_aid, donor: outsider, recipient: rebels, "
        "amount: 40, start: 2}\n"
    )
    a = cli(
        "run",
        EXAMPLE,
        "--replications",
        30,
        "--seed",
        4,
        "--out",
        base / "a",
        "--executor",
        "serial",
    )
    b = cli(
        "run",
        variant,
        "--replications",
        30,
        "--seed",
        4,
        "--out",
        base / "b",
        "--executor",
        "serial",
    )
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    return base, a


def test_run_writes_a_result_set_and_prints_a_summary(two_runs):
    base, a = two_runs
    assert f"wrote {base / 'a'}" in a.stdout
    assert "territory.government" in a.stdout and "settled" in a.stdout
    manifest = json.loads((base / "a" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["command"][:2] == ["sim", "run"]


def test_run_default_folder_is_results_scenario_run_id(tmp_path):
    done = cli("run", EXAMPLE, "--replications", 2, "--executor", "serial", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.parent == Path("results") / "patron_client"
    listing = cli("runs", cwd=tmp_path)
    assert "patron_client" in listing.stdout and "complete" in listing.stdout


def test_run_with_set_override(tmp_path):
    done = cli(
        "run",
        EXAMPLE,
        "--set",
        "horizon=5",
        "--replications",
        2,
        "--executor",
        "serial",
        "--out",
        tmp_path / "r",
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    assert sim.load(tmp_path / "r").timeseries["step"].max() == 5


def test_bad_scenario_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("resolve: {value: 0.6", "resolve: {value: 1.6"))
    done = cli("run", bad, "--out", tmp_path / "r")
    assert done.returncode == 2
    assert "actors.outsider.resolve: expected a number in [0, 1], found 1.6" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()


def test_compare_result_sets_paired(two_runs, tmp_path):
    base, _ = two_runs
    csv = tmp_path / "c.csv"
    done = cli(
        "compare",
        base / "a",
        base / "b",
        "--csv",
        csv,
        "--markdown",
        tmp_path / "c.md",
        "--report",
        tmp_path / "r.html",
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(csv)
    assert list(frame.columns) == [
        "outcome",
        "scenario",
        "n",
        "estimate",
        "low",
        "high",
        "diff",
        "diff_low",
        "diff_high",
        "paired",
        "note",
        "diff_note",
    ]
    assert frame["paired"].all()
    row = frame[(frame.outcome == "territory.rebels") & (frame.scenario == "variant")].iloc[0]
    assert row["diff"] > 0 and row["diff_low"] > 0
    assert (tmp_path / "r.html").read_text().count("data:image/png;base64") >= 3


def test_compare_runs_scenario_files_first_with_one_seed(tmp_path):
    done = cli(
        "compare",
        EXAMPLE,
        EXAMPLE,
        "--replications",
        6,
        "--executor",
        "serial",
        "--outcomes",
        "territory.government",
        "--csv",
        tmp_path / "c.csv",
        "--quiet",
        "--results-dir",
        tmp_path / "results",
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(tmp_path / "c.csv")
    assert frame["paired"].all() and (frame["diff"] == 0).all()


def test_compare_checks_outcome_names_before_running_scenario_files(tmp_path):
    """A newcomer's large runs were written before the outcome name was rejected."""
    done = cli(
        "compare",
        EXAMPLE,
        EXAMPLE,
        "--outcomes",
        "territory.nowhere,threat.x.conceded",
        "--quiet",
        "--results-dir",
        tmp_path / "results",
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "unknown outcome 'territory.nowhere'; did you mean 'territory.government' or "
        "'territory.rebels' or 'victory.none'?"
    ]
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("problem", ["not_a_set", "unfinished", "unknown_outcome"])
def test_compare_bad_input_is_one_clear_line(two_runs, tmp_path, problem):
    base, _ = two_runs
    args = [base / "a", base / "b"]
    if problem == "not_a_set":
        args = [tmp_path, base / "a"]
        expected = "not a result set"
    elif problem == "unfinished":
        copy = tmp_path / "copy"
        subprocess.run(["cp", "-r", str(base / "a"), str(copy)], check=True)
        manifest = json.loads((copy / "manifest.json").read_text())
        (copy / "manifest.json").write_text(json.dumps({**manifest, "status": "interrupted"}))
        args = [base / "a", copy]
        expected = "--resume"
    else:
        args.append("--outcomes=territory.nowhere")
        expected = "territory.government"
    done = cli("compare", *args)
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_failed_replications_print_the_first_error(tmp_path, monkeypatch, capsys):
    """Not only "1 replication(s) failed": the first failure's message too."""
    from sim import cli
    from sim.experiment import replication

    original = replication.run_engine

    def failing(blueprint, seed, numbers, record=True, chunk=None):
        for r in (1, 3):
            if r in numbers:
                raise MemoryError(f"Unable to allocate 7.11 PiB for replication {r}")
        return original(blueprint, seed, numbers, record, chunk=chunk)

    monkeypatch.setattr(replication, "run_engine", failing)
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "sim",
            "run",
            str(EXAMPLE),
            "--replications",
            "4",
            "--executor",
            "serial",
            "--out",
            str(tmp_path / "r"),
            "--quiet",
        ],
    )
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"2 replication(s) failed; see {tmp_path / 'r'}/errors.jsonl",
        "first failure, replication 1: MemoryError: Unable to allocate 7.11 PiB for replication 1",
    ]


def test_the_first_failure_survives_a_damaged_errors_file(tmp_path):
    from sim.cli import first_failure

    assert first_failure(tmp_path) is None
    (tmp_path / "errors.jsonl").write_text(
        '{"replication": 7, "error": "ValueError: x\\ny"}\nnot json\n{}\n'
    )
    assert first_failure(tmp_path) == "first failure, replication 7: ValueError: x y"


def test_compare_one_replication_each_shows_no_interval_and_nothing_significant(tmp_path):
    """The issue's example: ``[0.522, 0.522]`` and a starred difference from n = 1."""
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        f"extends: {EXAMPLE}\nname: variant\nlevers:\n"
        "  - {type: military_aid, donor: outsider, recipient: rebels, "
        "amount: 40, start: 2}\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            str(EXAMPLE),
            str(variant),
            "--replications",
            "1",
            "--executor",
            "serial",
            "--results-dir",
            str(tmp_path / "results"),
            "--quiet",
            "--csv",
            str(tmp_path / "c.csv"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "250"},
    )
    assert done.returncode == 0, done.stderr
    table, legend = done.stdout.split("Baseline:", 1)
    assert "*" not in table and "—" in table
    legend = " ".join(legend.split())
    assert "— : no interval (" in legend and "); never marked *." in legend
    assert "fewer than 10 values: too few for a bootstrap interval" in legend
    frame = pd.read_csv(tmp_path / "c.csv")
    numeric = frame[frame.outcome == "territory.rebels"]
    assert numeric[["low", "high", "diff_low", "diff_high"]].isna().all().all()


def test_runs_flags_a_damaged_set_and_lists_the_others(two_runs, tmp_path):
    base, _ = two_runs
    for name in ("a", "b"):
        subprocess.run(["cp", "-r", str(base / name), str(tmp_path / name)], check=True)
    subprocess.run(["cp", "-r", str(base / "a"), str(tmp_path / "bad")], check=True)
    (tmp_path / "bad" / "manifest.json").write_text('{"status": "complete", ')
    done = cli("runs", tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "patron_client" in done.stdout and "variant" in done.stdout
    assert "damaged" in done.stdout and str(tmp_path / "bad") in done.stdout
    assert done.stderr.strip().splitlines() == [
        f"{tmp_path / 'bad' / 'manifest.json'}: damaged manifest: not valid JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 24 (char 23))"
    ]


@pytest.mark.parametrize(
    "damage", ["deleted", "truncated", "bit_flip", "manifest_list", "manifest_without_status"]
)
def test_compare_of_a_damaged_set_is_one_line_naming_the_file(two_runs, tmp_path, damage):
    base, _ = two_runs
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(base / "a"), str(copy)], check=True)
    table = copy / "outcomes.parquet"
    if damage == "deleted":
        table.unlink()
        expected = f"{table}: missing; the result set is damaged"
    elif damage == "truncated":
        table.write_bytes(table.read_bytes()[:-1000])
        expected = f"{table}: "
    elif damage == "bit_flip":
        data = bytearray(table.read_bytes())
        data[len(data) // 2] ^= 0x10
        table.write_bytes(bytes(data))
        expected = f"{table}: does not match the checksum in the manifest"
    elif damage == "manifest_list":
        (copy / "manifest.json").write_text("[]")
        expected = f"{copy / 'manifest.json'}: damaged manifest: expected a JSON object"
    else:
        manifest = json.loads((copy / "manifest.json").read_text())
        del manifest["status"]
        (copy / "manifest.json").write_text(json.dumps(manifest))
        expected = f"{copy / 'manifest.json'}: damaged manifest: status: field required"
    done = cli("compare", base / "a", copy)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr
    with pytest.raises(sim.LeverageError, match="damaged"):
        _ = sim.load(copy).outcomes


@pytest.mark.parametrize(
    "option",
    [
        ["--replications", "5"],
        ["--seed", "3"],
        ["--chunk-size", "2"],
        ["--no-timeseries"],
        ["--set", "horizon=30"],
        ["--out", "elsewhere"],
        ["--results-dir", "elsewhere"],
    ],
)
def test_resume_refuses_options_that_cannot_apply(two_runs, tmp_path, option):
    base, _ = two_runs
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(base / "a"), str(copy)], check=True)
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "status": "interrupted"}))
    done = cli("run", "--resume", copy, *option, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    name = "--timeseries/--no-timeseries" if option[0] == "--no-timeseries" else option[0]
    assert done.stderr.strip().splitlines() == [
        f"{name} cannot be used with --resume: a resumed run goes on with the settings it "
        f"started with (see {copy / 'manifest.json'}); drop it, or start a new run"
    ]
    assert json.loads((copy / "manifest.json").read_text())["status"] == "interrupted"
    assert not (tmp_path / "elsewhere").exists()
