import base64
import json
import re
import shutil
import subprocess

import pytest
from matplotlib.image import imread

from sim.analysis import stats
from sim.analysis.compare import compare
from sim.analysis.report import describe_lever, scenario_document, table_html, write_report


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory):
    table = compare(runs)
    folder = tmp_path_factory.mktemp("report")
    return write_report(runs, table, folder / "out" / "report.html", baseline="baseline")


def test_report_is_one_self_contained_file(report):
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    lowered = text.lower()
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", lowered)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", lowered)
    sources = re.findall(r'<img[^>]*src="([^"]+)"', text)
    assert len(sources) == 2 + 3 * 3
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_sections(report, runs):
    text = report.read_text(encoding="utf-8")
    for heading in ("Scenarios", "Comparison", "Plots", "Run manifests"):
        assert f">{heading}</h2>" in text
    assert "A synthetic scenario for the tests." in text
    assert "EU sanctions (sanctions)" in text and "senders: usa, saudi" in text
    assert "class='sig up'" in text or "class='sig down'" in text
    assert "excludes zero" in text
    manifest = json.dumps(runs[1].manifest, indent=2)
    assert manifest.splitlines()[1].strip().replace('"', "&quot;") in text


def test_report_escapes_text(make_run, tmp_path):
    evil = '<script>alert("x")</script> & <b>bold</b>'
    run = make_run("evil", description=evil)
    path = write_report([run], compare([run], outcomes=["settled"]), tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text


def test_report_falls_back_to_the_yaml_when_the_scenario_does_not_load(make_run, tmp_path):
    levers = [{"type": "not_a_lever", "name": "Mystery lever", "strength": 3}]
    run = make_run("odd", levers=levers, description="Loaded from the raw file.")
    document, problem = scenario_document(run)
    assert problem is None and document["levers"] == levers
    table = compare([run], outcomes=["settled"])
    text = write_report([run], table, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Loaded from the raw file." in text
    assert "Mystery lever (not_a_lever)" in text and "strength: 3" in text


def test_report_survives_a_missing_scenario_file(make_run, tmp_path):
    run = make_run("gone")
    (run.path / "scenario.yaml").unlink()
    document, problem = scenario_document(run)
    assert document == {} and "scenario unavailable" in problem
    table = compare(run, outcomes=["settled"])
    text = write_report(run, table, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "scenario unavailable" in text


def test_missing_intervals_are_shown_with_their_reason_and_never_highlighted(make_run):
    a = make_run("one_a", seed=5, replications=1)
    b = make_run("one_b", seed=5, replications=1, shift=0.3)
    text = table_html(compare([a, b], outcomes=["civilian_harm"]))
    assert "<td>—</td>" in text and "sig" not in text and "*</td>" not in text
    assert stats.NOTE_TOO_FEW in text and stats.NOTE_TOO_FEW_PAIRS in text


def test_describe_lever():
    heading, details = describe_lever(
        {"type": "deployment", "actor": "russia", "to": 0.5, "note": "skip me"}
    )
    assert heading == "deployment" and details == "actor: russia; to: 0.5"
    heading, _ = describe_lever(
        {"name": "russia_returns", "when": {"metric": "step"}, "then": {"type": "deployment"}}
    )
    assert heading == "russia_returns (deployment)"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium is not on PATH (Debian: apt-get install chromium)",
)
def test_report_renders_in_headless_chromium(report, tmp_path):
    shot = tmp_path / "shot.png"
    command = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1200,2000",
        report.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert shot.is_file(), done.stderr[-2000:]
    image = imread(shot)
    rgb = image[..., :3]
    assert image.shape[0] >= 1000 and image.shape[1] >= 1000
    assert rgb.std() > 0.02  # not a blank page
    ink = (rgb.min(axis=-1) < 0.95).mean()  # anything visibly non-white
    print(f"screenshot {image.shape}, std {rgb.std():.3f}, non-white {ink:.1%}")
    assert ink > 0.05
