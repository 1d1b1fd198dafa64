"""Hypothesis strategies for PII: valid card numbers, IBANs, emails, phone numbers, and
surrounding text that holds none."""

from __future__ import annotations

from hypothesis import strategies as st

from guardrail.redact import iban_ok, luhn_ok


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """Luhn-valid 16-digit card numbers, plain or grouped by 4 with spaces or dashes."""
    prefix = draw(st.sampled_from(["4", "51", "55", "37", "6011"]))
    body = prefix + draw(
        st.text("0123456789", min_size=15 - len(prefix), max_size=15 - len(prefix))
    )
    number = _luhn_complete(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


@st.composite
def ibans(draw: st.DrawFn) -> str:
    """Mod-97-valid German IBANs (22 characters), compact or in groups of four."""
    bban = draw(st.text("0123456789", min_size=18, max_size=18))
    for check in range(2, 99):
        candidate = f"DE{check:02d}{bban}"
        if iban_ok(candidate):
            break
    else:  # pragma: no cover
        raise AssertionError("no check digits fit")
    if draw(st.booleans()):
        return " ".join(candidate[i : i + 4] for i in range(0, len(candidate), 4))
    return candidate


_local = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+", min_size=1, max_size=12).filter(
    lambda s: s[0].isalnum() and s[-1].isalnum()
)
_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    _local,
    _label,
    st.sampled_from(["com", "org", "co.uk", "de", "io"]),
)

phones = st.builds(
    lambda cc, a, b, c: f"+{cc} {a} {b} {c}",
    st.integers(1, 99),
    st.integers(10, 999),
    st.integers(100, 9999),
    st.integers(1000, 9999),
)

#: words that carry no digits and no "@": redaction must leave them alone
plain_text = st.text(
    st.characters(blacklist_categories=("Cs", "Nd", "No"), blacklist_characters="@"),
    max_size=60,
)

pii = st.one_of(card_numbers(), ibans(), emails, phones)
