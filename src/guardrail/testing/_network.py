"""The no-network guard: while it is on, connecting to (or looking up) any host other
than this machine raises :class:`NetworkBlocked`, so a test can never reach a real model
API by accident. Loopback, ``localhost`` and Unix sockets stay reachable (the
``FakeProvider`` and a local database listen there).

Use it as the pytest fixture ``guardrail_no_network`` (opt in for a whole suite with an
autouse fixture in ``conftest.py``), or as a context manager::

    with no_network():
        ...
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["NetworkBlocked", "is_local", "no_network"]


class NetworkBlocked(RuntimeError):
    """Code under test tried to reach a host other than this machine."""


def is_local(address: Any) -> bool:
    """Whether a socket address (or host name) stays on this machine."""
    if isinstance(address, tuple):
        address = address[0]
    if isinstance(address, str | bytes):
        host = address.decode() if isinstance(address, bytes) else address
        if host in ("localhost", "") or host.startswith("/"):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX paths and the like


def _guard(address: Any) -> None:
    if not is_local(address):
        raise NetworkBlocked(f"tried to reach {address!r}: the network is blocked in tests")


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse connections and name lookups for anything but loopback while inside."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        _guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        _guard(host if host is not None else "localhost")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo
