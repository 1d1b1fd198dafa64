"""Library logging: structlog events rendered as JSON onto the stdlib ``guardrail``
loggers, so the host's logging config decides what is shown and where (nothing goes to
stdout). Events carry ids — tenant, conversation, audit id, source version — never the
customer's or the draft's text."""

from __future__ import annotations

import logging
from typing import Any

import structlog

# a library stays quiet unless the host configures logging
logging.getLogger("guardrail").addHandler(logging.NullHandler())

_PROCESSORS: list[Any] = [
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.JSONRenderer(sort_keys=True),
]


class _BoundLogger(structlog.stdlib.BoundLogger):
    """Asks the stdlib logger whether the level is enabled *before* running the
    processors: an event nobody listens to costs ~1 µs instead of ~20 µs (two per check)."""

    def debug(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        if not self._logger.isEnabledFor(logging.DEBUG):
            return None
        return super().debug(event, *args, **kw)

    def info(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        if not self._logger.isEnabledFor(logging.INFO):
            return None
        return super().info(event, *args, **kw)


def get_logger(name: str = "guardrail") -> Any:
    """A structlog logger bound to the stdlib logger ``name``."""
    return structlog.wrap_logger(
        logging.getLogger(name),
        processors=_PROCESSORS,
        wrapper_class=_BoundLogger,
    )
