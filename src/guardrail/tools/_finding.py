"""The tools layer's findings, built without pydantic re-validating what the gate itself
produced (validation of a ``Finding`` with evidence costs microseconds per finding)."""

from __future__ import annotations

from typing import Any

from ..models import DEFAULT_SEVERITY, Code, Finding, LayerName, trusted

__all__ = ["tool_finding"]


def tool_finding(code: Code, message: str, **evidence: Any) -> Finding:
    """``Finding.of(LayerName.tools, code, message, **evidence)``, the same instance field
    for field (``tests/tools/test_gate_fixed_costs.py`` pins ``==``, the JSON, the repr and
    pydantic's state). Equivalent because ``Finding`` has no validators: its declared
    fields receive values of exactly their types (the enums themselves and a ``str``),
    which pydantic stores as given, and with ``extra="allow"`` the evidence is stored
    as given too, in call order; every key counts as set. Only for the gate's own
    values: the evidence keys must not be field names (the callers' never are)."""
    severity = DEFAULT_SEVERITY[code]
    return trusted(
        Finding, evidence, layer=LayerName.tools, code=code, severity=severity, message=message
    )
