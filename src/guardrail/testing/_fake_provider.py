"""A loopback fake model provider: a real HTTP/1.1 server on 127.0.0.1 that speaks the
Anthropic Messages (``POST …/messages``) and OpenAI Chat Completions
(``POST …/chat/completions``) wire formats, scripted per request.

The real SDK clients talk to it through ``base_url``, so tests exercise the whole path —
request building, HTTP, status handling, parsing — without reaching the internet::

    with FakeProvider(Step.rate_limited(retry_after=0.01), Step.answer("approve")) as fake:
        reviewer = AnthropicReviewer("claude-x", api_key="test", base_url=fake.url)
        ...
        fake.assert_done()
        assert "<untrusted-" in fake.requests[0].prompt_text

It runs an asyncio server on its own thread (so sync code, ``asyncio.run`` and the CLI
can reach it) and keeps connections alive; one instance serves hundreds of concurrent
requests. Each request takes the next scripted :class:`Step`; when the script is empty
it takes ``default``, or, without one, answers HTTP 400 and :meth:`assert_done` fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
from collections import deque
from typing import Any, Literal

from ._fake_wire import ReceivedRequest, Step, completion, error_body, head

__all__ = ["FakeProvider", "ReceivedRequest", "Step"]


class FakeProvider:
    """The loopback fake provider server. ``url`` is the ``base_url`` for either SDK."""

    def __init__(self, *steps: Step, default: Step | None = None) -> None:
        self._steps: deque[Step] = deque(steps)
        self.default = default
        self.requests: list[ReceivedRequest] = []
        self.unscripted = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- scripting --------------------------------------------------------------------

    def script(self, *steps: Step) -> FakeProvider:
        """Queue more steps (one per request, in order)."""
        with self._lock:
            self._steps.extend(steps)
        return self

    @property
    def url(self) -> str:
        if not self.port:
            raise RuntimeError("the fake provider is not running (use it as a context manager)")
        return f"http://127.0.0.1:{self.port}"

    def assert_done(self) -> None:
        """Fail if scripted steps are left or a request arrived with nothing scripted."""
        with self._lock:
            left, extra = len(self._steps), self.unscripted
        if left or extra:
            raise AssertionError(
                f"fake provider: {left} scripted step(s) unused, {extra} unscripted request(s)"
            )

    def _next(self) -> Step | None:
        with self._lock:
            if self._steps:
                return self._steps.popleft()
            if self.default is None:
                self.unscripted += 1
            return self.default

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> FakeProvider:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="guardrail-fake-provider", daemon=True
        )
        self._thread.start()
        if not ready.wait(5.0) or not self.port:
            raise RuntimeError("the fake provider did not start")
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5.0)
        self._loop = self._thread = None
        self.port = 0

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeProvider:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=2048, limit=1 << 22)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            self._server.close()
            for task in list(self._handlers):
                task.cancel()
            if self._handlers:
                loop.run_until_complete(asyncio.wait(list(self._handlers)))
            loop.run_until_complete(self._server.wait_closed())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            ready.set()
            loop.close()

    # -- HTTP ---------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while await self._one(reader, writer):
                pass
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serve one request; False when the connection is to be closed."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return False
        line, *lines = head.decode("latin-1").split("\r\n")
        _method, path, _version = [*line.split(" ", 2), "", ""][:3]
        headers = {}
        for item in lines:
            key, sep, value = item.partition(":")
            if sep:
                headers[key.strip().lower()] = value.strip()
        raw = await reader.readexactly(int(headers.get("content-length", "0") or 0))
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        path = path.split("?", 1)[0]
        provider: Literal["anthropic", "openai", "unknown"] = (
            "anthropic"
            if path.endswith("/messages")
            else "openai"
            if path.endswith("/chat/completions")
            else "unknown"
        )
        self.requests.append(ReceivedRequest(provider, path, headers, body))
        if provider == "unknown":
            await self._send(writer, 404, {"error": {"message": f"no route {path}"}})
            return True
        step = self._next()
        if step is None:
            message = "fake provider: no step scripted for this request"
            await self._send(writer, 400, error_body(provider, "invalid_request_error", message))
            return True
        if step.latency:
            await asyncio.sleep(step.latency)
        return await self._play(step, provider, body, writer)

    async def _play(
        self, step: Step, provider: str, body: dict[str, Any], writer: asyncio.StreamWriter
    ) -> bool:
        if step.kind == "hang":
            await asyncio.Event().wait()  # until the client gives up or the server stops
            return False
        if step.kind == "status":
            extra = {}
            if step.retry_after is not None:
                extra["retry-after"] = f"{step.retry_after:g}"
            kind = "rate_limit_error" if step.status == 429 else "api_error"
            error = error_body(provider, kind, f"fake HTTP {step.status}")
            await self._send(writer, step.status, error, extra)
            return True
        if step.kind == "non_json":
            page = b"<html><body>502 Bad Gateway</body></html>"
            await self._send_bytes(writer, 200, page, "text/html")
            return True
        if step.kind == "prose":
            await self._send(
                writer, 200, completion(provider, body, step, str(step.payload), next(self._ids))
            )
            return True
        payload = completion(provider, body, step, None, next(self._ids))
        if step.kind == "truncated":
            data = json.dumps(payload).encode()
            writer.write(head(200, len(data), "application/json") + data[: len(data) // 2])
            await writer.drain()
            return False
        await self._send(writer, 200, payload)
        return True

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        payload: object,
        extra: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        await self._send_bytes(writer, status, data, "application/json", extra)

    async def _send_bytes(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        data: bytes,
        content_type: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        writer.write(head(status, len(data), content_type, extra) + data)
        await writer.drain()


def main(argv: list[str] | None = None) -> None:
    """Run a fake provider in its own process (benchmarks: no GIL shared with the client):
    ``python -m guardrail.testing._fake_provider --latency 1.0`` prints its URL on one
    line and answers every request with ``--verdict`` until stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="guardrail's loopback fake provider")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before answering")
    parser.add_argument("--verdict", default="approve", choices=["approve", "rewrite", "escalate"])
    args = parser.parse_args(argv)
    step = Step.answer(args.verdict, latency=args.latency)
    with FakeProvider(default=step) as fake:
        print(fake.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
