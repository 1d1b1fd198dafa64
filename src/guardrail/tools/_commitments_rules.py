"""The commitment scan's phrase rules: which sentences promise a transaction, and of
which kind (see ``_commitments`` for the scan and ``docs/tools.md``).

Each rule is ``(pattern, kind, words)``: the compiled pattern runs on one sentence of the
normalised text (:attr:`guardrail.text.Analysis.promise_text`) only when one of
``words`` occurs in it. :func:`explains` tells a description of how a process works
("refunds are issued within 5 business days once we receive the item") from a promise;
:func:`kind_of` resolves a match to its commitment kind.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CHAINS",
    "CUE",
    "CUES",
    "RULES",
    "Rule",
    "explains",
    "kind_of",
    "matched_verb",
    "verb_span",
]

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
#: its last part, from "and" on, is what the commitment cues require of it (see ``_cues``)
_CHAIN_AND = r"\band\s+(?:(?:have|will|also|then|just|already|now)\s+|'ve\s+)*"
_CHAIN = (
    r"\b(?:i|we)(?:'(?:ve|ll|m|re))?\s+"
    r"(?:(?!\b(?:not|never|no|can|can't|cannot|could|couldn't|would|won't|should|may|might"
    r"|unable|don't|didn't|haven't|isn't|if|whether)\b).){0,80}?" + _CHAIN_AND
)
Rule = tuple[re.Pattern[str], str, tuple[str, ...]]
RULES: Final[list[Rule]] = [
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
#: how every rule pattern opens: ``\b`` and one word, or ``\b`` and an alternation of words
_LEAD: Final = re.compile(r"\\b(?:\(\?:([\w' |]+)\)|([a-z]+))")


def _cues(rules: list[Rule]) -> tuple[re.Pattern[str], ...]:
    r"""Cheap necessary conditions for a promise, run once over the whole normalised text
    before any sentence is looked at: one regex per word a rule pattern opens with
    (``i``, ``we``, ``has``, ``yours``, …), matching where any rule opening with that word
    does. A text none of them matches holds no promise (most replies).

    Why a match of a rule in a sentence is a match of its cue in the whole text: a rule
    has no ``^``/``$``; a sentence of the scan is a slice of the text that starts after
    (and ends before) whitespace, ``;`` or a line break, so ``\b`` and the look-arounds
    answer at the slice's edges as in the whole text, and everything inside matches
    alike. A cue is its rule with the opening ``\bword`` written as ``word`` and a
    look-behind (a literal first, so ``re`` finds candidates by fast substring search,
    not by trying every offset), and the rules that share that word and the part before
    their verb joined into one alternation of verbs. The ``I … and <verb>`` chains are
    cued from ``and`` on: a weaker condition, so still a necessary one.

    A rule without a verb group whose words (the third item: the scan runs a rule only on
    a sentence containing one of them) are all specific ("deal", "legally") is cued by
    those words instead: one substring search rather than one per opening word."""
    by_word: dict[str, dict[str, list[str]]] = {}
    cues = []
    for rx, _, words in rules:
        pattern = rx.pattern
        if "(?P<v>" not in pattern and all(len(w) >= 4 for w in words):
            cues.append(re.compile("|".join(map(re.escape, words))))
            continue
        if pattern.startswith(_CHAIN):
            pattern = _CHAIN_AND + pattern.removeprefix(_CHAIN)
        lead = _LEAD.match(pattern)
        if lead is None or re.search(r"(?<![\\\[])[\^$]|\\[AZ]", pattern):
            raise ValueError(f"a commitment rule must open with \\b and a word: {pattern!r}")
        head, verb, tail = pattern[lead.end() :].partition("(?P<v>")
        for word in (lead.group(1) or lead.group(2)).split("|"):
            heads = by_word.setdefault(word, {})
            # the verb group as a plain group: "(?:verb)" and what follows it
            heads.setdefault(head if verb else head + tail, []).append("(?:" + tail if verb else "")
    for word, heads in by_word.items():
        # ``\bword``: no word character before it; ``\b'`` (in "'s"): one before it
        before = "(?<!\\w" if word[0].isalnum() else "(?<=\\w"
        rests = [h + ("(?:" + "|".join(t) + ")" if any(t) else "") for h, t in heads.items()]
        cues.append(re.compile(f"{word}{before}{'.' * len(word)})(?:{'|'.join(rests)})"))
    return tuple(cues)


#: see :func:`_cues`
CUES: Final = _cues(RULES)
#: the cues as one alternation: ``CUE.search(t)`` matches iff some cue's ``search`` does
#: (an alternation matches at an offset iff one of its branches does; no cue has a
#: named group, back-reference or inline flag, and only ``is None`` is asked), in one
#: pass over the text instead of one per cue (most of a text none matches is skipped
#: by the first-character set ``re`` derives from the branches' literal openings)
CUE: Final = re.compile("|".join(f"(?:{cue.pattern})" for cue in CUES))
#: the indices of the ``I … and <verb>`` rules: they match only a sentence containing "and"
CHAINS: Final = frozenset(i for i, (rx, _, _) in enumerate(RULES) if rx.pattern.startswith(_CHAIN))

_NOUN_KIND = [(re.compile(rf"\b(?:{n})\b"), k) for n, k in _NOUNS]
_SUBSCRIPTION = re.compile(r"\b(?:subscription|membership|plan|trail box|renewal|box)\b")
_ORDER = re.compile(r"\border\b")
#: "once it has been sent", "when a booking is cancelled": the clause is a condition
_WHEN_BEFORE: Final = re.compile(
    r"\b(?:once|when|whenever|after|if|as soon as|until)\s+(?:[^\s,]+\s+){0,3}$"
)
#: a generic verb used as an adjective: "approved refunds are …"
_ADJECTIVAL: Final = re.compile(r"(?<=s)\s+(?:are|is|were|get|gets|take|will|can|go)\b")

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
    ["have", "will", "shall", "am", "are", "just", "already", "now", "hereby", "personally",
     "successfully", "gone", "went", "ahead", "going", "to", "go", "fully", "officially",
     "immediately", "instantly", "gladly", "happily", "be", "been", "able", "happy", "glad",
     "pleased"]
)  # fmt: skip


def explains(match: re.Match[str], kind: str, sentence: str) -> bool:
    """Whether a match describes a process ("refunds are issued within 5 business days
    once we receive the item", "we refund the difference as store credit") rather than
    reporting or promising one transaction."""
    whole = match.group(0)
    verb = matched_verb(match)
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


def kind_of(kind: str, matched: str, sentence: str) -> str | None:
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


def verb_span(match: re.Match[str]) -> tuple[int, int]:
    """Where the verb (group ``v``) is, else the whole match."""
    if "v" in match.re.groupindex and match.group("v") is not None:
        return match.span("v")
    return match.span()


def matched_verb(match: re.Match[str]) -> str:
    start, end = verb_span(match)
    return match.string[start:end]
