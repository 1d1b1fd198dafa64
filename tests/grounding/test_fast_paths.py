"""The grounding check's fast paths answer exactly as the slower forms they replace."""

from __future__ import annotations

import random
import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.grounding._facts import HEDGE_ANY, comparable, comparable_families, hedges
from guardrail.grounding._values import Values, _number
from guardrail.knowledge._units import money_unit
from guardrail.text import UNITS, canonical

_WORDS = [
    "about",
    "ABOUT",
    "Around",
    "rough",
    "approx",
    "~",
    "nearly",
    "almost",
    "Some",
    "circa",
    "close to",
    "close  to",
    "region",
    "give or take",
    "or so",
    "ish",
    "-ish",
    "fish",
    "finish.",
    "ISH",
    "ſome",
    "\u212ake",
    "taKe",
    "é",
    "—",
    "’s",
    "ıſh",
    "İsh",
    "days",
    "30",
    "refund",
    "the",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=12))
def test_hedges_is_the_regex_search(parts: list[str]) -> None:
    for sep in (" ", "", "-"):
        text = sep.join(parts)
        assert hedges(text) == (HEDGE_ANY.search(text) is not None), text


def test_hedges_on_random_ascii() -> None:
    rng = random.Random(7)
    alphabet = string.ascii_letters + " ~-.,'" + "aeiouAEIOUshSH"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert hedges(text) == (HEDGE_ANY.search(text) is not None), text


def test_comparable_families_is_comparable() -> None:
    near = comparable_families(UNITS, ["boolean"])
    families = {f for f, _ in UNITS.values()} | {"boolean"}
    for a in families:
        for b in families:
            assert (b in near[a]) == comparable(a, b), (a, b)


def _number_before(value: int, key: str, currency: str) -> Values:
    """``_number`` as it was: the suffixes tried longest first."""
    from guardrail.grounding._values import _BARE_UNITS, _SUFFIX_UNITS

    out = Values()
    if "_" in key or key in _BARE_UNITS:
        k = f"_{key}"
        for suffix, unit in _SUFFIX_UNITS:
            if k.endswith(suffix):
                if unit == "cents":
                    unit = money_unit(currency)
                out.quantities.add(canonical(value, unit))
                return out
    out.numbers.add(value)
    return out


def test_number_suffixes_as_before() -> None:
    from guardrail.grounding._values import _SUFFIX_UNITS

    suffixes = [s for s, _ in _SUFFIX_UNITS]
    keys = ["", "_", "__", "total", "cents", "days", "a_b", "x__days", "total_cents_x"]
    keys += [f"{p}{s[1:]}" for s in suffixes for p in ("", "x_", "a_b_", "_")]
    keys += [f"{p}{s}" for s in suffixes for p in ("", "x", "x_y")]
    for key in keys:
        got = Values()
        _number(5, key, got, "EUR")
        assert got == _number_before(5, key, "EUR"), key


_ECHO_WORDS = [
    "you",
    "YOU",
    "You've",
    "you have",
    "mentioned",
    "said",
    "your",
    "receipt",
    "according to",
    "as",
    "you're",
    "seeing",
    "paid",
    "$129",
    "ſ",
    "İ",
    "Yｏu",
    "we",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ECHO_WORDS) | st.text(max_size=4), max_size=10), st.data())
def test_an_echo_has_you_in_its_window(parts: list[str], data: st.DataObject) -> None:
    from guardrail.grounding._echo import _ECHO

    text = " ".join(parts)
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    if _ECHO.search(text, s, e) is not None:
        assert "you" in text[s:e].lower()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ECHO_WORDS[:16]) | st.text("aAyYoOuU '-s", max_size=4)), st.data())
def test_the_echo_pattern_on_lower_cased_ascii(parts: list[str], data: st.DataObject) -> None:
    from guardrail.grounding._echo import _ECHO, _ECHO_LOWER

    text = " ".join(parts).encode("ascii", "ignore").decode()
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    a, b = _ECHO.search(text, s, e), _ECHO_LOWER.search(text.lower(), s, e)
    assert (a and a.span()) == (b and b.span())


def _pattern_words(rx: re.Pattern[str]) -> list[str]:
    return sorted(set(re.findall(r"[a-z]+", rx.pattern)))


def test_lowered_patterns_find_what_the_patterns_find() -> None:
    from guardrail.grounding._absence import _CONDITION, _CONDITION_LOW
    from guardrail.grounding._facts import CONDITION, NEGATION, PERMISSION, found_in, lowered

    rng = random.Random(11)
    for rx, low in [
        (NEGATION, lowered(NEGATION)),
        (PERMISSION, lowered(PERMISSION)),
        (CONDITION, lowered(CONDITION)),
        (_CONDITION, _CONDITION_LOW),
    ]:
        assert low is not None
        words = [*_pattern_words(rx), "No", "NOT", "Can't", "don't", "x", "-", "’", "ſ"]
        for _ in range(3000):
            picked = [rng.choice(words) for _ in range(rng.randrange(0, 6))]
            picked = [w.upper() if rng.random() < 0.3 else w for w in picked]
            text = rng.choice([" ", "  ", "-", ", "]).join(picked)
            assert found_in(rx, low, text) == (rx.search(text) is not None), text
