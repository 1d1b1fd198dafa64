"""SDK clients per running event loop: sharded, and closed when that loop shuts down.

* **Per loop.** An SDK client pools connections, and pooled connections belong to the
  event loop that opened them. ``Guardrail.check`` runs each check in a fresh loop
  (``asyncio.run``) while a server runs every ``acheck`` on one long-lived loop, so the
  clients are kept per loop: a server reuses its connections for the life of the loop,
  and nothing leaks when a short-lived loop ends — a tiny async generator, registered
  with the loop, closes them when ``asyncio.run`` (or ``asyncio.Runner``) finalises
  async generators. :meth:`ClientPool.aclose` closes them explicitly.
* **Sharded.** httpcore's connection pool scans every connection on every request, so
  one client carrying hundreds of concurrent requests (HTTP/1.1: one connection each)
  spends quadratic CPU. A lease goes to the least-busy client; a new client is made
  when every one already carries ``per_client`` requests. The clients share one TLS
  context.
* **Platform resolved once.** An SDK client resolves the platform it reports in its
  ``X-Stainless-*`` headers on its first request, in a worker thread — and every
  request that starts before that thread returns starts one more. A burst of concurrent
  reviews on freshly made shards would queue hundreds of threads; the reviewers resolve
  the platform once, at construction, and hand it to each client they make.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import ssl
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")

__all__ = ["ClientPool", "preset_platform", "resolve_platform", "shared_ssl_context"]


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verified TLS context for every client (loading the CA bundle costs ~50 ms;
    the SDKs would otherwise load it once per client)."""
    return ssl.create_default_context()


def resolve_platform(sdk: str) -> object | None:
    """The platform an SDK client would resolve on its first request, via the SDK's
    private ``_base_client.get_platform``; None if a release moved it (clients then
    resolve it themselves, as before)."""
    try:
        platform: object = importlib.import_module(f"{sdk}._base_client").get_platform()
        return platform
    except (ImportError, AttributeError):
        return None


def preset_platform(client: object, platform: object | None) -> None:
    """Give a new SDK client the platform its first request would otherwise resolve in a
    worker thread (a no-op without a platform, or for a client with no such slot)."""
    if platform is not None and getattr(client, "_platform", False) is None:
        client._platform = platform  # type: ignore[attr-defined]


@dataclass
class _Shard(Generic[C]):
    client: C
    busy: int = 0


async def _keeper(close: Callable[[], Awaitable[None]]) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await close()


class ClientPool(Generic[C]):
    """``async with pool.lease() as client`` → a client of the running loop."""

    def __init__(
        self,
        factory: Callable[[], C],
        close: Callable[[C], Awaitable[None]],
        *,
        per_client: int = 32,
        max_clients: int = 64,
    ) -> None:
        self._factory = factory
        self._close = close
        self.per_client = per_client
        self.max_clients = max_clients
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[list[_Shard[C]], AsyncGenerator[None, None]]
        ] = weakref.WeakKeyDictionary()

    async def _shards(self) -> list[_Shard[C]]:
        loop = asyncio.get_running_loop()
        entry = self._by_loop.get(loop)
        if entry is None:
            shards: list[_Shard[C]] = []
            keeper = _keeper(lambda: self._close_all(shards))
            entry = self._by_loop[loop] = (shards, keeper)
            await keeper.asend(None)  # started inside this loop: the loop now tracks it
        return entry[0]

    async def _close_all(self, shards: list[_Shard[C]]) -> None:
        taken = list(shards)
        shards.clear()
        for shard in taken:
            await self._close(shard.client)

    @contextlib.asynccontextmanager
    async def lease(self) -> AsyncIterator[C]:
        shards = await self._shards()
        shard = min(shards, key=lambda s: s.busy, default=None)
        if shard is None or (shard.busy >= self.per_client and len(shards) < self.max_clients):
            shard = _Shard(self._factory())
            shards.append(shard)
        shard.busy += 1
        try:
            yield shard.client
        finally:
            shard.busy -= 1

    def clients(self) -> int:
        """How many clients the running loop has (for tests and benchmarks)."""
        entry = self._by_loop.get(asyncio.get_running_loop())
        return len(entry[0]) if entry else 0

    async def aclose(self) -> None:
        """Close the running loop's clients now (a later lease makes new ones)."""
        entry = self._by_loop.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry[1].aclose()
