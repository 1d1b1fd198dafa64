"""Soft grounding findings meet the reviewer.

Grounding's ``UNSUPPORTED_CLAIM`` and ``MISSING_CITATION`` mean "no source this layer can
read states this value"; a paraphrase ("a fortnight's notice") or a value written in a
way the claim extractor does not resolve can be right all the same. When a QA reviewer is
configured, those claims are put to it explicitly (``_prompt.py``), and
:func:`clear_soft_findings` applies its answer:

A claim is **cleared** when the reviewer marks it ``CONSISTENT`` *and* its ``reason``
quotes (in double quotes) at least ``MIN_QUOTE_CHARS`` characters of source text that are
found verbatim in the **knowledge base's** text of a document in force at ``as_of`` —
for ``UNSUPPORTED_CLAIM`` a document the draft cites (the finding's ``cited``), for
``MISSING_CITATION`` any document in force (nothing was cited). The copy of a source the
draft carries never counts. Verbatim means after folding whitespace, curly quotes and
Markdown emphasis; case counts.

A cleared finding stays in the decision, with evidence ``cleared_by: "review"``, the
``review_quote`` and ``review_source``, and severity ``info`` (it no longer blocks). A
``MISSING_CITATION`` is cleared only when every claim in it is. ``POLICY_CONTRADICTION``,
``STALE_SOURCE``, ``UNKNOWN_SOURCE`` and every other code are never touched; with no
review (no reviewer configured, or it was cancelled or failed) nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from ..knowledge import Knowledge
from ..models import ClaimVerdict, Code, Finding, LayerName, Review, ReviewAnswer, Severity

__all__ = ["MIN_QUOTE_CHARS", "SOFT_CODES", "clear_soft_findings"]

#: the codes a reviewer may clear
SOFT_CODES: Final = frozenset({Code.UNSUPPORTED_CLAIM, Code.MISSING_CITATION})
#: the shortest quote that counts as support (after normalising)
MIN_QUOTE_CHARS: Final = 12

_QUOTE: Final = re.compile(r'"([^"]+)"|“([^”]+)”')
_EMPHASIS: Final = re.compile(r"[*_`]+")
_SPACE: Final = re.compile(r"\s+")


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", _EMPHASIS.sub("", text)).strip()


def _quotes(reason: str) -> list[str]:
    out = []
    for m in _QUOTE.finditer(reason):
        quote = _norm(m.group(1) or m.group(2) or "").strip(" .…")
        if len(quote) >= MIN_QUOTE_CHARS:
            out.append(quote)
    return out


def _verdict_for(claim: str, verdicts: Sequence[ClaimVerdict]) -> ClaimVerdict | None:
    """The reviewer's verdict on one claim: the entry whose text contains the claim as
    grounding wrote it (case-insensitive); a contradicting entry wins over a consistent one."""
    key = _norm(claim).lower()
    if not key:
        return None
    found = [v for v in verdicts if key in _norm(v.text).lower()]
    if not found:
        return None
    if any(v.verdict != "CONSISTENT" for v in found):
        return next(v for v in found if v.verdict != "CONSISTENT")
    return found[0]


def _support(
    claim: str, verdicts: Sequence[ClaimVerdict], texts: dict[str, str]
) -> tuple[str, str] | None:
    """``(quote, document id)`` when the reviewer supports ``claim`` with a verbatim quote
    from one of ``texts`` (document id → normalised in-force text), else None."""
    verdict = _verdict_for(claim, verdicts)
    if verdict is None or verdict.verdict != "CONSISTENT":
        return None
    for quote in _quotes(verdict.reason):
        for doc_id, text in texts.items():
            if quote in text:
                return quote, doc_id
    return None


def _cleared(finding: Finding, **evidence: Any) -> Finding:
    data = finding.model_dump(mode="json")
    data.update(evidence, severity=Severity.info.value, cleared_by="review")
    return Finding.model_validate(data)


def clear_soft_findings(
    findings: Iterable[Finding],
    review: Review | ReviewAnswer | None,
    knowledge: Knowledge,
    as_of: datetime,
) -> list[Finding]:
    """``findings`` with the grounding soft findings the review supports cleared (see the
    module docstring); everything else, and everything when ``review`` is None, as is."""
    findings = list(findings)
    if review is None or not review.claims:
        return findings
    kb = knowledge.documents
    in_force: dict[str, str] = {}
    for doc_id in kb.ids():
        doc = kb.in_force(doc_id, as_of)
        if doc is not None:
            in_force[doc_id] = _norm(doc.text)
    out: list[Finding] = []
    for f in findings:
        if f.layer is not LayerName.grounding or f.code not in SOFT_CODES:
            out.append(f)
            continue
        ev = f.evidence
        if f.code is Code.UNSUPPORTED_CLAIM:
            cited = {c.get("id") for c in ev.get("cited", []) if isinstance(c, dict)}
            texts = {i: t for i, t in in_force.items() if i in cited}
            found = _support(str(ev.get("claim", "")), review.claims, texts)
            if found is None:
                out.append(f)
            else:
                out.append(_cleared(f, review_quote=found[0], review_source=found[1]))
            continue
        claims = [c for c in ev.get("claims", []) if isinstance(c, dict)]
        support = [_support(str(c.get("claim", "")), review.claims, in_force) for c in claims]
        if not claims or any(s is None for s in support):
            out.append(f)
            continue
        out.append(
            _cleared(
                f,
                review_quotes=[s[0] for s in support if s is not None],
                review_sources=sorted({s[1] for s in support if s is not None}),
            )
        )
    return out
