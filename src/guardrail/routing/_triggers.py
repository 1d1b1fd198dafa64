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
from ..text import Clauses, Hit, PhraseSet, flat, literal, normalize, prepare
from ._config import BrandConfig, RoutingConfig, intent_key
from ._cues import CREATIVE_CUE, DISPARAGE_CUE, HUMAN_CUE, SENSITIVE_CUE
from ._detect import (
    HUMAN_REQUEST,
    SENSITIVE,
    answers_creative_request,
    disparagement,
    profanity,
    short_human_request,
)

__all__ = ["TriggerLayer"]


class _Message:
    """One recent customer message: normalised once, cut into clauses only when a phrase
    set's cue (``_cues``) says the set may match it (most messages trigger nothing)."""

    __slots__ = ("_clauses", "index", "normalized", "text")

    def __init__(self, index: int, text: str) -> None:
        self.index = index
        self.text = text
        self.normalized = normalize(text)
        self._clauses: Clauses | None = None

    @property
    def clauses(self) -> Clauses:
        """``prepare(text)``, on first use."""
        if self._clauses is None:
            self._clauses = prepare(self.text, self.normalized)
        return self._clauses


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
        #: the built-in human patterns have a cue; the tenant's phrases have none
        self._human_cue = HUMAN_CUE if not cfg.human_phrases else None
        on = set(cfg.sensitive_categories)
        #: each sensitive phrase set with its cue (None: always searched)
        self._sensitive: list[tuple[PhraseSet, re.Pattern[str] | None]] = (
            [(SENSITIVE.only(on), SENSITIVE_CUE)] if on else []
        )
        if cfg.sensitive_phrases:
            tenant = PhraseSet(("tenant", literal(p)) for p in cfg.sensitive_phrases)
            self._sensitive.append((tenant, None))
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
        return LayerResult(findings=tuple(self._collect(ctx)))

    def findings(self, ctx: CheckContext) -> Iterator[Finding]:
        """Every trigger finding for ``ctx`` (the layer's work, callable synchronously)."""
        yield from self._collect(ctx)

    def _collect(self, ctx: CheckContext) -> list[Finding]:
        """The findings in trigger order, as a list: ``list()`` of each trigger's
        generator, one after the other (the triggers are pure: nothing depends on how
        far a caller consumes them)."""
        out = [*self._confidence(ctx)]
        recent = self._recent(ctx)
        if self.config.human_requested:
            out += self._human(recent)
        out += self._sensitive_intent(ctx, recent)
        out += self._brand(ctx, recent)
        return out

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

    def _recent(self, ctx: CheckContext) -> list[_Message]:
        """The latest customer messages (with their index in conversation.messages),
        newest first."""
        indexed = [
            (i, m.text) for i, m in enumerate(ctx.conversation.messages) if m.role is Role.customer
        ]
        return [_Message(i, t) for i, t in indexed[-self.config.recent_messages :][::-1]]

    def _human(self, recent: list[_Message]) -> Iterator[Finding]:
        cue = self._human_cue
        for message in recent:
            if cue is not None and not cue.search(message.normalized):
                continue  # neither a short request nor a pattern can match it
            matched = short_human_request(message.text, message.normalized)
            if matched is None:  # the searches only answer when there is no short request
                cls = message.clauses
                hit = HUMAN_REQUEST.search(cls) or self._human_extra.search(cls)
                if hit is not None:
                    matched = hit.matched
            if matched is not None:
                yield Finding.of(
                    LayerName.routing,
                    Code.HUMAN_REQUESTED,
                    f'the customer asked for a person ("{matched}")',
                    matched=matched,
                    message_index=message.index,
                )
                return

    def _sensitive_intent(self, ctx: CheckContext, recent: list[_Message]) -> Iterator[Finding]:
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
        for message in recent:
            index = message.index
            for phrases, cue in self._sensitive:
                if cue is not None and not cue.search(message.normalized):
                    continue
                for hit in phrases.finditer(message.clauses):
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

    def _brand(self, ctx: CheckContext, recent: list[_Message]) -> Iterator[Finding]:
        draft = ctx.analysis  # the draft's normalised forms, shared with the other layers
        hits: list[tuple[Hit, str]] = []
        forbidden = self.forbidden_hits(draft.flat)
        if forbidden:
            hits.append((Hit("forbidden", forbidden[0]), "the draft contains a forbidden phrase"))
        if self.brand.profanity and (m := profanity(draft.normalized)):
            hits.append((Hit("profanity", m.group(0)), "the draft contains profanity"))
        if DISPARAGE_CUE.search(draft.flat) and (  # ``self._disparage.may_match``
            disparaging := self._disparage.search(draft.prepared)
        ):
            hits.append((disparaging, "the draft disparages the brand"))
        if self.brand.creative_writing and (
            creative := answers_creative_request(
                # only the messages that may ask for a poem (the first that does asks)
                [m.clauses for m in recent if CREATIVE_CUE.search(m.normalized)],
                draft.text,
                draft.normalized,
            )
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
