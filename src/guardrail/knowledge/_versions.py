"""Effective-dated versions: the one rule for "what was in force at ``as_of``".

A version is in force from ``effective_from`` (inclusive) to ``effective_to``
(exclusive); ``None`` means open-ended. Dates without a time are midnight UTC.
Versions of one key must not overlap; loading fails if they do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Protocol, TypeVar

from ..errors import ConfigError


class Dated(Protocol):
    @property
    def effective_from(self) -> datetime | None: ...
    @property
    def effective_to(self) -> datetime | None: ...


D = TypeVar("D", bound=Dated)


def as_utc(value: object, *, where: str) -> datetime | None:
    """Parse a front-matter/JSON date (``YYYY-MM-DD`` or ISO timestamp) into UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    else:
        raise ConfigError(f"{where}: expected a date string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


EARLIEST = datetime.min.replace(tzinfo=UTC)


def start_of(item: Dated) -> datetime:
    return item.effective_from or EARLIEST


def in_force(item: Dated, at: datetime) -> bool:
    start, end = item.effective_from, item.effective_to
    return (start is None or start <= at) and (end is None or at < end)


def pick(versions: Sequence[D], at: datetime) -> D | None:
    """The version in force at ``at``, or None."""
    for item in versions:
        if in_force(item, at):
            return item
    return None


def check_no_overlap(versions: Iterable[Dated], *, what: str) -> None:
    """Raise ConfigError naming ``what`` if two versions overlap in time."""
    ordered = sorted(versions, key=start_of)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.effective_to is None or (
            later.effective_from is not None and later.effective_from < earlier.effective_to
        ):
            raise ConfigError(
                f"{what}: versions overlap (one starting {later.effective_from} begins "
                f"before the previous one ends at {earlier.effective_to})"
            )
        if later.effective_from is None:
            raise ConfigError(f"{what}: only the earliest version may omit effective_from")
