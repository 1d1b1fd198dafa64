"""Shared fixtures. The autouse ``_no_network`` fixture makes any attempt to reach a
host other than this machine fail the test loudly: no test may call a real model API."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"


class NetworkBlocked(RuntimeError):
    """A test tried to reach the network."""


def _is_local(address: Any) -> bool:
    if isinstance(address, tuple):
        address = address[0]
    if isinstance(address, (str, bytes)):
        host = address.decode() if isinstance(address, bytes) else address
        if host in ("localhost", "") or host.startswith("/"):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX paths and the like


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections and name lookups for anything but loopback."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: Any) -> None:
        if not _is_local(address):
            raise NetworkBlocked(f"test tried to reach {address!r}: no network in tests")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        guard(host if host is not None else "localhost")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def acme_config() -> Path:
    """The example tenant's guardrail.toml."""
    return ACME / "guardrail.toml"
