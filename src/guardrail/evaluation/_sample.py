"""Which tickets are scored: the sealed holdout and the stratified sample.

* **Holdout**: a ticket is in the holdout when the SHA-256 of its id, read as a number,
  falls in the lowest ``fraction`` (10%) of the range. It depends on the id alone, so
  it is the same across runs, machines, seeds and ticket files.
* **Stratified sample**: per intent, at most ``per_intent`` tickets drawn with a
  ``random.Random(seed)``; an intent with fewer tickets is kept whole.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence

from ._tickets import Ticket

__all__ = ["HOLDOUT_FRACTION", "in_holdout", "split", "stratify"]

HOLDOUT_FRACTION = 0.10
_SPACE = 1 << 64


def in_holdout(ticket_id: str, fraction: float = HOLDOUT_FRACTION) -> bool:
    """Whether a ticket id belongs to the sealed holdout (stable: a hash of the id)."""
    digest = hashlib.sha256(ticket_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") < fraction * _SPACE


def split(tickets: Sequence[Ticket], *, holdout: bool) -> list[Ticket]:
    """The holdout tickets (``holdout=True``) or the development ones."""
    return [t for t in tickets if in_holdout(t.id) is holdout]


def stratify(tickets: Sequence[Ticket], per_intent: int | None, seed: int) -> list[Ticket]:
    """At most ``per_intent`` tickets per intent (rare intents whole), reproducible from
    ``seed``; the result keeps the input order."""
    if per_intent is None:
        return list(tickets)
    by_intent: dict[str, list[int]] = defaultdict(list)
    for index, ticket in enumerate(tickets):
        by_intent[ticket.intent].append(index)
    rng = random.Random(seed)
    chosen: set[int] = set()
    for intent in sorted(by_intent):
        indices = by_intent[intent]
        chosen.update(indices if len(indices) <= per_intent else rng.sample(indices, per_intent))
    return [t for i, t in enumerate(tickets) if i in chosen]
