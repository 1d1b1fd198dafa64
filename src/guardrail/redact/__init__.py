"""PII redaction: typed placeholders instead of personal data, before anything is stored
or logged.

    >>> Redactor().text("Mail jane@example.com or call +44 20 7946 0958")
    'Mail <EMAIL> or call <PHONE>'

Kinds: ``email``, ``phone``, ``card`` (13–19 digits that pass the Luhn check), ``iban``
(mod-97 checked), ``address`` (street addresses where detectable: "221B Baker Street",
"Hauptstraße 5"), plus any tenant patterns (``label → regex`` → ``<LABEL>``).
"""

from __future__ import annotations

from ._redactor import Redactor, iban_ok, luhn_ok

__all__ = ["Redactor", "iban_ok", "luhn_ok", "redact"]

_DEFAULT = Redactor()


def redact(text: str) -> str:
    """Redact every built-in PII kind from ``text``."""
    return _DEFAULT.text(text)
