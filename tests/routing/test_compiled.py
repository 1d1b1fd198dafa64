"""The compiled matchers (one alternation of forbidden phrases, a word prefilter before
the disparagement patterns) give exactly the hits of the phrase-by-phrase matchers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.routing import BrandConfig, RoutingConfig, TriggerLayer
from guardrail.routing._detect import disparagement
from guardrail.text import PhraseSet, flat, prepare

FORBIDDEN = ["legally binding", "no takesies backsies", "guaranteed forever", "100% free"]
LAYER = TriggerLayer(RoutingConfig(), BrandConfig(names=["Acme", "Acme Outfitters"],
                                                  forbidden=FORBIDDEN))  # fmt: skip
COMPILED = disparagement(["Acme", "Acme Outfitters"])
PLAIN = PhraseSet((), negatable=True)
PLAIN._patterns = COMPILED._patterns  # the same patterns without the prefilter

_WORDS = [
    "acme", "acme's", "outfitters", "we", "we're", "our", "service", "support", "is", "are",
    "so", "really", "the", "worst", "terrible", "useless", "a", "joke", "rip-off", "rip",
    "off", "scam", "waste", "of", "money", "shop", "buy", "somewhere", "else", "elsewhere",
    "from", "competitor", "hate", "avoid", "never", "at", "company", "not", "don't", "but",
    "legally", "binding", "no", "takesies", "backsies", "guaranteed", "forever", "100%",
    "free", "café", "—", "-", ",", ".", "!", "\n", "'", "|", " ", "_",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=40).map("".join),
    st.text(max_size=200),
)


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_prefiltered_disparagement_matches_the_plain_patterns(text: str) -> None:
    """On raw and on prepared text, the prefiltered disparagement set yields the same
    hits, in the same order, as the same patterns run one by one."""
    assert list(COMPILED.finditer(text)) == list(PLAIN.finditer(text))
    prepared = prepare(text)
    assert list(COMPILED.finditer(prepared)) == list(PLAIN.finditer(prepared))


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_forbidden_alternation_matches_phrase_by_phrase(text: str) -> None:
    """The one-alternation forbidden-phrase matcher finds the same phrases, in config
    order, as searching each phrase's own regex."""
    flat_text = flat(text)
    one_by_one = [
        p
        for p in FORBIDDEN
        if re.search(" " + " ".join(map(re.escape, flat(p).split())) + " ", flat_text)
    ]
    assert LAYER.forbidden_hits(flat_text) == one_by_one


def test_the_prefilter_skips_a_plain_reply() -> None:
    """A reply with no disparaging cue word gives no hit (the fast path), while one
    that runs the brand down still does."""
    assert COMPILED.search("Thanks, your refund is on its way. Anything else?") is None
    hit = COMPILED.search("Honestly, Acme is the worst company.")
    assert hit is not None and hit.category == "disparagement"
