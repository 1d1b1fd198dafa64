"""The built-in phrase families behind HUMAN_REQUESTED, SENSITIVE_INTENT and
BRAND_SAFETY, as precompiled regexes over normalised clauses (see ``_text``).

Each pattern needs *context*, not a lone keyword: "lawyer" fires in "contact my lawyer",
not in "my lawyer friend recommended your boots"; "agent" fires in "get me an agent" or
a message that is just "agent!", not in "the agent who delivered it was lovely".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import Hit, PhraseSet, normalize, phrase_rx, sentences

__all__ = [
    "CREATIVE_REQUEST",
    "HUMAN_REQUEST",
    "PROFANITY",
    "SENSITIVE",
    "answers_creative_request",
    "disparagement",
    "profanity",
    "short_human_request",
]

# -- HUMAN_REQUESTED ---------------------------------------------------------------------

_PERSON = (
    r"(?:human(?: being)?s?|(?:real|live|actual|proper) (?:person|people|one|human)|persons?"
    r"|people|agents?|representatives?|reps?|operators?|managers?|supervisors?"
    r"|some(?:one|body) (?:real|human|from (?:your|the) (?:team|company|staff|store))"
    r"|(?:staff|team) member|customer (?:service|support|care)(?: (?:rep|representative|agent"
    r"|team|person))?|support (?:agent|team|person)|actual humans?)"
)
_REQUEST_VERB = (
    r"(?:talk|speak|chat|connect|transfer|escalate|pass|put|hand|switch|get|give|want|need"
    r"|request|reach|see|(?:would|'d) like|prefer|bring|call|send)"
)
_FILLER = (
    r"(?:me|us|to|with|through|over|on|the|a|an|your|some|one|of|real|live|actual|proper"
    r"|please|pls|now|just|directly|right|away|immediately|speak|talk|chat|i|can|could"
    r"|someone|somebody|back|up|actually|really)"
)
_NOT_ABOUT = r"(?![\w'-])(?!\s+(?:who|that|which|said|was|were|is|told|delivered|came|did))"
HUMAN_REQUEST = PhraseSet(
    [
        ("human", rf"\b{_REQUEST_VERB}(?:\s+{_FILLER}){{0,5}}\s+{_PERSON}{_NOT_ABOUT}"),
        (
            "human",
            r"\b(?:get|have|send|need|want|can|could) (?:some(?:one|body)|a (?:person|human"
            r"|manager|rep|representative)) (?:to )?(?:call|ring|phone|contact|email|get back to"
            r"|reach out to) (?:me|us)\b",
        ),
        (
            "human",
            r"\b(?:can|could|would|will|may) (?:a |an |some )?(?:real |actual |live )?(?:human"
            r"|person|agent|representative|manager|supervisor|someone real) (?:please )?(?:look"
            r"|check|review|help|call|contact|handle|take over|read|get back)\b",
        ),
        (
            "human",
            r"\bescalate (?:this|it|me|my (?:case|issue|ticket|query))(?: (?:to|with))? (?:a |an "
            r"|the |your )?(?:humans?|person|manager|supervisor|agent|someone|team lead)\b",
        ),
        (
            "human",
            r"\b(?:is there|are there|any) (?:a |an |any )?(?:real |live |actual )?"
            r"(?:humans?|agents?|representatives?|operators?"
            r"|(?:real|live|actual) (?:person|people))"
            r"(?![\w'-])",
        ),
        (
            "human",
            r"\b(?:(?:don'?t|do not|no longer) (?:want|wish) to (?:talk|speak|chat) (?:to|with)"
            r"|(?:no|stop|enough|not|done with)(?: (?:talking|chatting|speaking))?(?: to| with)?)"
            r" (?:a |an |the |this |your )?(?:stupid |automated )?(?:bot|robot|machine|chatbot"
            r"|ai|computer|automated system)s?\b",
        ),
    ]
)
_SHORT_NOUNS = frozenset(
    {"human", "humans", "agent", "agents", "representative", "rep", "operator", "person"}
    | {"someone", "manager", "supervisor"}
)
_SHORT_FILLER = frozenset(
    {"please", "pls", "plz", "now", "a", "an", "the", "real", "live", "actual", "just", "asap"}
    | {"already", "hello", "hi", "hey", "ok", "okay", "me", "give", "get", "to", "speak"}
    | {"talk", "with", "i", "want", "need", "customer", "service", "support", "right"}
)


def short_human_request(text: str, normalised: str | None = None) -> str | None:
    """A sentence that is nothing but a request for a person: "agent!", "Human please",
    "representative", "real person now". ``normalised`` is ``normalize(text)`` when the
    caller has it."""
    for sentence in sentences(text, normalised):
        ws = sentence.split()
        if len(ws) > 6:
            continue
        if any(w in _SHORT_NOUNS for w in ws) and all(
            w in _SHORT_NOUNS or w in _SHORT_FILLER for w in ws
        ):
            return " ".join(ws)
    return None


# -- SENSITIVE_INTENT --------------------------------------------------------------------

_COUNSEL = r"(?:lawyers?|attorneys?|solicitors?|legal (?:team|counsel|department|advice))"
_NOT_COUNSEL_THREAT = (
    r"(?![\w'-])(?!\s+(?:friend|friends|colleague|buddy|pal|brother|sister|cousin|neighbou?r"
    r"|mom|mum|dad|wife|husband|son|daughter|recommended|loves?|likes?|bought|uses?|wears?"
    r"|said (?:your|these|the)))"
)
SENSITIVE = PhraseSet(
    [
        (
            "legal",
            rf"\b(?:contact|call|email|involve|get|hire|consult|speak (?:to|with)|talk (?:to|with)"
            rf"|hear from|instruct|retain|my|our) (?:my |our |a |an )?"
            rf"{_COUNSEL}{_NOT_COUNSEL_THREAT}",
        ),
        ("legal", r"\blawyer(?:ing)? up\b"),
        (
            "legal",
            r"\b(?:sue|suing)\s+(?:you|u|your|acme|the company|them|you guys|y'all|for|over)\b"
            r"|\b(?:will|gonna|going to|i'll|to|and|or|could|can|should|might|shall)\s+sue\b"
            r"|\b(?:be|get|getting) sued\b",
        ),
        (
            "legal",
            r"\b(?:legal (?:action|proceedings|steps|claim)|law ?suits?|class action"
            r"|small claims|(?:to|in) court(?! (?:street|st|road|rd|shoes?|store|branch|square"
            r"|house|view))|court (?:case|action|order|claim)"
            r"|ombudsm[ae]n|trading standards|better business bureau|attorney general"
            r"|breach of contract|(?:consumer|statutory|my legal) rights|illegal|unlawful)\b",
        ),
        (
            "legal",
            r"\b(?:report (?:you|this|it|them|acme) to|complain to|contact|call|write to|go to"
            r"|escalate (?:this|it) to) (?:the )?(?:\w+ )?(?:regulators?|ombudsm[ae]n|bbb|ftc"
            r"|cfpb|watchdog|consumer protection(?: agency| bureau)?)\b",
        ),
        (
            "account_closure",
            r"\b(?:close|delete|cancel|deactivate|terminate|remove|shut(?: down)?|erase|wipe)"
            r" (?:down )?(?:my|our|the|this|this whole)(?: [\w'-]+){0,2}? (?:accounts?|profiles?"
            r"|memberships?)\b",
        ),
        (
            "account_closure",
            r"\b(?:account (?:closure|deletion|termination)|right to (?:be forgotten|erasure)"
            r"|(?:delete|erase|remove|wipe) (?:all )?(?:of )?my (?:personal )?(?:data|information"
            r"|details|info)|gdpr (?:request|erasure|deletion))\b",
        ),
        (
            "complaint",
            r"\b(?:(?:formal|official|written) complaint|(?:file|lodge|make|raise|submit|register"
            r"|put in|open|escalate) (?:a |an |my )?(?:formal |official )?complaint"
            r"|complaints? (?:department|procedure|process|team)|this is a complaint"
            r"|(?:want|wish|would like|'d like|need) to complain|i(?:'m| am) complaining)\b",
        ),
        (
            "chargeback",
            r"\b(?:charge ?-?backs?|(?:dispute|disputing|reverse|reversing) (?:the |this |that "
            r"|a |my |your )?(?:charges?|payments?|transactions?|purchases?|bills?)"
            r"|(?:file|open|raise|start) (?:a )?(?:dispute|claim) with (?:my |the )?(?:bank|card"
            r"|credit card(?: company)?|paypal|visa|mastercard|amex)"
            r"|(?:unauthori[sz]ed|fraudulent) (?:charges?|transactions?|payments?)"
            r"|paypal (?:dispute|claim))\b",
        ),
    ]
)

# -- BRAND_SAFETY ------------------------------------------------------------------------

#: ``(?<![a-z])(?:f[u*@#]+c?k+[a-z]*|motherf[a-z*]+|…|twats?)(?![a-z])`` with each
#: alternative's first letter taken out front: the pattern opens with a character class,
#: so ``re`` skips to candidate letters in C instead of trying every offset
#: (``(?<![a-z].)`` after the first letter is the ``(?<![a-z])`` before it)
PROFANITY = re.compile(
    r"[fmsbcdgawpt](?<![a-z].)(?:(?<=f)[u*@#]+c?k+[a-z]*|(?<=m)otherf[a-z*]+"
    r"|(?<=s)[h*][i1!*]+t+(?:s|ty|ting|ter|head|hole)?"
    r"|(?<=b)ull ?s[h*][i1!*]+t|(?<=s)hite|(?<=c)rap(?:py|s)?|(?<=d)amn(?:ed|it)?"
    r"|(?<=g)oddamn[a-z]*|(?<=b)itch[a-z]*"
    r"|(?<=b)astards?|(?<=a)(?:ss|rse) ?holes?|(?<=w)tf|(?<=p)iss(?:ed|ing)?|(?<=d)ickheads?"
    r"|(?<=c)unts?|(?<=b)ollocks"
    r"|(?<=w)ank[a-z]*|(?<=t)wats?)(?![a-z])"
)
#: a necessary condition for a PROFANITY match, cheaper to test than the pattern (which
#: tries a match at every f, m, s, b, … of the text): each alternative contains one of
#: these substrings ("hole" of "asshole", "damn" of "goddamn", "bull" of "bull shit")…
_PROFANITY_WORDS = ("motherf", "bull", "crap", "damn", "bitch", "bastard", "hole", "wtf",
                    "piss", "dickhead", "cunt", "bollocks", "wank", "twat")  # fmt: skip
#: … or matches one of these (``f[u*@#]+c?k+…``, ``s[h*][i1!*]+t+…``, ``shite``): each
#: opens with a literal letter, which ``re`` finds by fast search
_PROFANITY_F = re.compile(r"f[u*@#]+c?k")
_PROFANITY_S = re.compile(r"s[h*][i1!*]+t")


def profanity(normalized: str) -> re.Match[str] | None:
    """``PROFANITY.search(normalized)``, skipped when the cheap test above says it cannot
    match (most drafts)."""
    for word in _PROFANITY_WORDS:
        if word in normalized:
            return PROFANITY.search(normalized)
    if _PROFANITY_F.search(normalized) or _PROFANITY_S.search(normalized):
        return PROFANITY.search(normalized)
    return None


_NEG_WORD = (
    r"(?:worst|terrible|awful|useless|a joke|joke|rubbish|garbage|trash|crap|crappy|pathetic"
    r"|incompetent|hopeless|horrible|dreadful|a shambles|shambolic|a disgrace|disgraceful"
    r"|a scam|scam|scammers|frauds|liars|clowns|sucks?|stinks?|lousy|worthless|a rip-?off"
    r"|rip-?off|bad|a nightmare|a waste of (?:money|time))"
)
_INTENSIFIER = (
    r"(?:just|really|truly|simply|so|such|totally|completely|absolutely|utterly|the|a|an"
    r"|pretty|very|an absolute|honestly)"
)
_BRAND_PART = (
    r"(?:customer service|service|support|staff|team|helpers|products?|company|store|shop"
    r"|website|app|people|gear|stuff)"
)


def disparagement(names: Sequence[str]) -> PhraseSet:
    """Patterns for a draft that runs down the tenant's own brand (or "we"/"our")."""
    brand = "|".join(phrase_rx(n) for n in sorted(names, key=len, reverse=True) if phrase_rx(n))
    first_person = rf"(?:we|we're|we are|our {_BRAND_PART})"
    pats: list[tuple[str, str]] = [
        (
            "disparagement",
            rf"\b{first_person}(?: is| are| 're)?(?: {_INTENSIFIER}){{0,3}} {_NEG_WORD}(?![\w'-])",
        ),
        ("disparagement", r"\b(?:shop|buy|order) (?:somewhere else|elsewhere|from a competitor)"),
    ]
    if brand:
        pats += [
            (
                "disparagement",
                rf"(?<![\w'-])(?:{brand})(?:'s)?(?: {_BRAND_PART})?(?: is| are| was| were| 's)?"
                rf"(?: {_INTENSIFIER}){{0,3}} {_NEG_WORD}(?![\w'-])",
            ),
            (
                "disparagement",
                rf"\b(?:hate|avoid|boycott|never (?:buy|shop|order) (?:from|at|with)) (?:{brand})"
                rf"(?![\w'-])",
            ),
            (
                "disparagement",
                rf"(?<![\w'-])(?:{brand})\b[^|]*\b(?:worst|most useless|most pathetic|terrible"
                rf"|awful|useless|pathetic) (?:[\w'-]+ ){{0,2}}(?:company|brand|retailer|store"
                rf"|shop|business|outfit|service)\b",
            ),
        ]
    return PhraseSet(pats, negatable=True, prefilter=_DISPARAGE_CUE)


#: letter-only words of which every disparagement match contains one (a _NEG_WORD, or a
#: word of the "shop elsewhere" / "hate" patterns); see PhraseSet's ``prefilter``
_DISPARAGE_CUE = (
    r"worst|terrible|awful|useless|joke|rubbish|garbage|trash|crap|pathetic|incompetent"
    r"|hopeless|horrible|dreadful|shambles|shambolic|disgrace|scam|frauds|liars|clowns|suck"
    r"|stink|lousy|worthless|rip|bad|nightmare|waste|somewhere|elsewhere|competitor|hate"
    r"|avoid|boycott|never"
)


CREATIVE_REQUEST = PhraseSet(
    [
        (
            "creative_writing",
            r"\b(?:write|compose|make up|create|generate|pen|sing|rap|give|tell|do|make)"
            r"(?: me| us)? (?:a|an|some|another|me a|us a)(?: [\w'-]+){0,3}? (?:poems?|poetry"
            r"|songs?|lyrics|limericks?|haikus?|sonnets?|raps?|verses?|ballads?|jingles?"
            r"|rhymes?|odes?|short story|story|stories|jokes?)\b",
        ),
        (
            "creative_writing",
            r"(?:^|(?<=\| ))(?:(?:a|an|some|another|me a|please)\s+)?(?:[\w'-]+\s+)?"
            r"(?:poem|poetry|song|lyrics"
            r"|limerick|haiku|sonnet|rap|ballad|jingle|ode) (?:about|on|for|describing|mocking"
            r"|roasting|dissing)\b",
        ),
    ]
)
_COMPLIES = re.compile(
    r"\b(?:here(?:'s| is| goes)|as requested|sure|okay|ok|of course)\b[^.!?\n]{0,40}?"
    r"\b(?:poem|song|limerick|haiku|verse|ballad|sonnet|rhyme|ode|jingle|lyrics|story|joke)"
)
_REFUSES = re.compile(
    r"\b(?:can'?t|cannot|can not|won'?t|will not|unable to|not able to|not (?:something|able)"
    r"|i'?m (?:only )?here to help|i'?d rather|not really my|stick to|focus on|i only)\b"
)


def _verse_shape(draft: str) -> bool:
    lines = [ln.strip() for ln in draft.splitlines() if ln.strip()]
    return len(lines) >= 3 and max(len(ln) for ln in lines) <= 90


def answers_creative_request(
    customer: Sequence[str], draft: str, normalised: str | None = None
) -> Hit | None:
    """BRAND_SAFETY's off-task rule: the customer asked for a poem/song/story (in any of
    the ``customer`` messages, raw or prepared) and the draft goes along with it:
    it is verse-shaped, says "here's a poem", or does not decline. ``normalised`` is
    ``normalize(draft)`` when the caller has it."""
    request = next((h for cls in customer if (h := CREATIVE_REQUEST.search(cls))), None)
    if request is None:
        return None
    text = normalize(draft) if normalised is None else normalised
    if _verse_shape(draft) or _COMPLIES.search(text) or not _REFUSES.search(text):
        return request
    return None
