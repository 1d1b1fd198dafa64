"""PII redaction: typed placeholders, checksums, and what must stay readable."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrail.redact import Redactor, iban_ok, luhn_ok, redact

from .strategies import card_numbers, emails, ibans, phones, pii, plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe+orders@example.co.uk today", "write to <EMAIL> today"),
        ("card 4111 1111 1111 1111 please", "card <CARD> please"),
        ("card 4111-1111-1111-1111", "card <CARD>"),
        ("IBAN DE89 3704 0044 0532 0130 00 ok", "IBAN <IBAN> ok"),
        ("IBAN GB82WEST12345698765432", "IBAN <IBAN>"),
        ("call +44 20 7946 0958 now", "call <PHONE> now"),
        ("call (555) 123-4567 or 555.123.4567", "call <PHONE> or <PHONE>"),
        ("ship to 221B Baker Street, Apt 4 London", "ship to <ADDRESS> London"),
        ("Lieferung an Hauptstraße 5 bitte", "Lieferung an <ADDRESS> bitte"),
    ],
)
def test_each_kind_gets_its_placeholder(text: str, expected: str) -> None:
    """Each built-in kind is replaced by its own typed placeholder."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Refund of $129.00 on 2026-11-02 for order A-1001.",
        "Returns are accepted within 30 days; 12,900 cents; 5 business days.",
        "Card 4111 1111 1111 1112 fails the Luhn check.",
        "IBAN DE00 3704 0044 0532 0130 00 has a bad check.",
        "Version 3.14.15 of the policy, order 1234567, at 10:30.",
        "I refunded 2 items on the Way home.",
    ],
)
def test_amounts_dates_ids_and_invalid_numbers_stay_readable(text: str) -> None:
    """Money, dates, short ids and numbers that fail their checksum are not PII."""
    assert redact(text) == text


def test_checksums() -> None:
    """Luhn and IBAN mod-97 accept known-good numbers and reject a changed digit."""
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert not luhn_ok("41111a1111111111")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82WEST12345698765433")
    assert not iban_ok("GB82")


def test_kinds_and_tenant_patterns_are_configurable() -> None:
    """Only the chosen kinds are redacted; tenant patterns add labelled placeholders."""
    r = Redactor(kinds=["email"], patterns={"LOYALTY_ID": r"\bLOY-\d{6}\b"})
    assert r.text("jane@example.com LOY-123456 +44 20 7946 0958") == (
        "<EMAIL> <LOYALTY_ID> +44 20 7946 0958"
    )
    with pytest.raises(ValueError, match="unknown redaction kind"):
        Redactor(kinds=["ssn"])


def test_json_values_are_walked_but_kept_keys_are_not() -> None:
    """Every string in nested dicts and lists is redacted except under kept keys."""
    r = Redactor()
    data = {
        "a": ["x jane@example.com", {"b": "jane@example.com"}],
        "id": "jane@example.com",
        "n": 3,
    }
    assert r.value(data, frozenset({"id"})) == {
        "a": ["x <EMAIL>", {"b": "<EMAIL>"}],
        "id": "jane@example.com",
        "n": 3,
    }


@given(before=plain_text, secret=pii, after=plain_text)
def test_pii_inside_any_text_never_survives(before: str, secret: str, after: str) -> None:
    """A valid card, IBAN, email or phone number embedded in text is always removed."""
    out = redact(f"{before} {secret} {after}")
    assert secret not in out
    assert "<" in out


@given(text=plain_text)
def test_text_without_digits_or_at_signs_is_untouched(text: str) -> None:
    """Text with no digit and no '@' comes back unchanged (and fast)."""
    assert redact(text) == text


@given(text=st.one_of(plain_text, pii, st.text(max_size=80)))
def test_redaction_is_idempotent(text: str) -> None:
    """Redacting redacted text changes nothing more."""
    once = redact(text)
    assert redact(once) == once


@given(card=card_numbers(), iban=ibans(), email=emails, phone=phones)
def test_each_generated_kind_gets_the_right_label(
    card: str, iban: str, email: str, phone: str
) -> None:
    """Generated cards, IBANs, emails and phones get their own placeholders."""
    assert redact(card) == "<CARD>"
    assert redact(iban) == "<IBAN>"
    assert redact(email) == "<EMAIL>"
    assert redact(phone) == "<PHONE>"


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    pii,
    plain_text,
    st.text(max_size=20),
    st.sampled_from(["2026-11-02", "A-1001", 'say "hi"\n', "Hauptstraße 5", "٣٤٥٦٧٨٩٠١٢"]),
)
_JSON_KEYS = st.sampled_from(["id", "text", "note", "jane@example.com", "+44 20 7946 0958"])


@given(
    data=st.recursive(
        _JSON_LEAVES,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(_JSON_KEYS, inner, max_size=3)
        ),
        max_leaves=10,
    ),
    custom=st.booleans(),
)
def test_a_json_document_is_redacted_as_its_parsed_value_would_be(
    data: object, custom: bool
) -> None:
    """json_text (the audit record's fast path) redacts exactly what value() redacts,
    keys and strings under kept keys untouched."""
    r = Redactor(patterns={"LOYALTY_ID": r"\bLOY-\d{6}\b"} if custom else None)
    document = _compact(data)
    expected = _compact(r.value(data, frozenset({"id"})))
    assert r.json_text(document, frozenset({"id"})) == expected


def test_a_clean_json_document_comes_back_as_it_is() -> None:
    """No string to redact: the document is returned without being parsed."""
    document = _compact({"text": "Refund of $129.00 on 2026-11-02", "n": [1, 2.5, None]})
    assert Redactor().json_text(document) is document


def test_a_date_alone_is_not_pii() -> None:
    """A bare date stays as it is in every format the date check knows."""
    for date in ("2026-11-02", "0012-11-02", "02.11.2026", "2/11/2026", "2026/11/02"):
        assert redact(date) == date
