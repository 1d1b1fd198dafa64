"""Handoff sinks: the JSON webhook against a local HTTP server (success, 5xx then
success, permanent failure, non-retryable 4xx, timeouts, signing), the callback sink,
and failures recorded but never raised out of ``check()``."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from guardrail import Guardrail
from guardrail.errors import ConfigError
from guardrail.models import Action, Decision
from guardrail.routing import (
    CallbackSink,
    HandoffSink,
    RoutingConfig,
    TriggerLayer,
    WebhookSink,
    build_sinks,
)
from guardrail.routing._config import WebhookConfig

from .helpers import RecordingAudit, conversation


class Server:
    """A scripted HTTP server on 127.0.0.1: answers each POST with the next status."""

    def __init__(self, statuses: list[int], delay_s: float = 0.0) -> None:
        self.statuses = list(statuses)
        self.delay_s = delay_s
        self.requests: list[tuple[dict[str, str], bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = server.statuses.pop(0) if server.statuses else 200
                if server.delay_s:
                    time.sleep(server.delay_s)
                self.send_response(status)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/handoff"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def escalation() -> Decision:
    """A real escalated decision (a human was requested) with its handoff."""
    guard = Guardrail(tenant="acme", triggers=TriggerLayer())
    decision = guard.check(conversation("agent!"), {"text": "Hello.", "confidence": 0.9})
    assert decision.action is Action.escalate and decision.handoff is not None
    return decision


async def test_webhook_posts_the_handoff_json(escalation: Decision) -> None:
    """One POST carries the ids, priority, holding message and the full handoff as JSON,
    with the audit id as idempotency key; the success is recorded."""
    audit = RecordingAudit()
    with Server([200]) as srv:
        await WebhookSink(srv.url, audit=audit).deliver(escalation)
    [(headers, body)] = srv.requests
    payload = json.loads(body)
    assert payload["event"] == "guardrail.handoff"
    assert payload["audit_id"] == escalation.audit_id
    assert payload["conversation_id"] == "c-1" and payload["tenant"] == "acme"
    assert payload["priority"] == "high"
    assert payload["handoff"] == escalation.handoff.model_dump(mode="json")  # type: ignore[union-attr]
    assert headers["content-type"] == "application/json"
    assert headers["idempotency-key"] == escalation.audit_id
    assert "x-guardrail-signature" not in headers
    assert audit.deliveries == [(escalation.audit_id, "webhook", True, None)]


async def test_webhook_retries_5xx_then_succeeds(escalation: Decision) -> None:
    """503 and 502 are retried; the third attempt's 200 is recorded as a success."""
    audit = RecordingAudit()
    with Server([503, 502, 200]) as srv:
        await WebhookSink(srv.url, max_attempts=3, audit=audit).deliver(escalation)
    assert len(srv.requests) == 3
    assert len({h["idempotency-key"] for h, _ in srv.requests}) == 1
    assert audit.deliveries == [(escalation.audit_id, "webhook", True, None)]


async def test_webhook_permanent_failure_is_recorded_not_raised(escalation: Decision) -> None:
    """A server that keeps failing gets max_attempts POSTs; the failure is recorded with
    the status and attempt count, and deliver() returns normally."""
    audit = RecordingAudit()
    with Server([500, 500, 500, 500]) as srv:
        await WebhookSink(srv.url, max_attempts=3, audit=audit).deliver(escalation)
    assert len(srv.requests) == 3
    assert audit.deliveries == [
        (escalation.audit_id, "webhook", False, "HTTPStatusError (HTTP 500) after 3 attempts")
    ]


async def test_webhook_client_error_is_not_retried(escalation: Decision) -> None:
    """A 400 is the receiver refusing the payload: one attempt, recorded as failed."""
    audit = RecordingAudit()
    with Server([400, 200]) as srv:
        await WebhookSink(srv.url, max_attempts=3, audit=audit).deliver(escalation)
    assert len(srv.requests) == 1
    assert audit.deliveries[0][2:] == (False, "HTTPStatusError (HTTP 400) after 1 attempt")


async def test_webhook_timeout_is_retried_then_recorded(escalation: Decision) -> None:
    """A server slower than timeout_s times out on each attempt; the failure is recorded."""
    audit = RecordingAudit()
    with Server([200, 200], delay_s=0.5) as srv:
        await WebhookSink(srv.url, timeout_s=0.1, max_attempts=2, audit=audit).deliver(escalation)
    assert len(srv.requests) == 2
    assert audit.deliveries[0][2] is False
    assert audit.deliveries[0][3] == "ReadTimeout after 2 attempts"


async def test_webhook_never_overruns_its_deadline(escalation: Decision) -> None:
    """An attempt still waiting at deadline_s is cut off there (not at timeout_s), and
    the failure is recorded as a missed deadline."""
    audit = RecordingAudit()
    with Server([200], delay_s=3.0) as srv:
        sink = WebhookSink(srv.url, timeout_s=60, deadline_s=0.3, max_attempts=3, audit=audit)
        started = time.monotonic()
        await sink.deliver(escalation)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0  # the server answers after 3 s; the deadline ended it long before
    assert audit.deliveries[0][2] is False
    assert audit.deliveries[0][3] == "DeadlineExceeded after 1 attempt"


async def test_webhook_unreachable_is_recorded(escalation: Decision) -> None:
    """Nothing listening on the port: a connection error, recorded, never raised."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    audit = RecordingAudit()
    sink = WebhookSink(f"http://127.0.0.1:{port}/x", max_attempts=1, audit=audit)
    await sink.deliver(escalation)
    assert audit.deliveries[0][2:] == (False, "ConnectError after 1 attempt")


async def test_webhook_signs_the_body(escalation: Decision) -> None:
    """With a secret, X-Guardrail-Signature is the HMAC-SHA256 of the exact body."""
    with Server([200]) as srv:
        await WebhookSink(srv.url, secret="s3cret").deliver(escalation)
    [(headers, body)] = srv.requests
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["x-guardrail-signature"] == f"sha256={expected}"


async def test_callback_sink_sync_and_async(escalation: Decision) -> None:
    """A plain function and a coroutine function both receive the decision."""
    got: list[str] = []

    async def later(d: Decision) -> None:
        got.append("async:" + d.audit_id)

    await CallbackSink(lambda d: got.append("sync:" + d.audit_id)).deliver(escalation)
    await CallbackSink(later).deliver(escalation)
    assert got == [f"sync:{escalation.audit_id}", f"async:{escalation.audit_id}"]


async def test_callback_failure_is_recorded(escalation: Decision) -> None:
    """An exception in the callback is recorded as a failed delivery, not raised."""
    audit = RecordingAudit()

    def boom(_: Decision) -> None:
        raise RuntimeError("customer text must not leak here")

    await CallbackSink(boom, audit=audit, name="crm").deliver(escalation)
    assert audit.deliveries == [(escalation.audit_id, "crm", False, "RuntimeError")]


async def test_recording_failure_is_swallowed(escalation: Decision) -> None:
    """If even recording the outcome fails, deliver() still returns."""

    class BrokenAudit(RecordingAudit):
        def record_delivery(self, *args: Any) -> None:
            raise OSError("disk full")

    await CallbackSink(lambda d: None, audit=BrokenAudit()).deliver(escalation)


async def test_no_handoff_no_delivery() -> None:
    """A released decision (no handoff) is not delivered."""
    calls: list[Decision] = []
    guard = Guardrail(tenant="acme")
    released = guard.check(conversation("hi"), {"text": "Hello."})
    await CallbackSink(calls.append).deliver(released)
    assert calls == []


def test_sink_failures_never_escape_check() -> None:
    """Through the pipeline, a failing callback and an unreachable webhook leave check()
    returning the escalation, with both failures recorded."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    audit = RecordingAudit()

    def boom(_: Decision) -> None:
        raise ValueError("nope")

    sinks: list[HandoffSink] = [
        CallbackSink(boom, audit=audit),
        WebhookSink(f"http://127.0.0.1:{port}/", max_attempts=1, audit=audit),
    ]
    guard = Guardrail(tenant="acme", triggers=TriggerLayer(), audit=audit, handoff_sinks=sinks)
    decision = guard.check(conversation("get me a human"), {"text": "Hi."})
    assert decision.action is Action.escalate
    assert [(sink, ok) for _, sink, ok, _ in audit.deliveries] == [
        ("callback", False),
        ("webhook", False),
    ]
    assert len(audit.written) == 1


def test_build_sinks_from_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """No webhook configured means no sinks; a webhook with a signing secret from the
    environment builds one; a missing secret variable is a ConfigError naming the key."""
    assert build_sinks(RoutingConfig(), None) == []
    hook = WebhookConfig(url="https://example.invalid/h", secret_env="HANDOFF_SECRET")
    with pytest.raises(ConfigError, match=r"\[routing.webhook\] secret_env"):
        build_sinks(RoutingConfig(webhook=hook), None)
    monkeypatch.setenv("HANDOFF_SECRET", "k")
    [sink] = build_sinks(RoutingConfig(webhook=hook), None)
    assert isinstance(sink, WebhookSink) and sink.url == "https://example.invalid/h"


def test_webhook_url_must_be_http() -> None:
    """A webhook URL that is not http(s) is rejected in config and in code."""
    with pytest.raises(ValueError, match="http"):
        WebhookConfig(url="ftp://x")
    with pytest.raises(ValueError, match="http"):
        WebhookSink("file:///etc/passwd")


def test_webhook_table_in_guardrail_toml(tmp_path: Any) -> None:
    """``[routing.webhook]`` in a tenant file builds a webhook sink; an unknown key in it
    is a ConfigError naming the key."""
    from guardrail.config import load_config

    path = tmp_path / "guardrail.toml"
    path.write_text(
        '[tenant]\nid = "t"\n[routing.webhook]\nurl = "https://h.example/x"\nmax_attempts = 2\n'
    )
    config, _ = load_config(path)
    [sink] = build_sinks(config.routing, None)
    assert isinstance(sink, WebhookSink) and sink.max_attempts == 2
    path.write_text('[tenant]\nid = "t"\n[routing.webhook]\nurl = "https://h/x"\nretries = 2\n')
    with pytest.raises(ConfigError, match=r"\[routing\] webhook.retries: unknown key"):
        load_config(path)


async def test_delivery_logs_carry_ids_not_text(
    escalation: Decision, caplog: pytest.LogCaptureFixture
) -> None:
    """A failed delivery is logged as an error with the audit id and the error type, never
    the exception's text (which could quote the customer)."""

    def boom(_: Decision) -> None:
        raise RuntimeError("my card number is 4111")

    with caplog.at_level("INFO", logger="guardrail.routing"):
        await CallbackSink(boom).deliver(escalation)
    [record] = [r for r in caplog.records if r.name == "guardrail.routing"]
    assert record.levelname == "ERROR"
    event = json.loads(record.getMessage())
    assert event["event"] == "handoff_delivery_failed"
    assert event["audit_id"] == escalation.audit_id and event["error"] == "RuntimeError"
    assert "4111" not in record.getMessage()
