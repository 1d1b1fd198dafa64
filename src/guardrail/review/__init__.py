"""Layer 2 — the QA review by a second model."""

from __future__ import annotations

from ._config import ReviewConfig

__all__ = ["ReviewConfig"]
