"""The free-text commitment scan: a reply must not promise a transaction that no
*allowed* tool call backs.

A *promise* is a first-person action ("I've refunded", "we'll cancel", "I'm going to
pause"), a completed passive ("your order has been cancelled", "a refund was issued"),
a sale price ("I'll sell it to you for $1", "that's a deal") or legal language
("legally binding", "no takesies backsies"). Modal and negated sentences ("you can
return…", "I can't refund…", "I will not cancel…") are not promises. Conditional promises
("if you send it back, I'll refund you") are: the customer will hold the agent to them.

A promise is backed when an allowed call's spec declares the same ``commitment.kind``;
when the sentence names an amount, it must equal one backing call's amount or their sum.
Legal language is never backed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..models import Code, Finding
from ..text import Amount, Analysis
from ._commitments_rules import CHAINS, CUE, RULES, explains, kind_of, matched_verb, verb_span
from ._finding import tool_finding

__all__ = ["Backing", "Promise", "find_promises", "scan"]

#: an amount said to be the total: "$120.00 in total", "£400.00 altogether", "a total of
#: $120" (the amounts themselves are read by the one money parser, ``guardrail.text``)
_TOTAL_AFTER: Final = re.compile(r"\s+(?:in\s+total|altogether|total)\b")
_TOTAL_BEFORE: Final = re.compile(r"\btotal\s+of\s+$")
_WITH_AMOUNT = frozenset({"refund", "store_credit", "sale"})

_NAMES = {
    "refund": "a refund",
    "store_credit": "store credit",
    "cancel_order": "an order cancellation",
    "cancel_subscription": "a subscription cancellation",
    "pause_subscription": "a subscription pause",
    "exchange": "an exchange",
    "address_change": "an address change",
    "sale": "a sale at a price",
    "legal": "a legally binding commitment",
}


@dataclass(frozen=True)
class Promise:
    kind: str
    amount_cents: int | None
    sentence: int
    excerpt: str


@dataclass(frozen=True)
class Backing:
    """What one allowed call backs: its commitment kind and amount (None: no amount)."""

    kind: str
    amount_cents: int | None


def find_promises(text: str | Analysis) -> list[Promise]:
    """Every promise in ``text`` (or in an analysed text, shared with the other layers),
    at most one per kind per sentence, in order."""
    analysis = text if isinstance(text, Analysis) else Analysis(text)
    norm = analysis.promise_text
    if not _cued(norm):  # most replies promise nothing: a few cheap passes tell
        return []
    sentences = analysis.promise_sentences
    found: list[Promise] = []
    for index, rules in sorted(_candidates(norm, sentences).items()):
        s, e = sentences[index]
        sentence = norm[s:e]
        seen: set[str] = set()
        amounts: list[Amount] | None = None
        if "and" not in sentence:
            rules -= CHAINS  # their pattern has a literal "and": it cannot match here
        for rule in sorted(rules):
            pattern, kind, _ = RULES[rule]
            for match in pattern.finditer(sentence):
                if explains(match, kind, sentence):
                    continue
                resolved = kind_of(kind, matched_verb(match), sentence)
                if resolved is None or resolved in seen:
                    continue
                seen.add(resolved)
                start, end = verb_span(match)
                amount = None
                if resolved in _WITH_AMOUNT:
                    if amounts is None:
                        amounts = _in_sentence(analysis.amounts, s, e)
                    amount = _amount(sentence, start, end, amounts)
                excerpt = match.group(0).strip()[:120]
                found.append(Promise(resolved, amount, index, excerpt))
    return found


def _cued(norm: str) -> bool:
    """Whether one of the cues (``_commitments_rules.CUES``, a necessary condition for
    any rule to match any sentence) matches the normalised text (``CUE``: all of them in
    one pass)."""
    return CUE.search(norm) is not None


def _candidates(norm: str, sentences: list[tuple[int, int]]) -> dict[int, set[int]]:
    """Sentence index → the indices of the rules one of whose words the sentence
    contains (``any(w in sentence for w in words)``), from one ``str.find`` scan of the
    whole text per word instead of one substring test per word, rule and sentence.
    Most words occur nowhere: an ``in`` test (no method call) rules them out first."""
    starts = [s for s, _ in sentences]
    out: dict[int, set[int]] = {}
    for word, rules in _WORD_RULES:
        if word not in norm:
            continue
        at = norm.find(word)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            if k >= 0 and at + len(word) <= sentences[k][1]:
                out.setdefault(k, set()).update(rules)
            at = norm.find(word, at + 1)
    return out


#: each rule word → the indices of the rules it admits
_WORD_RULES: Final = tuple(
    (word, tuple(i for i, (_, _, words) in enumerate(RULES) if word in words))
    for word in dict.fromkeys(w for _, _, words in RULES for w in words)
)


def _in_sentence(amounts: list[Amount], s: int, e: int) -> list[Amount]:
    """The amounts inside ``[s, e)``, with offsets relative to ``s``."""
    return [Amount(a.start - s, a.end - s, a.cents) for a in amounts if s <= a.start < a.end <= e]


def _amount(sentence: str, start: int, end: int, amounts: list[Amount]) -> int | None:
    """The amount a promise names: the one said to be the total, else the last one inside
    the verb phrase ("added $25 of store credit"), else the first after it ("refunded
    $129"), else the last before it ("$129 has been refunded")."""
    for a in amounts:  # "$60.00 for each rug, $120.00 in total": the total is promised
        if _TOTAL_AFTER.match(sentence, a.end) or _TOTAL_BEFORE.search(sentence, 0, a.start):
            return a.cents
    inside = [a.cents for a in amounts if start <= a.start < end]
    if inside:
        return inside[-1]
    after = [a.cents for a in amounts if a.start >= end]
    if after:
        return after[0]
    before = [a.cents for a in amounts if a.start < start]
    return before[-1] if before else None


def _backed(promise: Promise, backings: Sequence[Backing]) -> bool:
    if promise.kind == "legal":
        return False
    mine = [b for b in backings if b.kind == promise.kind]
    if not mine:
        return False
    if promise.amount_cents is None:
        return True
    amounts = [b.amount_cents for b in mine if b.amount_cents is not None]
    return promise.amount_cents in amounts or promise.amount_cents == sum(amounts)


def scan(
    text: str | Analysis, backings: Iterable[Backing], uncommitted: Sequence[str] = ()
) -> list[Finding]:
    """``UNBACKED_COMMITMENT`` findings for the promises no allowed call backs.
    ``uncommitted`` names the allowed calls whose spec declares no ``commitment``: the
    message names them and says how to declare one."""
    backing = list(backings)
    findings = []
    for promise in find_promises(text):
        if _backed(promise, backing):
            continue
        what = _NAMES[promise.kind]
        if promise.amount_cents is not None:
            what += f" of {promise.amount_cents / 100:,.2f}"
        extra: dict[str, Any] = {}
        if promise.kind == "legal":
            reason = "no tool call can back that"
        elif uncommitted:
            reason = _no_commitment(promise, uncommitted)
            extra["uncommitted_calls"] = list(dict.fromkeys(uncommitted))
        else:
            reason = "no allowed tool call backs it"
        findings.append(
            tool_finding(
                Code.UNBACKED_COMMITMENT,
                f"the reply promises {what}; {reason}",
                kind=promise.kind,
                amount_cents=promise.amount_cents,
                sentence=promise.sentence,
                excerpt=promise.excerpt,
                **extra,
            )
        )
    return findings


def _no_commitment(promise: Promise, uncommitted: Sequence[str]) -> str:
    """The reason when allowed calls exist whose specs declare no commitment: name the
    likeliest one (its name shares a word with the promise's kind) and the fix."""
    words = set(promise.kind.split("_")) | {promise.kind.split("_")[0][:5]}
    names = list(dict.fromkeys(uncommitted))
    name = next((n for n in names if any(w in n for w in words)), names[0])
    amount = ', "amount": "<its amount argument, in cents>"' if promise.kind in _WITH_AMOUNT else ""
    return (
        f"the allowed call {name!r} could back it, but its spec declares no 'commitment'; "
        f'add "commitment": {{"kind": "{promise.kind}"{amount}}} to {name}\'s tool spec '
        "(docs/tools.md, the commitment scan)"
    )


def backing_of(kind: str | None, amount_arg: str | None, args: object) -> Backing | None:
    """The backing an allowed call gives, from its spec's ``commitment``."""
    if kind is None:
        return None
    amount = args.get(amount_arg) if isinstance(args, Mapping) and amount_arg else None
    ok = isinstance(amount, int) and not isinstance(amount, bool)
    return Backing(kind, amount if ok else None)
