"""The no-network guard the pytest plugin ships (``guardrail_no_network``), which
tests/conftest.py turns on for every test."""

from __future__ import annotations

import asyncio
import socket

import pytest

from guardrail.testing import NetworkBlocked, no_network

pytest_plugins = ["pytester"]


def test_reaching_a_real_host_fails_loudly() -> None:
    """A connection to a public address raises instead of leaving the machine."""
    with pytest.raises(NetworkBlocked), socket.create_connection(("api.anthropic.com", 443)):
        pass


def test_a_public_ip_literal_is_refused_before_any_lookup() -> None:
    """Connecting to a public IP address (no name to look up) is refused too."""
    sock = socket.socket()
    try:
        with pytest.raises(NetworkBlocked):
            sock.connect(("93.184.216.34", 443))
        with pytest.raises(NetworkBlocked):
            sock.connect_ex(("93.184.216.34", 443))
    finally:
        sock.close()


async def test_asyncio_connections_are_refused() -> None:
    """An asyncio connection (what the provider SDKs use) to a real host is refused."""
    with pytest.raises(NetworkBlocked):
        await asyncio.open_connection("api.openai.com", 443)


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


def test_the_guard_restores_the_socket_functions() -> None:
    """Leaving ``no_network()`` puts back exactly the functions that were there."""
    before = (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)
    with no_network():
        assert socket.getaddrinfo is not before[2]
    assert (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo) == before


def test_the_plugin_fixture_is_opt_in(pytester: pytest.Pytester) -> None:
    """In a user's suite the guard is off until a test (or an autouse fixture) asks for
    ``guardrail_no_network``; with it, a real host is refused."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        import socket

        import pytest

        from guardrail.testing import NetworkBlocked


        def test_off():
            assert socket.getaddrinfo.__module__ == "socket"


        def test_on(guardrail_no_network):
            with pytest.raises(NetworkBlocked):
                socket.getaddrinfo("example.com", 443)
        """
    )
    # a separate process: this session's own autouse guard is on in this one
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
