"""The self-contained HTML report: inline CSS and SVG charts, no scripts, no fetches."""

from __future__ import annotations

from html import escape
from typing import Any

from ._scores import DIMENSIONS

__all__ = ["render_html"]

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{margin-bottom:.2em} .go{color:#17703a} .nogo{color:#b3261e}
table{border-collapse:collapse;margin:.5em 0 1.5em} td,th{border:1px solid #ccc;padding:3px 7px;
text-align:left;vertical-align:top} th{background:#f3f3f3} .s0{background:#f8d7d4}
.s1{background:#fbe6c8} .s2{background:#e6f2dc} .s3{background:#cfe8c4}
details{margin:0} summary{cursor:pointer} svg{display:block;margin:.5em 0 1.5em}
"""
_COLOURS = ("#b3261e", "#e8912d", "#8fbf6a", "#2e7d32")


def _text(x: float, y: float, s: str, anchor: str = "start", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(s)}</text>"
    )


def distribution_svg(distribution: dict[str, dict[Any, int]]) -> str:
    """Grouped bars: for each dimension, how many responses scored 0, 1, 2, 3."""
    width, height, left, bottom = 760, 220, 40, 40
    counts = {d: {int(k): v for k, v in distribution.get(d, {}).items()} for d in DIMENSIONS}
    top = max([1, *(v for c in counts.values() for v in c.values())])
    group = (width - left) / len(DIMENSIONS)
    bar = group / 6
    parts = [
        f'<svg class="chart" id="distribution" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" role="img" aria-label="score distribution">'
    ]
    for i, d in enumerate(DIMENSIONS):
        x0 = left + i * group + bar
        for s in range(4):
            v = counts[d].get(s, 0)
            h = (height - bottom - 20) * v / top
            x = x0 + s * bar
            y = height - bottom - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                f'fill="{_COLOURS[s]}"><title>{escape(d)} = {s}: {v}</title></rect>'
            )
            parts.append(_text(x + bar * 0.45, height - bottom + 12, str(s), "middle", 10))
        parts.append(_text(x0 + 2 * bar, height - 12, d.replace("_", " "), "middle", 10))
    parts.append("</svg>")
    return "".join(parts)


def intents_svg(per_intent: dict[str, dict[str, Any]], threshold: float) -> str:
    """Horizontal bars: pass rate per intent with its 95% Wilson interval as a whisker,
    and the go threshold as a dashed line."""
    row, left, width = 22, 160, 760
    span = width - left - 60
    height = row * max(len(per_intent), 1) + 30
    parts = [
        f'<svg class="chart" id="intents" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" role="img" aria-label="pass rate by intent">'
    ]
    for i, (intent, r) in enumerate(per_intent.items()):
        y = 10 + i * row
        rate = r["rate"] or 0.0
        parts.append(_text(left - 6, y + 13, f"{intent} (n={r['n']})", "end"))
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{span * rate:.1f}" height="{row - 8}" '
            f'fill="#7aa7d6"><title>{escape(intent)}: {rate:.1%}</title></rect>'
        )
        lo, hi = left + span * r["low"], left + span * r["high"]
        mid = y + row / 2 - 1
        parts.append(
            f'<line class="interval" x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
            'stroke="#222" stroke-width="1.5"/>'
        )
        parts.append(_text(left + span + 6, y + 13, f"{rate:.0%} [{r['low']:.0%}–{r['high']:.0%}]"))
    tx = left + span * threshold
    parts.append(
        f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="5" y2="{height - 15}" stroke="#b3261e" '
        'stroke-dasharray="4 3"/>'
    )
    parts.append(_text(tx, height - 3, f"threshold {threshold:.0%}", "middle", 10))
    parts.append("</svg>")
    return "".join(parts)


def _gate_table(report: dict[str, Any]) -> str:
    cells = {(g, j): 0 for g in ("released", "escalated") for j in ("pass", "fail")}
    for r in report["responses"]:
        if r.get("scores") is None:
            continue
        g = "escalated" if r["gate"]["action"] == "escalate" else "released"
        cells[(g, "pass" if r["passed"] else "fail")] += 1
    head = "<tr><th>gate \\ judge</th><th>judge pass</th><th>judge fail</th></tr>"
    body = "".join(
        f"<tr><th>{g}</th><td>{cells[(g, 'pass')]}</td><td>{cells[(g, 'fail')]}</td></tr>"
        for g in ("released", "escalated")
    )
    rows = "".join(
        f"<tr><td>{escape(d['id'])}</td><td>{escape(d['intent'])}</td>"
        f"<td>{escape(d['gate'])}</td><td>{escape(d['why'])}</td></tr>"
        for d in report["disagreements"]
    )
    listing = (
        "<table id='disagreements'><tr><th>ticket</th><th>intent</th><th>gate</th>"
        f"<th>disagreement</th></tr>{rows}</table>"
        if rows
        else "<p>No disagreements.</p>"
    )
    return f"<table id='gate-vs-judge'>{head}{body}</table>{listing}"


def _responses(report: dict[str, Any]) -> str:
    head = "".join(f"<th>{d.replace('_', ' ')}</th>" for d in DIMENSIONS)
    rows = []
    for r in report["responses"]:
        if r.get("scores") is None:
            cells = f"<td colspan='{len(DIMENSIONS)}'>judge error: {escape(str(r['error']))}</td>"
        else:
            cells = "".join(
                f"<td class='s{r['scores'][d]['score']}'><details><summary>"
                f"{r['scores'][d]['score']} ({r['scores'][d]['confidence']:.2f})</summary>"
                f"{escape(r['scores'][d]['reasoning'])}</details></td>"
                for d in DIMENSIONS
            )
        codes = ", ".join(r["gate"]["codes"])
        rows.append(
            f"<tr><td>{escape(r['id'])}</td><td>{escape(r['intent'])}</td>"
            f"<td>{escape(r['gate']['action'])}<br><small>{escape(codes)}</small></td>{cells}</tr>"
        )
    return (
        f"<table id='responses'><tr><th>ticket</th><th>intent</th><th>gate</th>{head}</tr>"
        + "".join(rows)
        + "</table>"
    )


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1%}"


def _drift(drift: dict[str, Any] | None) -> str:
    if not drift or not drift["runs"]:
        return "<p>No earlier runs.</p>"
    rows = "".join(
        f"<tr><td>{escape(e['at'])}</td><td>{escape(e['split'])}</td><td>{e['n']}</td>"
        f"<td>{_pct(e['rate'])}</td><td>{escape(', '.join(e['draft_models']))}</td></tr>"
        for e in drift["runs"]
    )
    gap = drift["dev_minus_holdout"]
    gaps = (
        "<p>dev − holdout: "
        + ", ".join(f"{escape(k)} {v:+.3f}" for k, v in gap.items() if v is not None)
        + "</p>"
        if gap
        else "<p>Run both splits (with and without --holdout) to see the gap.</p>"
    )
    return (
        "<table id='drift'><tr><th>run</th><th>split</th><th>n</th><th>pass rate</th>"
        f"<th>draft models</th></tr>{rows}</table>{gaps}"
    )


def render_html(report: dict[str, Any]) -> str:
    """One HTML document with every chart and every response's scores and reasoning."""
    o, t = report["overall"], report["threshold"]
    verdict = report["decision"]
    rate = "n/a" if o["rate"] is None else f"{o['rate']:.1%}"
    cost = "unknown (pass --price)" if report["cost_usd"] is None else f"${report['cost_usd']:.4f}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>guardrail eval — {escape(verdict)}</title><style>{_CSS}</style></head><body>"
        f"<h1 class='{'go' if verdict == 'go' else 'nogo'}'>{escape(verdict.upper())}</h1>"
        f"<p>{escape(report['split'])} split: {o['passed']}/{o['n']} responses ({rate}, 95% CI "
        f"{o['low']:.1%}–{o['high']:.1%}) scored ≥ {t['min_score']} on every dimension; "
        f"threshold {t['rate']:.0%}. Judge: {escape(', '.join(report['judge_models']))}. "
        f"Tokens: {report['usage']['input_tokens']} in, {report['usage']['output_tokens']} "
        f"out; cost {escape(cost)}. Judge errors: {len(report['errors'])}; bad lines skipped: "
        f"{report['skipped_bad_lines']}.</p>"
        "<h2>Score distribution per dimension</h2>"
        + distribution_svg(report["distribution"])
        + "<h2>Pass rate by intent (95% Wilson interval)</h2>"
        + intents_svg(report["per_intent"], t["rate"])
        + "<h2>Gate versus judge</h2>"
        + _gate_table(report)
        + "<h2>Holdout and development across runs</h2>"
        + _drift(report.get("drift"))
        + "<h2>Every response</h2>"
        + _responses(report)
        + "</body></html>\n"
    )
