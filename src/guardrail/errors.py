"""Exceptions. Outcomes (a blocked call, a contradiction) are data, not exceptions.

::

    GuardrailError                 base of everything the library raises on purpose
    ├── ConfigError                a tenant file (TOML, golden set, documents, tool schema)
    │                              is missing, malformed or inconsistent; names the file/key
    ├── InputError                 a case/conversation/draft given to the gate is malformed;
    │                              names the field (the CLI exits 2 with it)
    ├── UserError                  the integrator misused the API (e.g. wrapped a function
    │                              that does not return a Draft)
    ├── ReviewUnavailable          the QA reviewer could not give a valid answer
    │                              (never escapes ``guardrail.review``: it becomes a finding)
    └── AuditError                 the audit store could not be opened or written
"""

from __future__ import annotations

__all__ = [
    "AuditError",
    "ConfigError",
    "GuardrailError",
    "InputError",
    "ReviewUnavailable",
    "UserError",
]


class GuardrailError(Exception):
    """Base class for errors raised by guardrail."""


class ConfigError(GuardrailError):
    """A tenant configuration file is missing, malformed or inconsistent."""


class InputError(GuardrailError):
    """Input to the gate is malformed. ``field`` names the offending field (dotted path)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class UserError(GuardrailError):
    """The library was used in a way it does not support."""


class ReviewUnavailable(GuardrailError):
    """The QA reviewer gave no valid answer (transport failure, timeout, bad output)."""


class AuditError(GuardrailError):
    """The audit store could not be opened or written."""
