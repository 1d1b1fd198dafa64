"""h4's fixed-cost fast paths answer exactly as the code they replace: the golden set's
per-interval look-ups (``relevant``, ``in_force``, ``fact``), the empty-text exits of
claim extraction and the topic index, the digit test of context strings and the
analysis's kept forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.grounding._values import _has_digit
from guardrail.knowledge import Fact, GoldenSet
from guardrail.knowledge._golden import _spaced
from guardrail.knowledge._versions import pick
from guardrail.text import Analysis, Segments, TopicIndex, clean, normalize, prepare
from guardrail.text import flat as flat_text
from guardrail.text._extract import extract
from guardrail.text._normalise import _LONE_MARKS, _NOT_WORD, _WORD_BYTES

_WORDS = ["return", "returns", "refund", "shipping", "free", "fee", "restocking", "gift", "card"]
_TOPICS = [*_WORDS, "restocking fee", "gift card", "free shipping", "return window", "card fee"]
_BASE = datetime(2026, 1, 1, tzinfo=UTC)
_AT = [_BASE + timedelta(days=d) for d in (-400, -1, 0, 1, 30, 59, 60, 61, 200, 900)]
_NAIVE = [datetime(2026, 1, 1), datetime(2026, 3, 5)]  # not comparable with the dates


def _outcome(fn: Callable[..., object], *args: object) -> tuple[str, object]:
    try:
        return "ok", fn(*args)
    except TypeError:
        return "raises", None


def _slow_in_force(golden: GoldenSet, at: datetime) -> list[Fact]:
    return [f for f in (pick(v, at) for v in golden._by_key.values()) if f is not None]


def _slow_relevant(golden: GoldenSet, text: str, at: datetime) -> list[Fact]:
    """``GoldenSet.relevant`` before the per-interval index (fact by fact)."""
    parts = _spaced(text).split()
    hits = golden._lookup.intersection(parts)
    joined: str | None = None
    out = []
    for fact in _slow_in_force(golden, at):
        single, longer = golden._topics[id(fact)]
        if not hits.isdisjoint(single):
            out.append(fact)
            continue
        for first, padded in longer:
            if first in hits:
                joined = joined if joined is not None else f" {' '.join(parts)} "
                if padded in joined:
                    out.append(fact)
                    break
    return out


@st.composite
def _golden(draw: st.DrawFn) -> GoldenSet:
    facts = []
    for k in range(draw(st.integers(1, 6))):
        cuts = sorted(set(draw(st.lists(st.sampled_from([0, 30, 60, 200]), max_size=3))))
        starts = [None, *[_BASE + timedelta(days=c) for c in cuts]]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else None
            if draw(st.booleans()) and end is None and i:
                end = start + timedelta(days=100)  # type: ignore[operator]
            facts.append(
                Fact(
                    key=f"k{k}",
                    value=i + 1,
                    unit="day",
                    effective_from=start,
                    effective_to=end,
                    topic=tuple(draw(st.lists(st.sampled_from(_TOPICS), min_size=1, max_size=3))),
                    source={"id": "doc", "version": "1"},  # type: ignore[arg-type]
                )
            )
    return GoldenSet(facts)


@settings(max_examples=300, deadline=None)
@given(
    _golden(),
    st.lists(st.sampled_from([*_WORDS, "the", "Fee", "GIFT", "card,", "x"]), max_size=10),
    st.lists(st.sampled_from(_AT + _NAIVE), min_size=1, max_size=4),
)
def test_golden_look_ups_are_those_fact_by_fact(
    golden: GoldenSet, words: list[str], moments: list[datetime]
) -> None:
    text = " ".join(words)
    by_key = golden._by_key
    for at in moments:  # (several moments: the per-interval tables are reused)
        assert _outcome(golden.in_force, at) == _outcome(_slow_in_force, golden, at)
        assert _outcome(golden.relevant, text, at) == _outcome(_slow_relevant, golden, text, at)
        for key in [*golden.keys(), "nope"]:
            fast = _outcome(golden.fact, key, at)
            assert fast == _outcome(pick, by_key.get(key, ()), at)
            if fast[0] == "ok":
                assert fast[1] is pick(by_key.get(key, ()), at)


def test_empty_text_exits() -> None:
    assert extract("", _BASE) == ([], [])
    index = TopicIndex([("return window", "k"), ("refund", "r")])
    assert index.mentions("") == []
    assert index.mentions("the return window") != []


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12) | st.sampled_from(["A-1001", "12", "\u0663 days", "\u00b2", "x9"]))
def test_context_string_digit_test(item: str) -> None:
    assert _has_digit(item) == any(map(str.isdigit, item))


@given(st.text(max_size=40))
def test_analysis_keeps_each_form(text: str) -> None:
    a = Analysis(text, _BASE)
    assert a.segments is a.segments
    assert a.segments == Segments.of(text)
    assert a.normalized == normalize(text)
    assert a.prepared == prepare(text)
    assert a.flat == flat_text(text)
    assert a.promise_text is a.promise_text
    assert a.amounts == a.amounts


def _slow_clean(piece: str) -> str:
    """``clean`` with its ``_LONE_MARKS`` pass run on every piece."""
    if piece.isascii():
        piece = piece.encode("ascii").translate(_WORD_BYTES).decode("ascii")
    else:
        piece = _NOT_WORD.sub(" ", piece)
    return " ".join(_LONE_MARKS.sub(" ", piece).split())


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab1 '-|.,\u00e9\u2019\t", max_size=30) | st.text(max_size=20))
def test_clean_skips_the_marks_pass_only_without_marks(piece: str) -> None:
    assert clean(piece) == _slow_clean(piece)
