"""The decision table: findings and the QA verdict in, one action out. The only place
an action is chosen (the pipeline asks, never decides).

The rules are data (:data:`RULES`), tried in order; the first that matches decides.
``docs/routing.md`` prints the same table; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..models import Action, Code, Finding, Handoff, Review, Severity
from ._config import RoutingConfig
from ._handoff import build_handoff

if TYPE_CHECKING:
    from ..layers import CheckContext

__all__ = ["ALWAYS_ESCALATE", "RULES", "DecisionRule", "Router"]

#: codes that escalate whatever their severity (invariant 2 and the fail-closed rule)
ALWAYS_ESCALATE: frozenset[Code] = frozenset(
    {
        Code.LAYER_ERROR,
        Code.POLICY_CONTRADICTION,
        Code.UNBACKED_COMMITMENT,
        Code.UNKNOWN_TOOL,
        Code.TOOL_SCHEMA_VIOLATION,
        Code.TOOL_POLICY_VIOLATION,
        Code.TOOL_FAILURE,
        Code.QA_REJECTED,
    }
)


class _Facts(NamedTuple):
    """What the rules look at, computed once per decision (a named tuple: built on every
    check, several times cheaper than a frozen dataclass)."""

    codes: frozenset[Code]
    blocking: frozenset[Code]
    verdict: str | None
    rewritable: frozenset[Code]


@dataclass(frozen=True)
class DecisionRule:
    """One row of the decision table."""

    id: str
    when: str
    action: Action
    test: Callable[[_Facts], bool]


RULES: tuple[DecisionRule, ...] = (
    DecisionRule(
        "layer-error",
        "a layer raised (`LAYER_ERROR`, any severity)",
        Action.escalate,
        lambda f: Code.LAYER_ERROR in f.codes,
    ),
    DecisionRule(
        "hard-stop",
        "`POLICY_CONTRADICTION`, `UNBACKED_COMMITMENT`, `UNKNOWN_TOOL`, "
        "`TOOL_SCHEMA_VIOLATION`, `TOOL_POLICY_VIOLATION`, `TOOL_FAILURE` or `QA_REJECTED` "
        "(any severity)",
        Action.escalate,
        lambda f: bool(f.codes & ALWAYS_ESCALATE),
    ),
    DecisionRule(
        "qa-escalate",
        'the QA verdict is "escalate"',
        Action.escalate,
        lambda f: f.verdict == "escalate",
    ),
    DecisionRule(
        "not-rewritable",
        "any other blocking (critical/major) finding whose code is not in "
        "`[routing] rewrite_codes` — the triggers, `STALE_SOURCE`, `UNKNOWN_SOURCE`, a "
        "critical `QA_UNAVAILABLE`, and by default `MISSING_CITATION`/`UNSUPPORTED_CLAIM`",
        Action.escalate,
        lambda f: bool(f.blocking - f.rewritable),
    ),
    DecisionRule(
        "rewrite",
        "every blocking finding is in `rewrite_codes` (default: only `QA_REWRITE`), or the "
        'QA verdict is "rewrite"',
        Action.rewrite,
        lambda f: bool(f.blocking) or f.verdict == "rewrite",
    ),
    DecisionRule(
        "release",
        "nothing blocks (no findings, or only minor/info ones such as a `minor` "
        '`QA_UNAVAILABLE` under `on_unavailable = "deterministic_only"`)',
        Action.release,
        lambda f: True,
    ),
)


_BLOCKS: frozenset[Severity] = frozenset(s for s in Severity if s.blocks)


class Router:
    """Chooses release / rewrite / escalate from the findings and the QA verdict
    (:data:`RULES`), and builds the handoff for an escalation."""

    def __init__(self, config: RoutingConfig | None = None) -> None:
        self.config = config or RoutingConfig()
        self._rewritable = frozenset(Code(c) for c in self.config.rewrite_codes)

    @property
    def holding_message(self) -> str:
        return self.config.holding_message

    def explain(self, findings: Sequence[Finding], review: Review | None) -> DecisionRule:
        """The first rule of the table that matches."""
        codes: set[Code] = set()
        blocking: set[Code] = set()
        for f in findings:  # one pass; ``f.severity in _BLOCKS`` is ``f.severity.blocks``
            codes.add(f.code)
            if f.severity in _BLOCKS:
                blocking.add(f.code)
        verdict = review.verdict if review is not None else None
        facts = _Facts(frozenset(codes), frozenset(blocking), verdict, self._rewritable)
        for rule in RULES:
            if rule.test(facts):
                return rule
        raise AssertionError("the last rule matches everything")  # pragma: no cover

    def decide(self, findings: Sequence[Finding], review: Review | None) -> Action:
        return self.explain(findings, review).action

    def handoff(
        self,
        ctx: CheckContext,
        findings: Sequence[Finding],
        tool_results: Sequence[Any],
        review: Review | None,
    ) -> Handoff:
        return build_handoff(ctx, findings, tool_results, review, config=self.config)
