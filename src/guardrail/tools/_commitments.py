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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..models import Code, Finding, LayerName

__all__ = ["Backing", "Promise", "find_promises", "scan"]

_FILLER = (
    r"(?:\s+(?:have|will|shall|am|are|just|already|now|also|hereby|personally|successfully"
    r"|gone|went|ahead|and|going|to|go|fully|officially|immediately|instantly|gladly|happily"
    r"|be|been|able|happy|glad|pleased))*"
)
_ACTOR = r"\b(?:i|we)(?:'(?:ve|ll|m|re))?" + _FILLER + r"\s+"
_SELLER = r"\b(?:i|we)(?:'(?:ve|ll|m|re|d))?(?:\s+(?:can|could|would))?" + _FILLER + r"\s+"
_PASSIVE = (
    r"\b(?:has|have|had|was|were|is|will|'s)"
    r"(?:\s+(?:now|already|just|successfully|officially|fully|been|be))*\s+"
)
_GENERIC = (
    r"(?:issu|process|initiat|submitt?|approv|arrang|start|put through|sen[dt]|appl[yi]"
    r"|add|set up|book|creat|giv|give|plac|request|organi[sz])\w*"
)
_NOUNS: tuple[tuple[str, str], ...] = (
    (r"refunds?|reimbursement|money back", "refund"),
    (r"store credit|credit|voucher|gift card|goodwill", "store_credit"),
    (r"exchange|replacement|swap", "exchange"),
    (r"cancellation", "cancel"),
    (r"pause", "pause_subscription"),
    (r"discount", "sale"),
)
_NOUN = "|".join(n for n, _ in _NOUNS)
_ADDRESS = (
    r"(?:updat|chang|correct|amend|edit)\w*\s+(?:your\s+|the\s+)?(?:shipping\s+|delivery\s+)?"
    r"address"
)
_NOUN_WORDS = ("refund", "reimburse", "money back", "credit", "voucher", "gift card",
               "goodwill", "exchange", "replacement", "swap", "cancellation", "pause",
               "discount")  # fmt: skip
# (pattern body, kind, words one of which must occur in the sentence for it to match)
_VERBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"refund(?:ed|ing)?\b|reimburs\w*|credited\s+(?:it\s+)?back", "refund",
     ("refund", "reimburs", "credited")),
    (r"cancel\w*", "cancel", ("cancel",)),
    (r"paus(?:e|ed|ing)\b", "pause_subscription", ("paus",)),
    (r"exchang\w*|swapp?\w*|replac\w*", "exchange", ("exchang", "swap", "replac")),
    (_ADDRESS, "address_change", ("address",)),
    (r"credit(?:ed)?\s+(?:\S+\s+){0,3}?(?:to|on|into)?\s*your\s+(?:\S+\s+){0,3}?"
     r"(?:account|bill|balance|wallet)",
     "store_credit", ("credit",)),
    (_GENERIC + r"\b(?:\s+\S+){0,5}?\s+(?:" + _NOUN + r")\b", "noun", _NOUN_WORDS),
)  # fmt: skip
_PAST: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"refunded|reimbursed|credited back", "refund", ("refunded", "reimbursed", "credited")),
    (r"cancell?ed", "cancel", ("cancel",)),
    (r"paused", "pause_subscription", ("paused",)),
    (r"exchanged|swapped|replaced", "exchange", ("exchanged", "swapped", "replaced")),
    (r"(?:updated|changed|corrected|amended)", "address_change", ("address",)),
    (r"(?:issued|processed|approved|initiated|submitted|sent|applied|added|credited"
     r"|arranged)", "noun", _NOUN_WORDS),
)  # fmt: skip
_PRICE = r"(?:just\s+|only\s+)?(?:\$|€|£|¥|usd|eur|gbp|\d)"
_FOR_PRICE = r"\s+for\s+" + _PRICE
_SALE_FOR = r"\b.{0,60}?\b" + _FOR_PRICE.removeprefix(r"\s+")
# "I've refunded $50 and cancelled …": a second verb joined to a first-person clause,
# with no negation or modal in between
_CHAIN = (
    r"\b(?:i|we)(?:'(?:ve|ll|m|re))?\s+"
    r"(?:(?!\b(?:not|never|no|can|can't|cannot|could|couldn't|would|won't|should|may|might"
    r"|unable|don't|didn't|haven't|isn't|if|whether)\b).){0,80}?"
    r"\band\s+(?:(?:have|will|also|then|just|already|now)\s+|'ve\s+)*"
)
_RULES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    *((re.compile(_ACTOR + f"(?P<v>{v})"), k, w) for v, k, w in _VERBS),
    *((re.compile(_CHAIN + f"(?P<v>{v})"), k, w) for v, k, w in _VERBS),
    *((re.compile(_PASSIVE + f"(?P<v>{v})" + r"\b"), k, w) for v, k, w in _PAST),
    (re.compile(_SELLER + r"(?P<v>sell|sold)\b"), "sale", ("sell", "sold")),
    (re.compile(_SELLER + r"(?P<v>let\s+you\s+have|give\s+(?:you|it|them))" + _SALE_FOR),
     "sale", ("let you", "give")),
    (re.compile(r"\byours\s+for\s+(?:just\s+|only\s+)?(?:\$|usd|\d)"), "sale", ("yours",)),
    (re.compile(r"\byou\s+(?:can|could|will|'ll)\s+(?:have|get)\s+"
                r"(?:it|them|this|that|the\s+[\w ]{1,30}?)" + _FOR_PRICE), "sale", ("have", "get")),
    # a plan or fare changed at a price: "I've switched you to Surf Max for €30 a month"
    (re.compile(_ACTOR + r"(?P<v>switch\w*|mov\w*|upgrad\w*|downgrad\w*|chang\w*|put)"
                r"\s+you(?:r\s+\w+)?\b.{0,60}?\b(?:for|at)\s+" + _PRICE),
     "sale", ("switch", "mov", "upgrad", "downgrad", "chang", "put")),
    (re.compile(r"\byou(?:'re|\s+are)\s+(?:now\s+)?(?:on|switched|moved|upgraded|downgraded)"
                r"\b.{0,60}?\b(?:for|at)\s+" + _PRICE), "sale", ("you",)),
    (re.compile(r"\b(?:that's|that is|it's|it is|we have|we've got|you've got)\s+a\s+deal\b"),
     "sale", ("deal",)),
    (re.compile(r"\blegally\s+(?:binding|bound|obligated|committed)\b"), "legal", ("legally",)),
    (re.compile(r"\bbinding\s+(?:offer|agreement|contract|deal|commitment|promise)\b"),
     "legal", ("binding",)),
    (re.compile(r"\bno\s+takesies\s+backsies\b"), "legal", ("takesies",)),
]  # fmt: skip
_NOUN_KIND = [(re.compile(rf"\b(?:{n})\b"), k) for n, k in _NOUNS]
_SUBSCRIPTION = re.compile(r"\b(?:subscription|membership|plan|trail box|renewal|box)\b")
_ORDER = re.compile(r"\border\b")
_MONEY = re.compile(
    r"(?P<sym>\$|€|£|¥|\b(?:usd|eur|gbp|jpy)\s*|\bus\$)\s*(\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:[.,](\d{1,2})(?!\d))?"
    r"|\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*"
    r"(?P<word>dollars|bucks|usd|euros?|eur|€|pounds|quid|gbp|yen|jpy)(?!\w)"
)
#: currencies without a minor unit (the amount is already in minor units)
_WHOLE = ("¥", "jpy", "yen")
#: "once it has been sent", "when a booking is cancelled": the clause is a condition
_WHEN_BEFORE: Final = re.compile(
    r"\b(?:once|when|whenever|after|if|as soon as|until)\s+(?:[^\s,]+\s+){0,3}$"
)
#: a generic verb used as an adjective: "approved refunds are …"
_ADJECTIVAL: Final = re.compile(r"(?<=s)\s+(?:are|is|were|get|gets|take|will|can|go)\b")
#: an amount said to be the total ("$120.00 in total", "£400.00 altogether")
_TOTAL: Final = re.compile(
    r"(?:[$€£¥]|\b(?:usd|eur|gbp)\s*)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:[.,](\d{1,2})(?!\d))?"
    r"(?=\s+(?:in\s+total|altogether|total)\b)|\btotal\s+of\s+[$€£¥]\s*(\d+)"
)
_SPLIT = re.compile(r"(?<=[.!?])\s+|[\n;]+")
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


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[’‘`´]", "'", text)


#: words that make a sentence describe how a process works rather than report or promise
#: one transaction: a timeframe, a condition, a habit
_PROCESS: Final = re.compile(
    r"\b(?:within|once|after|when|whenever|as soon as|if|upon|usually|typically|normally"
    r"|generally|always|automatically|business days?|days? (?:of|after|from)|each|every|any)\b"
)
#: the auxiliary of a completed passive ("has been", "was") versus a present or future one
_DONE: Final = re.compile(r"^(?:has|have|had|was|were)\b|^'s\s+been\b|\bbeen\b")
#: what, between "I"/"we" and the verb, makes it an action now or to come, not a habit
_ACTION_WORDS: Final = frozenset(
    [
        "have",
        "will",
        "shall",
        "am",
        "are",
        "just",
        "already",
        "now",
        "hereby",
        "personally",
        "successfully",
        "gone",
        "went",
        "ahead",
        "going",
        "to",
        "go",
        "fully",
        "officially",
        "immediately",
        "instantly",
        "gladly",
        "happily",
        "be",
        "been",
        "able",
        "happy",
        "glad",
        "pleased",
    ]
)


def _explains(match: re.Match[str], kind: str, sentence: str) -> bool:
    """Whether a match describes a process ("refunds are issued within 5 business days
    once we receive the item", "we refund the difference as store credit") rather than
    reporting or promising one transaction."""
    whole = match.group(0)
    verb = _verb(match)
    passive = match.re.pattern.startswith(_PASSIVE)
    if passive and _WHEN_BEFORE.search(sentence, max(0, match.start() - 30), match.start()):
        return True  # "once it has been sent", "when a booking is cancelled": a process
    if kind == "noun" and _ADJECTIVAL.match(sentence, match.end("v")):
        return True  # "approved refunds are returned within …": a kind of refund
    if (
        kind == "noun"
        and passive
        and "been" not in whole
        and re.match(r"\s*(?:has|have|had)\b", whole)
    ):
        return True  # "the window has applied since October 1": not a passive
    if kind == "legal" or (kind == "sale" and verb != "sell"):
        return False
    if kind == "sale":  # "like everything we sell": a habit; "we can sell it …": an offer
        return whole.strip() in ("we sell", "i sell") and not re.search(r"\bfor\s+\S*\d", sentence)
    if match.re.pattern.startswith(_PASSIVE):
        head = whole.strip()
        if _DONE.search(head[: max(0, head.find(verb.strip()))] or head[:12]):
            return False  # "has been refunded", "was cancelled": done
        return _PROCESS.search(sentence) is not None
    if whole.startswith(("i ", "we ")) or whole.startswith(("i\t", "we\t")):
        between = whole[: whole.rfind(verb)].split()[1:]
        if any(w in _ACTION_WORDS for w in between):
            return False
        if verb.endswith(("ed", "ing")) or re.search(r"ed\b", verb):
            return False
        # "we refund the difference", "we issue refunds within …": a habit
        return whole.startswith("we ") or _PROCESS.search(sentence) is not None
    return False


def find_promises(text: str) -> list[Promise]:
    """Every promise in ``text``, at most one per kind per sentence, in order."""
    found: list[Promise] = []
    for index, sentence in enumerate(s for s in _SPLIT.split(normalise(text)) if s.strip()):
        seen: set[str] = set()
        for pattern, kind, words in _RULES:
            if not any(w in sentence for w in words):
                continue
            for match in pattern.finditer(sentence):
                if _explains(match, kind, sentence):
                    continue
                resolved = _kind(kind, _verb(match), sentence)
                if resolved is None or resolved in seen:
                    continue
                seen.add(resolved)
                start, end = _span(match)
                amount = _amount(sentence, start, end, resolved)
                excerpt = match.group(0).strip()[:120]
                found.append(Promise(resolved, amount, index, excerpt))
    return found


def _kind(kind: str, matched: str, sentence: str) -> str | None:
    if kind == "noun":
        kind = next((k for rx, k in _NOUN_KIND if rx.search(matched)), "")
        if not kind:
            kind = next((k for rx, k in _NOUN_KIND if rx.search(sentence)), "")
        if not kind:
            return None
    if kind == "cancel":
        if _SUBSCRIPTION.search(sentence) and not _ORDER.search(sentence):
            return "cancel_subscription"
        return "cancel_order"
    if kind == "address_change" and "address" not in sentence:
        return None
    return kind


def _span(match: re.Match[str]) -> tuple[int, int]:
    """Where the verb (group ``v``) is, else the whole match."""
    if "v" in match.re.groupindex and match.group("v") is not None:
        return match.span("v")
    return match.span()


def _verb(match: re.Match[str]) -> str:
    start, end = _span(match)
    return match.string[start:end]


def _amount(sentence: str, start: int, end: int, kind: str) -> int | None:
    """The amount a promise names: the last one inside the verb phrase ("added $25 of
    store credit"), else the first after it ("refunded $129"), else the last before it
    ("$129 has been refunded")."""
    if kind not in _WITH_AMOUNT:
        return None
    amounts = [(m.start(), _cents(m)) for m in _MONEY.finditer(sentence)]
    inside = [a for pos, a in amounts if start <= pos < end]
    after = [a for pos, a in amounts if pos >= end]
    before = [a for pos, a in amounts if pos < start]
    total = _TOTAL.search(sentence)
    if total is not None:  # "$60.00 for each rug, $120.00 in total": the total is promised
        whole = total.group(1) or total.group(3) or "0"
        return int(whole.replace(",", "")) * 100 + int(((total.group(2) or "") + "00")[:2])
    if inside:
        return inside[-1]
    if after:
        return after[0]
    return before[-1] if before else None


def _cents(match: re.Match[str]) -> int:
    """The amount in minor units (cents, pence; yen are whole)."""
    whole = match.group(2) or match.group(4) or "0"
    frac = match.group(3) or match.group(5) or ""
    unit = (match.group("sym") or match.group("word") or "").strip()
    if unit in _WHOLE:
        return int(whole.replace(",", ""))
    return int(whole.replace(",", "")) * 100 + int((frac + "00")[:2])


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


def scan(text: str, backings: Iterable[Backing], uncommitted: Sequence[str] = ()) -> list[Finding]:
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
            Finding.of(
                LayerName.tools,
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
