"""`sim.load`: a damaged set is one LeverageError naming the file, never a wrong table."""

import json
import shutil
from pathlib import Path

import pytest

import sim
from sim.errors import LeverageError
from sim.results import find_result_sets, scan_result_sets

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "patron_client.yaml"


@pytest.fixture(scope="module")
def complete(tmp_path_factory):
    return sim.run(
        EXAMPLE,
        out=tmp_path_factory.mktemp("set") / "run",
        replications=4,
        seed=2,
        executor="serial",
    ).path


@pytest.fixture
def copy(complete, tmp_path):
    path = tmp_path / "run"
    shutil.copytree(complete, path)
    return path


def test_a_sound_set_loads(complete):
    result = sim.load(complete)
    assert len(result.outcomes) == 4 and not result.timeseries.empty


def test_a_deleted_table_is_an_error_when_loading(copy):
    (copy / "outcomes.parquet").unlink()
    with pytest.raises(
        LeverageError,
        match=r"run/outcomes.parquet: missing; the result set "
        "is damaged",
    ):
        sim.load(copy)


def test_a_truncated_table_is_an_error_when_loading(copy):
    file = copy / "timeseries.parquet"
    file.write_bytes(file.read_bytes()[:-300])
    with pytest.raises(
        LeverageError,
        match=r"timeseries.parquet: \d+ bytes, the manifest "
        r"records \d+ \(truncated or changed\)",
    ):
        sim.load(copy)


def test_a_changed_table_is_an_error_when_read(copy):
    file = copy / "outcomes.parquet"
    data = bytearray(file.read_bytes())
    data[len(data) // 3] ^= 0x01
    file.write_bytes(bytes(data))
    result = sim.load(copy)  # same size: the checksum is checked when the table is read
    with pytest.raises(LeverageError, match="outcomes.parquet: does not match the checksum"):
        _ = result.outcomes


def test_a_set_without_file_records_still_reports_damage(copy):
    """Sets written before the manifest recorded files: read errors are LeverageErrors."""
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["files"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    file = copy / "outcomes.parquet"
    file.write_bytes(file.read_bytes()[:100])
    with pytest.raises(LeverageError, match="outcomes.parquet: cannot read"):
        _ = sim.load(copy).outcomes
    file.unlink()
    with pytest.raises(LeverageError, match="outcomes.parquet: missing"):
        sim.load(copy)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a JSON object, found list"),
        ("{", "not valid JSON"),
        ('{"scenario": "x"}', "status: field required"),
        (
            '{"status": "complete", "replications": "12"}',
            "replications: input should be a valid integer",
        ),
        ('{"status": "done"}', "status: unknown status 'done'"),
        (
            '{"status": "complete", "files": {"outcomes.parquet": {"sha256": "x"}}}',
            "files.outcomes.parquet.bytes: field required",
        ),
        (
            '{"status": "running", "replications": 10, "chunk_size": 3, "chunks_total": 2}',
            "replications, chunk_size and chunks_total do not agree",
        ),
    ],
)
def test_a_damaged_manifest_is_one_line(copy, text, message):
    (copy / "manifest.json").write_text(text)
    with pytest.raises(LeverageError) as caught:
        sim.load(copy)
    assert str(caught.value).startswith(f"{copy / 'manifest.json'}: damaged manifest: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_scan_lists_sound_sets_and_flags_damaged_ones(complete, tmp_path):
    for name in ("a", "b", "c"):
        shutil.copytree(complete, tmp_path / name)
    (tmp_path / "b" / "manifest.json").write_text("{not json")
    found, damaged = scan_result_sets(tmp_path)
    assert sorted(r.path.name for r in found) == ["a", "c"]
    assert [path.name for path, _ in damaged] == ["b"]
    assert "not valid JSON" in str(damaged[0][1])
    assert len(find_result_sets(tmp_path)) == 2
