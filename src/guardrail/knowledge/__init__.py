"""The tenant's truth as of a moment: the policy golden set and versioned documents.

Read by every layer: grounding checks claims against it, tool rules see its values as
``policy``, the reviewer is shown the facts in force, routing puts them in the handoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._documents import Document, KnowledgeBase
from ._golden import Bound, Fact, FactSource, GoldenSet, Unit
from ._versions import in_force

__all__ = [
    "Bound",
    "Document",
    "Fact",
    "FactSource",
    "GoldenSet",
    "Knowledge",
    "KnowledgeBase",
    "Unit",
    "in_force",
]


@dataclass(frozen=True)
class Knowledge:
    """The golden set and the knowledge base of one tenant."""

    golden: GoldenSet = field(default_factory=lambda: GoldenSet(()))
    documents: KnowledgeBase = field(default_factory=lambda: KnowledgeBase(()))
