"""pytest plugin (entry point ``pytest11``): fixtures for guardrail users' own tests.

* ``assert_tool_blocked(guard, call, context=..., rule=...)`` and
  ``assert_tool_allowed(guard, call, context=...)`` — run one proposed tool call through
  the real gate; on failure the message lists the violations. Also importable from
  ``guardrail.testing._tools``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def assert_tool_blocked() -> Callable[..., Any]:
    """``assert_tool_blocked(guard, call, *, rule=None, context=None, as_of=None, prior=())``."""
    from ._tools import assert_tool_blocked as helper

    return helper


@pytest.fixture
def assert_tool_allowed() -> Callable[..., Any]:
    """``assert_tool_allowed(guard, call, *, context=None, as_of=None, prior=())``."""
    from ._tools import assert_tool_allowed as helper

    return helper
