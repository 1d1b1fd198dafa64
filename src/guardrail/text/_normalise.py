"""Normalisation: the forms of a text the patterns of each caller run on.

* :func:`normalize` — NFKC, lower case, curly quotes and dashes straightened (the routing
  triggers' form); :func:`normalize` with ``straighten=APOSTROPHES`` straightens only
  apostrophes (the commitment scan's form: its excerpts keep dashes and double quotes).
  Both keep one character per character for almost all text; NFKC may change lengths.
* :func:`words` — lower-cased alphanumeric words joined by single spaces (the topic-word
  form of grounding).
* :func:`flat` — bare words between spaces (forbidden phrases), :func:`clean` —
  punctuation other than apostrophes and word-joining hyphens as spaces (clauses).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["APOSTROPHES", "STRAIGHTEN", "clean", "flat", "normalize", "words"]

#: curly quotes, backticks and dashes → their ASCII forms
STRAIGHTEN: Final = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-"}
)
#: apostrophe look-alikes only
APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def normalize(text: str, straighten: dict[int, str] = STRAIGHTEN) -> str:
    """Lower-case, NFKC, and the ``straighten`` table applied (no other change)."""
    if text.isascii() and (straighten is STRAIGHTEN or straighten is APOSTROPHES):
        # the common case, without the two passes: NFKC leaves ASCII text as it is, and
        # the backtick is the one ASCII character either table changes
        return (text.replace("`", "'") if "`" in text else text).lower()
    return unicodedata.normalize("NFKC", text).translate(straighten).lower()


_WORD: Final = re.compile(r"[a-z0-9]+")


def words(text: str) -> str:
    """Lower-cased alphanumeric words joined by single spaces (the topic-word form)."""
    return " ".join(_WORD.findall(text.lower()))


_NOT_WORD = re.compile(r"[^a-z0-9'\-\s|]+")
#: apostrophes and hyphens that join no two words: ``(?<![a-z0-9])['-]+|['-]+(?![a-z0-9])``
#: with the first mark taken out of both branches, so that the pattern opens with a
#: character class (``re`` then skips to candidates in C instead of trying every offset)
_LONE_MARKS = re.compile(r"['\-](?:(?<![a-z0-9].)['\-]*|['\-]*(?![a-z0-9]))")


#: bytes.translate table: each ASCII character ``_NOT_WORD`` matches → a space
_WORD_BYTES: Final = bytes(
    b if b >= 128 or _NOT_WORD.match(chr(b)) is None else 32 for b in range(256)
)


def clean(piece: str) -> str:
    """A normalised piece of text as single-spaced words: punctuation other than
    apostrophes and word-joining hyphens (and the clause separator ``|``) → spaces."""
    if piece.isascii():
        # ``_NOT_WORD.sub`` in C, one space per character instead of one per run: the
        # marks ``_LONE_MARKS`` looks at keep the same neighbours (a space or not), and
        # the last line makes every run of spaces one
        piece = piece.encode("ascii").translate(_WORD_BYTES).decode("ascii")
    else:
        piece = _NOT_WORD.sub(" ", piece)
    if "'" in piece or "-" in piece:  # (every match of ``_LONE_MARKS`` opens with one)
        piece = _LONE_MARKS.sub(" ", piece)
    return " ".join(piece.split())  # = re.sub(r"\s+", " ", piece).strip()


#: bytes.translate table: a-z and 0-9 kept, every other byte → space
_ALNUM: Final = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))


def flat(text: str, normalised: str | None = None) -> str:
    """``text`` as bare words: every run of non-letters/digits is one space (and one at
    each end). ``normalised`` is ``normalize(text)`` when the caller has it."""
    if normalised is None:
        normalised = normalize(text)
    # = " " + re.sub("[^a-z0-9]+", " ", normalised).strip() + " ", in C: each non-ASCII
    # character is encoded as one "?", then every byte but a-z and 0-9 becomes a space
    ascii_ = normalised.encode("ascii", "replace").translate(_ALNUM).decode("ascii")
    return " " + " ".join(ascii_.split()) + " "
