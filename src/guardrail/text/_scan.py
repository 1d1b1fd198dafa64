"""``finditer_at``: a compiled pattern's matches, tried only at candidate positions.

Several claim and clause patterns open with a look-behind or an alternation, so ``re``
attempts them at every offset of the text. When the places where a match *can* start
are cheap to find (a digit run, a month name, a ";"), trying the pattern only there
gives the same matches for a fraction of the work. The equivalence with
``pattern.finditer`` is pinned by a property test (``tests/text/test_scan.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["finditer_at"]


def finditer_at(
    pattern: re.Pattern[str], text: str, positions: Iterable[int]
) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, trying the pattern only at ``positions``.

    Exact when ``positions`` holds every offset at which ``pattern.match(text, offset)``
    succeeds (any superset will do; order and duplicates do not matter) and the pattern
    never matches the empty string: ``finditer`` reports the leftmost match at or after
    the end of the previous one, which is then the first candidate at or after it that
    matches. ``pattern.match(text, at)`` still lets look-behinds see the text before
    ``at``, as ``finditer`` does."""
    found: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for at in sorted(set(positions)):
        if at < end:
            continue
        m = match(text, at)
        if m is not None:
            found.append(m)
            end = m.end()
    return found
