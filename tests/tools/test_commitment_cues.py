"""The commitment scan's cues (``_commitments_rules.CUES``) are a necessary condition:
wherever a rule matches a sentence of the scan, some cue matches the whole text, so
skipping a text no cue matches never loses a promise."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from guardrail.text import Analysis
from guardrail.tools import _commitments, find_promises
from guardrail.tools._commitments_rules import CUES, RULES, _cues

PINNED = Path(__file__).resolve().parents[2] / "tests" / "pinned" / "verdicts.jsonl.gz"

SENTENCES = [
    "I've refunded you $500.",
    "$129.00 has been refunded to your card.",
    "Your refund's been processed.",
    "I'll sell it to you for $1.",
    "That's a deal!",
    "We've got a deal.",
    "You can have the Summit 4 tent for just $1!",
    "You're now on Surf Max for €30 a month.",
    "It's yours for $5.",
    "That's a legally binding offer.",
    "This is a binding agreement.",
    "No takesies backsies.",
    "I checked the order and cancelled it.",
    "We looked into it and have also issued a refund of $20.",
    "I've switched you to the annual plan at $99.",
    "I\u2019VE REFUNDED $５０.",
    "ok;i've paused it",
    "line one\nwe'll swap them",
]


def _rule_matches(text: str) -> bool:
    a = Analysis(text)
    norm = a.promise_text
    return any(rx.search(norm[s:e]) for s, e in a.promise_sentences for rx, _, _ in RULES)


def _cued(text: str) -> bool:
    norm = Analysis(text).promise_text
    return any(cue.search(norm) for cue in CUES)


@pytest.mark.parametrize("text", SENTENCES)
def test_every_rule_match_is_cued(text: str) -> None:
    assert _rule_matches(text)
    assert _cued(text)


def test_cues_hold_on_the_pinned_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    """On ~3,000 real and varied drafts: a rule match implies a cue match, and the scan
    with the cues finds exactly what it finds without them."""
    texts = []
    with gzip.open(PINNED, "rt") as fh:
        for line in fh:
            draft = json.loads(line)["draft"]
            texts.append(draft["text"] if isinstance(draft, dict) else str(draft))
    assert len(texts) > 1000
    with_cues = [find_promises(t) for t in texts]
    for text in texts:
        if _rule_matches(text):
            assert _cued(text), text
    monkeypatch.setattr(_commitments, "_cued", lambda norm: True)  # every text scanned
    without = [find_promises(t) for t in texts]
    assert with_cues == without
    assert any(with_cues)


def test_a_rule_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="must open with"):
        _cues([(re.compile(r"(?:i|we)\s+(?P<v>refund)"), "refund", ("refund",))])
    with pytest.raises(ValueError, match="must open with"):
        _cues([(re.compile(r"\bi\s+(?P<v>refund)$"), "refund", ("refund",))])


def test_a_rule_with_specific_words_is_cued_by_them() -> None:
    (cue,) = _cues([(re.compile(r"\bthat's\s+a\s+deal\b"), "sale", ("deal",))])
    assert cue.pattern == "deal"
