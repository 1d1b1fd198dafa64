"""The JSON and self-contained HTML reports."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from guardrail.testing import FakeProvider

from .conftest import SAMPLE, run_eval


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_self_contained_with_charts_and_every_response(
    fake: FakeProvider, tmp_path: Path
) -> None:
    """The HTML has the three charts as inline SVG, the gate-vs-judge table, every
    response with its reasoning, and no script or external resource."""
    out = tmp_path / "out"
    run_eval(fake, SAMPLE, out)
    result = json.loads((out / "dev-report.json").read_text())
    page = (out / "dev-report.html").read_text()
    parser = _Collect()
    parser.feed(page)
    ids = {a.get("id") for _, a in parser.tags}
    assert {"distribution", "intents", "gate-vs-judge", "responses"} <= ids
    assert sum(1 for t, _ in parser.tags if t == "svg") >= 2
    assert sum(1 for t, a in parser.tags if t == "line" and a.get("class") == "interval") == len(
        result["per_intent"]
    )
    assert not any(t in ("script", "link", "img", "iframe") for t, _ in parser.tags)
    assert not any((a.get("src") or a.get("href")) for _, a in parser.tags)
    text = "".join(parser.text)
    for row in result["responses"]:
        assert row["id"] in text
    assert text.count("factual_accuracy reasoning") == len(result["responses"])


def test_html_escapes_ticket_text(fake: FakeProvider, tmp_path: Path) -> None:
    """Markup in ids and reasoning is escaped, never rendered."""
    from guardrail.testing import Step

    from .conftest import scores, ticket, write_tickets

    answer = scores()
    answer["brand_voice"]["reasoning"] = "<script>alert(1)</script>"
    path = write_tickets(tmp_path / "t.jsonl", [ticket("<b>x</b>")])
    with FakeProvider(default=Step.invalid(answer)) as judge:
        run_eval(judge, path, tmp_path / "out", "--threshold", "0.01")
    page = (tmp_path / "out" / "dev-report.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;x" in page
