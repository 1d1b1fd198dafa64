"""The routing-trigger layer: LOW_CONFIDENCE, HUMAN_REQUESTED, SENSITIVE_INTENT and
BRAND_SAFETY findings for one tenant. Deterministic; never awaits.

On the rewrite re-check (``ctx.recheck``) every trigger runs again. The customer-side
ones (HUMAN_REQUESTED, SENSITIVE_INTENT) and LOW_CONFIDENCE (the pipeline keeps the
agent's confidence on the rewrite) answer exactly as on the first pass, where any of them
would already have escalated — so in practice the re-check's news is BRAND_SAFETY on the
rewrite's text (a forbidden phrase, profanity, a poem).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..layers import CheckContext, LayerResult
from ..models import Code, Finding, LayerName, Role
from ..text import Clauses, Hit, PhraseSet, flat, literal, prepare
from ._config import BrandConfig, RoutingConfig, intent_key
from ._detect import (
    HUMAN_REQUEST,
    PROFANITY,
    SENSITIVE,
    answers_creative_request,
    disparagement,
    short_human_request,
)

__all__ = ["TriggerLayer"]

Recent = tuple[int, str, Clauses]

_CATEGORY_TEXT = {
    "legal": "legal language",
    "chargeback": "a chargeback or payment dispute",
    "account_closure": "closing their account",
    "complaint": "a formal complaint",
    "tenant": "a phrase this tenant marks as sensitive",
}


class TriggerLayer:
    """Routing triggers for one tenant (``build_triggers`` makes one from the config)."""

    name = LayerName.routing

    def __init__(self, config: RoutingConfig | None = None, brand: BrandConfig | None = None):
        self.config = config or RoutingConfig()
        self.brand = brand or BrandConfig()
        cfg = self.config
        self._human_extra = PhraseSet(("human", literal(p)) for p in cfg.human_phrases)
        on = set(cfg.sensitive_categories)
        self._sensitive = [SENSITIVE.only(on)] if on else []
        if cfg.sensitive_phrases:
            self._sensitive.append(PhraseSet(("tenant", literal(p)) for p in cfg.sensitive_phrases))
        self._intents = {intent_key(i) for i in cfg.sensitive_intents}
        self._disparage = disparagement(self.brand.names)
        rxs = [" " + " ".join(map(re.escape, flat(p).split())) + " " for p in self.brand.forbidden]
        self._forbidden = [
            (p, re.compile(rx)) for p, rx in zip(self.brand.forbidden, rxs, strict=True)
        ]
        #: one alternation of every forbidden phrase: it matches wherever any phrase does,
        #: so a draft it does not match (the common case) skips the per-phrase pass
        self._any_forbidden = re.compile("|".join(rxs)) if rxs else None

    async def run(self, ctx: CheckContext) -> LayerResult:
        return LayerResult(findings=tuple(self.findings(ctx)))

    def findings(self, ctx: CheckContext) -> Iterator[Finding]:
        """Every trigger finding for ``ctx`` (the layer's work, callable synchronously)."""
        yield from self._confidence(ctx)
        recent = self._recent(ctx)
        if self.config.human_requested:
            yield from self._human(recent)
        yield from self._sensitive_intent(ctx, recent)
        yield from self._brand(ctx, [cls for _, _, cls in recent])

    def forbidden_hits(self, flat_draft: str) -> list[str]:
        """The tenant's forbidden phrases found in ``flat(draft)``, in config order."""
        if self._any_forbidden is None or not self._any_forbidden.search(flat_draft):
            return []
        return [p for p, rx in self._forbidden if rx.search(flat_draft)]

    # -- the triggers ---------------------------------------------------------------------

    def _confidence(self, ctx: CheckContext) -> Iterator[Finding]:
        conf, threshold = ctx.draft.confidence, self.config.confidence_threshold
        if conf is not None and conf < threshold:
            yield Finding.of(
                LayerName.routing,
                Code.LOW_CONFIDENCE,
                f"the agent's confidence {conf:.2f} is below the threshold {threshold:.2f}",
                confidence=conf,
                threshold=threshold,
            )

    def _recent(self, ctx: CheckContext) -> list[Recent]:
        """(index in conversation.messages, text, clauses) of the latest customer
        messages, newest first; each message is prepared once."""
        indexed = [
            (i, m.text) for i, m in enumerate(ctx.conversation.messages) if m.role is Role.customer
        ]
        return [(i, t, prepare(t)) for i, t in indexed[-self.config.recent_messages :][::-1]]

    def _human(self, recent: list[Recent]) -> Iterator[Finding]:
        for index, text, cls in recent:
            matched = short_human_request(text)
            hit = HUMAN_REQUEST.search(cls) or self._human_extra.search(cls)
            if matched is None and hit is not None:
                matched = hit.matched
            if matched is not None:
                yield Finding.of(
                    LayerName.routing,
                    Code.HUMAN_REQUESTED,
                    f'the customer asked for a person ("{matched}")',
                    matched=matched,
                    message_index=index,
                )
                return

    def _sensitive_intent(self, ctx: CheckContext, recent: list[Recent]) -> Iterator[Finding]:
        intent = ctx.conversation.intent
        if intent is not None and intent_key(intent) in self._intents:
            yield Finding.of(
                LayerName.routing,
                Code.SENSITIVE_INTENT,
                f"the conversation's intent {intent!r} is on this tenant's sensitive list",
                category="intent",
                intent=intent,
            )
        seen: set[str] = set()
        for index, _, cls in recent:
            for phrases in self._sensitive:
                for hit in phrases.finditer(cls):
                    if hit.category in seen:
                        continue
                    seen.add(hit.category)
                    yield Finding.of(
                        LayerName.routing,
                        Code.SENSITIVE_INTENT,
                        f'the customer mentions {_CATEGORY_TEXT[hit.category]} ("{hit.matched}")',
                        category=hit.category,
                        matched=hit.matched,
                        message_index=index,
                    )

    def _brand(self, ctx: CheckContext, customer: list[Clauses]) -> Iterator[Finding]:
        draft = ctx.analysis  # the draft's normalised forms, shared with the other layers
        hits: list[tuple[Hit, str]] = []
        forbidden = self.forbidden_hits(draft.flat)
        if forbidden:
            hits.append((Hit("forbidden", forbidden[0]), "the draft contains a forbidden phrase"))
        if self.brand.profanity and (m := PROFANITY.search(draft.normalized)):
            hits.append((Hit("profanity", m.group(0)), "the draft contains profanity"))
        if self._disparage.may_match(draft.flat) and (
            disparaging := self._disparage.search(draft.prepared)
        ):
            hits.append((disparaging, "the draft disparages the brand"))
        if self.brand.creative_writing and (
            creative := answers_creative_request(customer, draft.text, draft.normalized)
        ):
            hits.append((creative, "the draft answers an off-task request for creative writing"))
        for hit, message in hits:
            yield Finding.of(
                LayerName.routing,
                Code.BRAND_SAFETY,
                f'{message} ("{hit.matched}")',
                category=hit.category,
                matched=hit.matched,
            )
