"""``[audit]``: where decisions are recorded."""

from __future__ import annotations

from .._section import Section


class AuditConfig(Section):
    store: str = "none"
