"""The redactor: compiled patterns, checksum validation, a walk over JSON values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["KINDS", "Redactor", "iban_ok", "luhn_ok"]

KINDS = ("email", "iban", "card", "phone", "address")

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+(])(?:(?:\+|00)?\d{1,4}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){0,5}"
    r"(?![\w])"
)
_STREET_WORDS = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Close|Square|Sq|Parkway|Pkwy|Highway|Hwy|Crescent|Gardens|Row|Walk"
)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'.-]*\s+){1,3}(?:" + _STREET_WORDS + r")\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Unit|Flat|#)\.?\s*[A-Za-z0-9-]+)?"
    r"|\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)"
    r"\s+\d{1,4}[a-z]?\b"
)
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
#: cheap gates: a card, IBAN or phone number has at least 8 digits close together; an
#: address has a number before a capitalised word, or a German street suffix
_MANY_DIGITS = re.compile(r"\d(?:[ .()/+-]{0,3}\d){7}")
_ADDRESS_HINT = re.compile(
    r"\d[A-Za-z]?,?\s+[A-Z]|[a-zäöüß](?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d"
)
#: a quicker, looser gate in front of both: no match means neither can match (``[0-9]``
#: for ASCII text, where it is what ``\d`` means, and quicker to test)
_NUMERIC_HINTS = tuple(
    (
        re.compile(rf"{d}(?:(?:[ .()/+-]{{0,3}}{d}){{7}}|[A-Za-z]?,?\s+[A-Z])"),
        re.compile(rf"(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+{d}"),
    )
    for d in (r"\d", "[0-9]")
)
#: JSON string tokens: group 1 is the escaped content of every token
_JSON_STRING = re.compile(r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"', re.DOTALL)
#: group 1 is the escaped content of a token that may hold PII for a built-in kind (an
#: "@", a digit, an escape or a non-ASCII character, perhaps a digit), "" for the others;
#: the second is for ASCII documents (a smaller character class, quicker to test)
_JSON_STRINGS_WITH_PII_HINT = tuple(
    re.compile(rf'"[^"\\@0-9{non_ascii}]*+"|"([^"\\]*+(?:\\.[^"\\]*+)*+)"', re.DOTALL)
    for non_ascii in (r"\x80-\U0010ffff", "")
)
_MAY_HOLD_PII = re.compile(r"[@\d]")


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (payment card numbers)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    """Whether ``value`` (spaces allowed) is an IBAN with a valid mod-97 check."""
    compact = value.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
    except ValueError:
        return False


def _card(raw: str) -> str:
    digits = raw.replace(" ", "").replace("-", "")
    if 13 <= len(digits) <= 19 and luhn_ok(digits):
        return "<CARD>"
    return _PHONE.sub(lambda m: _phone(m.group()), raw)  # not a card: maybe a phone


def _iban(raw: str) -> str:
    return "<IBAN>" if iban_ok(raw) else raw


def _phone(raw: str) -> str:
    digits = sum(ch.isdigit() for ch in raw)
    international = raw.startswith(("+", "00"))
    separated = any(ch in raw for ch in " .-(")
    if _DATE.fullmatch(raw) or digits > 15:
        return raw
    if international and digits >= 8:
        return "<PHONE>"
    if digits >= 9 and (separated or (raw.startswith("0") and digits >= 10)):
        return "<PHONE>"
    return raw


_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": _EMAIL,
    "iban": _IBAN,
    "card": _CARD,
    "phone": _PHONE,
    "address": _ADDRESS,
}
_CHECKS: dict[str, Callable[[str], str]] = {
    "email": lambda _raw: "<EMAIL>",
    "iban": _iban,
    "card": _card,
    "phone": _phone,
    "address": lambda _raw: "<ADDRESS>",
}


def _replace(m: re.Match[str]) -> str:
    kind = m.lastgroup
    return _CHECKS[kind](m.group()) if kind else m.group()


class Redactor:
    """Replaces PII with typed placeholders in one pass over the text: at each position
    the first kind that matches wins, in the order email, IBAN, card, phone, address
    (a card number is never read as half a phone); then the tenant's patterns.

    ``kinds`` picks the built-in kinds; ``patterns`` adds ``{LABEL: regex}`` rules.
    """

    def __init__(
        self, kinds: Iterable[str] = KINDS, patterns: Mapping[str, str] | None = None
    ) -> None:
        chosen = set(kinds)
        unknown = chosen - set(KINDS)
        if unknown:
            raise ValueError(f"unknown redaction kind(s): {sorted(unknown)}")
        self.kinds = tuple(k for k in KINDS if k in chosen)
        self._email = "email" in chosen
        self._address = "address" in chosen
        numeric = [k for k in self.kinds if k != "email"]
        # every numeric kind starts at a digit, "+", "(" or a capital (IBAN, "Hauptstraße
        # 5"): the lookahead lets the scan skip other positions with one class test
        self._numeric = (
            re.compile(
                r"(?=[\d+(A-ZÄÖÜ])(?:"
                + "|".join(f"(?P<{k}>{_PATTERNS[k].pattern})" for k in numeric)
                + ")"
            )
            if numeric
            else None
        )
        self._custom = [(re.compile(rx), f"<{label}>") for label, rx in (patterns or {}).items()]

    def text(self, value: str) -> str:
        """``value`` with every match replaced by its placeholder."""
        if self._email and "@" in value:
            value = _EMAIL.sub("<EMAIL>", value)
        number_hint, street_hint = _NUMERIC_HINTS[value.isascii()]
        if self._numeric is not None and (number_hint.search(value) or street_hint.search(value)):
            if _MANY_DIGITS.search(value):
                # a bare date: its one phone-like match is a date, which _phone keeps
                if not _DATE.fullmatch(value):
                    value = self._numeric.sub(_replace, value)
            elif self._address and _ADDRESS_HINT.search(value):
                value = _ADDRESS.sub("<ADDRESS>", value)
        for pattern, repl in self._custom:
            value = pattern.sub(repl, value)
        return value

    def changes(self, value: str) -> bool:
        return self.text(value) != value

    def value(self, data: Any, skip: frozenset[str] = frozenset()) -> Any:
        """A JSON value with every string redacted (dict keys in ``skip`` are kept as
        they are: ids and enums the record needs intact). A string that occurs more than
        once (the handoff repeats the conversation) is redacted once."""
        seen: dict[str, str] = {}

        def walk(item: Any) -> Any:
            if isinstance(item, str):
                done = seen.get(item)
                if done is None:
                    done = seen[item] = self.text(item)
                return done
            if isinstance(item, dict):
                return {k: (v if k in skip else walk(v)) for k, v in item.items()}
            if isinstance(item, list):
                return [walk(v) for v in item]
            return item

        return walk(data)

    def json_text(self, document: str, skip: frozenset[str] = frozenset()) -> str:
        """A JSON document (compact, as ``json.dumps(..., ensure_ascii=False,
        separators=(",", ":"))`` writes it) with its strings redacted exactly as
        :meth:`value` would redact the parsed document. Usually no string in it needs
        redacting: then the document comes back as it is, without being parsed."""
        if not self._changes_any(document):
            return document
        redacted = self.value(json.loads(document), skip)
        return json.dumps(redacted, ensure_ascii=False, separators=(",", ":"))

    def _changes_any(self, document: str) -> bool:
        """Whether redacting would change any string in ``document`` (keys and strings
        under ``skip`` keys included: then :meth:`value` decides what is kept)."""
        if self._custom:  # a tenant pattern may match any string
            tokens = set(_JSON_STRING.findall(document))
        else:  # only strings with an "@" or a digit, or escaped, or non-ASCII
            tokens = set(_JSON_STRINGS_WITH_PII_HINT[document.isascii()].findall(document))
            tokens.discard("")
        for token in tokens:
            raw = json.loads(f'"{token}"') if "\\" in token else token
            hinted = self._custom or (raw is token and raw.isascii()) or _MAY_HOLD_PII.search(raw)
            if hinted and self.text(raw) != raw:
                return True
        return False
