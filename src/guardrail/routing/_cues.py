"""Cheap necessary conditions for the trigger phrase sets of ``_detect``: one regex each,
run once per text, that tells when a set *cannot* match, so the trigger layer skips the
set's patterns (and preparing the text for them) on the common text that triggers
nothing. A cue never decides a match: when it matches, the set's own patterns do.

Why a cue is a necessary condition: every match of every pattern of a set contains one of
the set's cue words (each is a word of an alternation every branch of the pattern passes
through; the tests check it on the pinned corpus). A set's patterns run on prepared
clauses (:func:`guardrail.text.prepare`), which only turns characters into spaces (and
contrast words into ``|``) and never creates or joins letters, so a cue word inside a
match is a substring of the normalised text (:func:`guardrail.text.normalize`). The
cues are searched there, as plain substrings (no word boundary: weaker, still
necessary).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ..text import trie
from ._detect import _DISPARAGE_CUE

__all__ = ["CREATIVE_CUE", "DISPARAGE_CUE", "HUMAN_CUE", "SENSITIVE_CUE"]


def _cue(words: Sequence[str]) -> re.Pattern[str]:
    if not all(re.fullmatch("[a-z]+", w) for w in words):
        raise ValueError("cue words are lower-case letters")
    return re.compile(trie(words))


#: HUMAN_REQUEST (and ``short_human_request``): a person ("human", "person", "people",
#: "agent", "rep…", "operator", "manager", "supervisor", "some(one|body)", "(staff|team)
#: member", "customer service", "support agent", "real one", "escalate … to a team
#: lead") or a bot ("bot", "robot", "machine", "chatbot", "ai", "computer", "automated")
HUMAN_CUE: Final = _cue(
    ["human", "person", "people", "one", "agent", "rep", "operator", "manager", "supervisor",
     "some", "member", "customer", "support", "team", "bot", "machine", "ai", "computer",
     "automated"]
)  # fmt: skip

#: SENSITIVE: legal (counsel, suing, courts, regulators, rights), account closure,
#: complaint and chargeback words
SENSITIVE_CUE: Final = _cue(
    ["lawyer", "attorney", "solicitor", "legal", "sue", "suing", "law", "class", "small",
     "court", "ombudsm", "trading", "better", "breach", "consumer", "statutory", "rights",
     "unlawful", "regulator", "bbb", "ftc", "cfpb", "watchdog", "account", "profile",
     "membership", "right", "delete", "erase", "remove", "wipe", "gdpr", "complain",
     "charge", "disput", "revers", "claim", "unauthori", "fraudulent", "paypal"]
)  # fmt: skip

#: CREATIVE_REQUEST: the kind of writing asked for
CREATIVE_CUE: Final = _cue(
    ["poem", "poetry", "song", "lyric", "limerick", "haiku", "sonnet", "rap", "verse",
     "ballad", "jingle", "rhyme", "ode", "story", "stories", "joke"]
)  # fmt: skip

#: the disparagement set's ``PhraseSet.may_match`` on flat text as one regex: a cue word
#: starting a word (a space before it), instead of one substring scan per word
DISPARAGE_CUE: Final = re.compile(" (?:" + trie(_DISPARAGE_CUE.split("|")) + ")")
