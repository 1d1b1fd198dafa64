"""The decision table: findings and the QA verdict in, one action out. The only place
an action is chosen (the pipeline asks, never decides)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..models import Action, Code, Finding, Handoff, Review
from ._config import RoutingConfig
from ._handoff import build_handoff

if TYPE_CHECKING:
    from ..layers import CheckContext


class Router:
    """First rules: any blocking (critical/major) finding escalates, except that a
    QA_REWRITE standing alone asks for a rewrite; otherwise release."""

    def __init__(self, config: RoutingConfig | None = None) -> None:
        self.config = config or RoutingConfig()

    @property
    def holding_message(self) -> str:
        return self.config.holding_message

    def decide(self, findings: Sequence[Finding], review: Review | None) -> Action:
        blocking = [f for f in findings if f.severity.blocks]
        if not blocking:
            return Action.release
        if all(f.code is Code.QA_REWRITE for f in blocking):
            return Action.rewrite
        return Action.escalate

    def handoff(
        self,
        ctx: CheckContext,
        findings: Sequence[Finding],
        tool_results: Sequence[Any],
        review: Review | None,
    ) -> Handoff:
        return build_handoff(ctx, findings, tool_results, review)
