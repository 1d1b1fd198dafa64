"""The no-network fixture itself."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkBlocked


def test_reaching_a_real_host_fails_loudly() -> None:
    """A connection to a public address raises instead of leaving the machine."""
    with pytest.raises(NetworkBlocked), socket.create_connection(("api.anthropic.com", 443)):
        pass


def test_loopback_is_allowed() -> None:
    """Servers the tests start on 127.0.0.1 stay reachable."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
    finally:
        server.close()
