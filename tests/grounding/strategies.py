"""Hypothesis strategies for grounding: amounts written many ways, and draft-like text."""

from __future__ import annotations

from hypothesis import strategies as st

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """English words for 1 <= n <= 999 ("one hundred and forty-five")."""
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        if rest < 10:
            words = _ONES[rest]
        elif rest < 20:
            words = _TEENS[rest - 10]
        else:
            tens, ones = divmod(rest, 10)
            words = _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
        parts.append(("and " if hundreds else "") + words)
    return " ".join(parts)


@st.composite
def dollar_spellings(draw: st.DrawFn) -> tuple[int, list[str]]:
    """A whole-dollar amount and several ways to write it."""
    n = draw(st.integers(min_value=1, max_value=999_999))
    ways = [f"${n:,}", f"${n}", f"${n}.00", f"USD {n}", f"{n:,} dollars", f"{n} USD"]
    if n % 1000 == 0:
        ways.append(f"{n // 1000}k dollars")
    if n < 1000:
        ways.append(f"{number_words(n)} dollars")
    return n, ways


@st.composite
def day_spellings(draw: st.DrawFn) -> tuple[int, list[str]]:
    """A number of days and several ways to write it (weeks when exact)."""
    n = draw(st.integers(min_value=2, max_value=999))
    ways = [f"{n} days", f"{number_words(n)} days", f"{n}-day", f"{n} calendar days"]
    if n % 7 == 0:
        ways.append(f"{n // 7} weeks")
    if n % 7 == 0 and n // 7 < 1000:
        ways.append(f"{number_words(n // 7)} weeks")
    return n, ways


_PIECES = st.sampled_from(
    [
        "$",
        "%",
        "-",
        "/",
        ",",
        ".",
        " ",
        "days",
        "business",
        "next",
        "Monday",
        "November",
        "k",
        "dollars",
        "cents",
        "one",
        "twenty",
        "a",
        "an",
        "between",
        "and",
        "to",
        "not",
        "return",
        "refund",
        "bereavement",
        "can't",
        "2026-11-02",
        "1,000",
        "0",
        "9",
        "\n",
        "?",
    ]
)

#: text built from the pieces the regexes care about, plus arbitrary unicode
drafty_text = st.one_of(
    st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=40).map("".join),
    st.text(max_size=300),
)
