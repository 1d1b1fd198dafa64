"""pytest plugin (entry point ``pytest11``): fixtures for guardrail users' own tests.

* ``guardrail_no_network`` — while a test runs, connecting to or looking up any host but
  this machine raises :class:`~guardrail.testing.NetworkBlocked` (loopback stays open for
  ``FakeProvider`` and local databases). Opt in per test, or for a whole suite::

      # conftest.py
      @pytest.fixture(autouse=True)
      def _no_network(guardrail_no_network: None) -> None: ...

* ``assert_tool_blocked(guard, call, context=..., rule=...)`` and
  ``assert_tool_allowed(guard, call, context=...)`` — run one proposed tool call through
  the real gate; on failure the message lists the violations. Also importable from
  ``guardrail.testing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._network import no_network


@pytest.fixture
def guardrail_no_network() -> Iterator[None]:
    """Refuse connections and name lookups for anything but loopback during the test."""
    with no_network():
        yield


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
