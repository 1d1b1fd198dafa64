"""Pre-launch evaluation on historical tickets (``guardrail eval``).

Tickets (:func:`load_tickets`) are split into the sealed holdout and the development set
(:func:`in_holdout`), sampled per intent (:func:`stratify`), and :func:`run` scores each
with a judge of another model family (:func:`make_judge`) on five dimensions
(:class:`Scores`) beside the gate's own decision. :func:`summarize` turns the results
into the go/no-go report (:class:`Threshold`, :func:`wilson` intervals) and
:func:`render_html` into one self-contained page. See ``docs/evaluation.md``.
"""

from __future__ import annotations

from ._html import render_html
from ._judge import make_judge
from ._report import Threshold, summarize, wilson
from ._run import run
from ._sample import in_holdout, stratify
from ._score import RunSettings
from ._scores import DIMENSIONS, DimensionScore, Scores
from ._tickets import Ticket, load_tickets

__all__ = [
    "DIMENSIONS",
    "DimensionScore",
    "RunSettings",
    "Scores",
    "Threshold",
    "Ticket",
    "in_holdout",
    "load_tickets",
    "make_judge",
    "render_html",
    "run",
    "stratify",
    "summarize",
    "wilson",
]
