"""The decision table: one test row per rule, the invariants over any input, and the
table in docs/routing.md kept identical to the one in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given

from guardrail.models import Action, Code, Finding, Review, Severity
from guardrail.routing import RULES, Router, RoutingConfig
from guardrail.routing._router import ALWAYS_ESCALATE

from .helpers import finding, review
from .strategies import finding_lists, reviews

DOCS = Path(__file__).resolve().parents[2] / "docs" / "routing.md"
ROUTER = Router()
F = finding

# (rule id, findings, review, expected action) — at least one row per rule
ROWS: list[tuple[str, list[Finding], Review | None, Action]] = [
    ("layer-error", [F(Code.LAYER_ERROR)], None, Action.escalate),
    ("layer-error", [F(Code.LAYER_ERROR, Severity.minor)], review("approve"), Action.escalate),
    ("layer-error", [F(Code.LAYER_ERROR), F(Code.QA_REWRITE)], review("rewrite"), Action.escalate),
    ("hard-stop", [F(Code.POLICY_CONTRADICTION)], None, Action.escalate),
    ("hard-stop", [F(Code.POLICY_CONTRADICTION, Severity.minor)], None, Action.escalate),
    ("hard-stop", [F(Code.UNBACKED_COMMITMENT)], review("approve"), Action.escalate),
    ("hard-stop", [F(Code.UNKNOWN_TOOL)], None, Action.escalate),
    ("hard-stop", [F(Code.TOOL_SCHEMA_VIOLATION)], None, Action.escalate),
    ("hard-stop", [F(Code.TOOL_POLICY_VIOLATION, Severity.info)], None, Action.escalate),
    ("hard-stop", [F(Code.TOOL_FAILURE)], None, Action.escalate),
    ("hard-stop", [F(Code.QA_REJECTED)], review("escalate"), Action.escalate),
    ("hard-stop", [F(Code.QA_REWRITE), F(Code.POLICY_CONTRADICTION)], review("rewrite"),
     Action.escalate),
    ("qa-escalate", [], review("escalate"), Action.escalate),
    ("not-rewritable", [F(Code.LOW_CONFIDENCE)], None, Action.escalate),
    ("not-rewritable", [F(Code.HUMAN_REQUESTED)], review("approve"), Action.escalate),
    ("not-rewritable", [F(Code.SENSITIVE_INTENT)], None, Action.escalate),
    ("not-rewritable", [F(Code.BRAND_SAFETY)], None, Action.escalate),
    ("not-rewritable", [F(Code.STALE_SOURCE)], None, Action.escalate),
    ("not-rewritable", [F(Code.UNKNOWN_SOURCE)], None, Action.escalate),
    ("not-rewritable", [F(Code.MISSING_CITATION)], None, Action.escalate),
    ("not-rewritable", [F(Code.UNSUPPORTED_CLAIM)], review("rewrite", "x"), Action.escalate),
    ("not-rewritable", [F(Code.QA_UNAVAILABLE)], None, Action.escalate),
    ("not-rewritable", [F(Code.QA_REWRITE), F(Code.HUMAN_REQUESTED)], review("rewrite", "x"),
     Action.escalate),
    ("rewrite", [F(Code.QA_REWRITE)], review("rewrite", "better"), Action.rewrite),
    ("rewrite", [F(Code.QA_REWRITE)], None, Action.rewrite),
    ("rewrite", [], review("rewrite", "better"), Action.rewrite),
    ("rewrite", [F(Code.QA_REWRITE), F(Code.UNSUPPORTED_CLAIM, Severity.minor)],
     review("rewrite", "x"), Action.rewrite),
    ("release", [], None, Action.release),
    ("release", [], review("approve"), Action.release),
    ("release", [F(Code.QA_UNAVAILABLE, Severity.minor)], None, Action.release),
    ("release", [F(Code.UNSUPPORTED_CLAIM, Severity.info)], review("approve"), Action.release),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "findings", "qa", "action"), ROWS)
def test_decision_table_row(
    rule: str, findings: list[Finding], qa: Review | None, action: Action
) -> None:
    """Each row is decided by the rule it names, with that rule's action."""
    chosen = ROUTER.explain(findings, qa)
    assert (chosen.id, ROUTER.decide(findings, qa)) == (rule, action)


def test_every_rule_has_a_row() -> None:
    """The table-driven rows exercise every rule of the table."""
    assert {r.id for r in RULES} == {row[0] for row in ROWS}


@pytest.mark.parametrize("code", [Code.MISSING_CITATION, Code.UNSUPPORTED_CLAIM])
def test_tenant_rewrite_codes(code: Code) -> None:
    """With ``rewrite_codes`` listing a grounding gap, that gap alone asks for a rewrite,
    but alongside a hard stop or a trigger it still escalates."""
    router = Router(RoutingConfig(rewrite_codes=["QA_REWRITE", code.value]))  # type: ignore[list-item]
    assert router.decide([F(code)], None) is Action.rewrite
    assert router.decide([F(code), F(Code.QA_REWRITE)], review("rewrite", "x")) is Action.rewrite
    assert router.decide([F(code), F(Code.POLICY_CONTRADICTION)], None) is Action.escalate
    assert router.decide([F(code), F(Code.LOW_CONFIDENCE)], None) is Action.escalate
    assert router.decide([F(code)], review("escalate")) is Action.escalate


@given(finding_lists, reviews)
def test_invariants_hold_for_any_findings(findings: list[Finding], qa: Review | None) -> None:
    """Invariants 2 and 3: hard-stop codes and critical QA_UNAVAILABLE never release or
    rewrite; a blocking finding never releases; a rewrite only fixes rewritable codes."""
    action = ROUTER.decide(findings, qa)
    codes = {f.code for f in findings}
    blocking = {f.code for f in findings if f.severity.blocks}
    if codes & ALWAYS_ESCALATE or (qa is not None and qa.verdict == "escalate"):
        assert action is Action.escalate
    if any(f.code is Code.QA_UNAVAILABLE and f.severity is Severity.critical for f in findings):
        assert action is Action.escalate
    if blocking:
        assert action is not Action.release
    if action is Action.rewrite:
        assert blocking <= {Code.QA_REWRITE}


def _documented_rows() -> list[tuple[str, str]]:
    rows = re.findall(r"^\|\s*\d+\s*\|\s*`([a-z-]+)`\s*\|.*\|\s*\*\*(\w+)\*\*\s*\|\s*$",
                      DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)  # fmt: skip
    return [(rid, act) for rid, act in rows]


def test_docs_table_matches_code() -> None:
    """docs/routing.md lists exactly the rules of the code, in order, with their actions."""
    assert _documented_rows() == [(r.id, r.action.value) for r in RULES]


def test_holding_message_is_the_tenants() -> None:
    """The holding message comes from ``[routing] holding_message``."""
    assert Router(RoutingConfig(holding_message="One moment.")).holding_message == "One moment."
    assert "colleague" in Router().holding_message
