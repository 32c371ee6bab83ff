"""A self-contained HTML report of a comparison.

``write_report(results, table, path)`` writes one HTML file: inline CSS, plots
embedded as base64 PNG data URIs, no scripts, nothing fetched from the network.
Sections: the scenarios (description, levers, triggers), the comparison table
(differences whose interval excludes zero highlighted), the plots, and each run's
manifest. All text from scenarios and manifests is HTML-escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.compare import (
    Baseline,
    compare,
    legend,
    resolve_baseline,
    scenario_labels,
    table_rows,
)
from sim.results import SCENARIO_FILE, ResultSet

CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dde3; --up: #0b6e85; --down: #8e2a7a; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: var(--ink);
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 60px; background: #fff;
  min-height: 100vh; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 20px 0 6px; }
p.meta, .muted { color: var(--muted); font-size: 13px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px;
  border-radius: 9px; background: var(--ink); color: #fff; vertical-align: middle; }
.scenario { border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 12px;
  margin: 12px 0; background: #fbfbfc; }
ul.levers { padding-left: 20px; margin: 6px 0; }
ul.levers li { margin: 3px 0; }
code { font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px;
  background: #eef0f3; padding: 0 4px; border-radius: 3px; }
table.compare { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0; }
table.compare th, table.compare td { padding: 4px 8px; border-bottom: 1px solid var(--line);
  text-align: right; white-space: nowrap; }
table.compare th { background: #eceff3; position: sticky; top: 0; }
table.compare td.text, table.compare th.text { text-align: left; }
table.compare tr.group td { border-top: 2px solid #aab1bb; }
table.compare td.base { color: var(--muted); font-style: italic; }
table.compare td.sig { font-weight: 700; }
table.compare td.sig.up { color: var(--up); background: #e3f3f6; }
table.compare td.sig.down { color: var(--down); background: #f6e6f2; }
p.legend { font-size: 13px; color: var(--muted); margin-top: 6px; }
figure { margin: 18px 0 28px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
  border-radius: 6px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 6px 12px; }
summary { cursor: pointer; font-weight: 600; }
pre { background: #f3f4f6; padding: 10px 12px; border-radius: 6px; overflow-x: auto;
  font-size: 12.5px; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def scenario_document(result: ResultSet) -> tuple[dict[str, Any], str | None]:
    """The scenario's description, levers and triggers, robustly.

    Uses ``result.scenario`` (the validated model); when that fails, reads
    ``scenario.yaml`` as plain YAML.

    Returns:
        ``(document, problem)``: a dict with ``description``, ``levers``, ``triggers``
        (and whatever else was readable), and a note when something could not be read.

    """
    try:
        scenario = result.scenario
        document = {
            "name": getattr(scenario, "name", result.name),
            "description": getattr(scenario, "description", ""),
            "levers": [_plain(lever) for lever in (getattr(scenario, "levers", None) or [])],
            "triggers": [_plain(t) for t in (getattr(scenario, "triggers", None) or [])],
        }
        return document, None
    except Exception as error:  # noqa: BLE001 - fall back to the raw file, whatever went wrong
        problem = f"{type(error).__name__}: {error}"
    try:
        import yaml

        document = yaml.safe_load((result.path / SCENARIO_FILE).read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise ValueError(f"{SCENARIO_FILE} is not a mapping")
        return document, None
    except Exception as error:  # noqa: BLE001 - report it in the page instead of failing
        return {}, f"scenario unavailable ({problem}; {type(error).__name__}: {error})"


def _plain(value: Any) -> Any:
    """A pydantic model, dataclass or mapping as plain data."""
    if hasattr(value, "model_dump"):
        try:
            return value.model_dump(mode="json", by_alias=True, exclude_none=True)
        except Exception:  # noqa: BLE001 - fall through to a generic conversion
            pass
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: _plain(v) for k, v in vars(value).items() if not k.startswith("_")}
    return value


def _text(value: Any) -> str:
    """A value as short plain text: lists joined by commas, mappings as ``k: v``."""
    value = _plain(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        if all(not isinstance(v, dict | list | tuple) for v in value):
            return ", ".join(str(v) for v in value)
        return "[" + "; ".join(_text(v) for v in value) + "]"
    return str(value)


def describe_lever(lever: Any) -> tuple[str, str]:
    """A lever (or trigger) as ``(heading, details)`` plain text."""
    data = _plain(lever)
    if not isinstance(data, dict):
        return str(data), ""
    kind = data.get("type")
    if kind is None and isinstance(data.get("then"), dict):
        kind = data["then"].get("type")
    name = data.get("name")
    heading = f"{name} ({kind})" if name and kind else str(name or kind or "lever")
    skip = {"name", "type", "source", "note"}
    details = "; ".join(
        f"{k}: {_text(v)}" for k, v in data.items() if k not in skip and v not in (None, "", [], {})
    )
    return heading, details


def _scenario_section(runs: Sequence[ResultSet], labels: Sequence[str], base: int) -> str:
    parts = ['<h2 id="scenarios">Scenarios</h2>']
    for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
        document, problem = scenario_document(run)
        badge = ' <span class="badge">baseline</span>' if i == base else ""
        parts.append('<section class="scenario">')
        parts.append(f"<h3>{_e(label)}{badge}</h3>")
        parts.append(f'<p class="muted">run folder <code>{_e(run.path)}</code></p>')
        if problem:
            parts.append(f'<p class="muted">{_e(problem)}</p>')
        description = str(document.get("description") or "").strip()
        parts.append(
            f"<p>{_e(description)}</p>" if description else '<p class="muted">(no description)</p>'
        )
        for key, title in (("levers", "Levers"), ("triggers", "Triggers")):
            items = document.get(key) or []
            if not isinstance(items, list):
                items = [items]
            if key == "triggers" and not items:
                continue
            parts.append(f"<p><strong>{title}</strong></p>")
            if not items:
                parts.append('<p class="muted">none</p>')
                continue
            parts.append('<ul class="levers">')
            for item in items:
                heading, details = describe_lever(item)
                extra = f" — {_e(details)}" if details else ""
                parts.append(f"<li><strong>{_e(heading)}</strong>{extra}</li>")
            parts.append("</ul>")
        parts.append("</section>")
    return "\n".join(parts)


def table_html(frame: pd.DataFrame) -> str:
    """The comparison as an HTML table with its legend; differences excluding zero highlighted."""
    head = (
        "<tr><th class='text'>outcome</th><th class='text'>scenario</th><th>n</th>"
        "<th>estimate</th><th>95% CI</th><th>diff</th><th>diff 95% CI</th>"
        "<th class='text'>pairing</th></tr>"
    )
    body = []
    for row in table_rows(frame):
        group = ' class="group"' if row["first"] and body else ""
        if row["baseline"]:
            diff_class = "base"
        elif row["significant"]:
            diff_class = "sig " + ("up" if row["sign"] > 0 else "down")
        else:
            diff_class = ""
        mark = "*" if row["significant"] else ""
        body.append(
            f"<tr{group}><td class='text'>{_e(row['outcome']) if row['first'] else ''}</td>"
            f"<td class='text'>{_e(row['scenario'])}</td><td>{_e(row['n'])}</td>"
            f"<td>{_e(row['estimate'])}</td><td>{_e(row['ci'])}</td>"
            f"<td class='{diff_class}'>{_e(row['diff'])}{mark}</td>"
            f"<td class='{diff_class}'>{_e(row['diff_ci'])}</td>"
            f"<td class='text'>{_e(row['paired'])}</td></tr>"
        )
    return (
        f"<table class='compare'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
        f"<p class='legend'>{_e(legend(frame))} Highlighted: increase "
        "<span style='color:var(--up);font-weight:700'>teal</span>, decrease "
        "<span style='color:var(--down);font-weight:700'>purple</span> (no judgement "
        "of better or worse).</p>"
    )


def _plots_section(runs: Sequence[ResultSet], outcomes: list[str] | None) -> str:
    from sim.analysis.plots import figures, png_bytes

    parts = ['<h2 id="plots">Plots</h2>']
    made = figures(runs, outcomes)
    if not made:
        parts.append('<p class="muted">No data to plot.</p>')
    for _stem, caption, fig in made:
        data = base64.b64encode(png_bytes(fig)).decode("ascii")
        parts.append(
            f'<figure><img alt="{_e(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    return "\n".join(parts)


def _manifest_section(runs: Sequence[ResultSet], labels: Sequence[str]) -> str:
    parts = ['<h2 id="manifests">Run manifests</h2>']
    for run, label in zip(runs, labels, strict=True):
        text = json.dumps(run.manifest, indent=2, sort_keys=False, default=str)
        parts.append(
            f"<details><summary>{_e(label)} — <code>{_e(run.path)}</code></summary>"
            f"<pre>{_e(text)}</pre></details>"
        )
    return "\n".join(parts)


def render_report(
    results: Sequence[ResultSet] | ResultSet,
    table: pd.DataFrame | None = None,
    baseline: Baseline = None,
    title: str = "Leverage — scenario comparison",
) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    runs, base = resolve_baseline(results, baseline)
    if table is None:
        table = compare(runs, baseline=base)
    labels = scenario_labels(runs)
    outcomes = list(dict.fromkeys(table["outcome"].astype(str))) or None
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    runs_text = ", ".join(labels)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style></head><body><main>",
            f"<h1>{_e(title)}</h1>",
            f'<p class="meta">Baseline: <strong>{_e(labels[base])}</strong> · runs: {_e(runs_text)}'
            f" · written {_e(when)}</p>",
            _scenario_section(runs, labels, base),
            '<h2 id="comparison">Comparison</h2>',
            table_html(table),
            _plots_section(runs, outcomes),
            _manifest_section(runs, labels),
            "</main></body></html>",
            "",
        ]
    )


def write_report(
    results: Sequence[ResultSet] | ResultSet,
    table: pd.DataFrame | None,
    path: str | Path,
    baseline: Baseline = None,
) -> Path:
    """Write the self-contained HTML report.

    Args:
        results: the runs compared.
        table: the frame from ``compare`` (computed when None).
        path: the HTML file to write (folders are created).
        baseline: the baseline, as for ``compare``.

    Returns:
        The path written.

    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(results, table, baseline), encoding="utf-8")
    return target
