"""The trigger cues (``routing/_cues.py``) and the profanity pre-test are necessary
conditions: wherever a phrase set matches, its cue matches, so skipping a text no cue
matches never loses a trigger."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from guardrail.routing._cues import CREATIVE_CUE, DISPARAGE_CUE, HUMAN_CUE, SENSITIVE_CUE
from guardrail.routing._detect import (
    CREATIVE_REQUEST,
    HUMAN_REQUEST,
    PROFANITY,
    SENSITIVE,
    disparagement,
    profanity,
    short_human_request,
)
from guardrail.text import flat, normalize, prepare

PINNED = Path(__file__).resolve().parents[2] / "tests" / "pinned" / "verdicts.jsonl.gz"

MESSAGES = [
    "agent!",
    "Human please",
    "I want to speak to a real one",
    "Can someone from your team call me back?",
    "escalate this to a team lead",
    "I don't want to talk to a stupid bot",
    "no more AI",
    "is there a live person?",
    "I will contact my lawyer",
    "I'm going to sue you",
    "see you in court",
    "this is illegal",
    "report you to the FTC",
    "close my account now",
    "delete all my personal data",
    "I want to file a formal complaint",
    "I'll do a chargeback",
    "dispute the charge with my bank",
    "unauthorised transactions on my card",
    "write me a poem about boots",
    "a song about tents please",
    "tell me a joke",
    "Acme is the worst company ever",
    "fuck this",
    "what the f*** is this sh1t",
    "bull shit",
    "goddamn it",
    "you asshole",
]


@cache
def _corpus() -> tuple[list[str], list[str]]:
    """The customer messages and the drafts of the pinned corpus."""
    messages: list[str] = []
    drafts: list[str] = []
    with gzip.open(PINNED, "rt") as fh:
        for line in fh:
            row = json.loads(line)
            conv = row["conversation"]
            messages += [m["text"] for m in conv.get("messages", []) if isinstance(m, dict)]
            draft = row["draft"]
            drafts.append(draft["text"] if isinstance(draft, dict) else str(draft))
    return list(dict.fromkeys(messages)), drafts


def _texts() -> list[str]:
    messages, drafts = _corpus()
    return [*MESSAGES, *messages, *drafts]


def test_the_corpus_is_there() -> None:
    messages, drafts = _corpus()
    assert len(messages) > 100 and len(drafts) > 1000


@pytest.mark.parametrize(
    ("phrases", "cue"),
    [(HUMAN_REQUEST, HUMAN_CUE), (SENSITIVE, SENSITIVE_CUE), (CREATIVE_REQUEST, CREATIVE_CUE)],
    ids=["human", "sensitive", "creative"],
)
def test_a_set_matches_only_where_its_cue_does(phrases: object, cue: object) -> None:
    fired = 0
    for text in _texts():
        cls = prepare(text)
        if any(True for _ in phrases.finditer(cls)):  # type: ignore[attr-defined]
            fired += 1
            assert cue.search(normalize(text)), text  # type: ignore[attr-defined]
    assert fired > 0


def test_a_short_human_request_is_cued() -> None:
    for text in _texts():
        if short_human_request(text) is not None:
            assert HUMAN_CUE.search(normalize(text)), text
        assert short_human_request(text) == short_human_request(text, normalize(text))


def test_the_disparagement_cue_is_may_match() -> None:
    phrases = disparagement(["Acme", "Acme Outfitters"])
    for text in _texts():
        flat_text = flat(text)
        assert bool(DISPARAGE_CUE.search(flat_text)) == phrases.may_match(flat_text), text


def test_profanity_is_the_pattern() -> None:
    hits = 0
    for text in _texts():
        norm = normalize(text)
        want = PROFANITY.search(norm)
        got = profanity(norm)
        assert (got and got.span()) == (want and want.span()), text
        hits += want is not None
    assert hits > 0
