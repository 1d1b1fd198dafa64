"""Handoff sinks: where an escalation's handoff goes besides the audit store's queue
(which the store fills itself inside ``write``).

A sink never raises out of ``deliver``: every outcome, success or failure, is recorded
with ``audit.record_delivery`` when the sink has a store, and logged (ids only). A sink
failure can therefore never turn into an exception out of ``check()``, nor into a
release — the decision is already an escalation when a sink sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import httpx2

from .._log import get_logger
from .._retry import retry_after_seconds, retry_call, transient_status
from ..errors import ConfigError
from ..models import Decision
from ._config import RoutingConfig

if TYPE_CHECKING:
    from ..audit import AuditStore

__all__ = ["CallbackSink", "HandoffSink", "WebhookSink", "build_sinks", "webhook_payload"]

log = get_logger("guardrail.routing")

Callback = Callable[[Decision], Awaitable[None] | None]


@runtime_checkable
class HandoffSink(Protocol):
    """Where an escalation's handoff goes (a callback, a webhook…). ``deliver`` must not
    raise: the pipeline awaits it after the audit write, outside any error boundary."""

    async def deliver(self, decision: Decision) -> None: ...


class _Sink:
    """Shared delivery bookkeeping: run ``_send``, record and log the outcome."""

    name: str
    audit: AuditStore | None

    async def _send(self, decision: Decision) -> int:  # returns attempts
        raise NotImplementedError

    async def deliver(self, decision: Decision) -> None:
        if decision.handoff is None:
            return
        ids = {
            "tenant": decision.tenant,
            "conversation_id": decision.conversation_id,
            "audit_id": decision.audit_id,
            "sink": self.name,
        }
        try:
            attempts = await self._send(decision)
        except Exception as exc:  # a sink never raises: record the failure instead
            error = _describe(exc)
            log.error("handoff_delivery_failed", error=error, **ids)
            self._record(decision, ok=False, error=error)
            return
        log.info("handoff_delivered", attempts=attempts, **ids)
        self._record(decision, ok=True, error=None)

    def _record(self, decision: Decision, *, ok: bool, error: str | None) -> None:
        if self.audit is None:
            return
        try:
            self.audit.record_delivery(decision.audit_id, self.name, ok, error)
        except Exception as exc:
            log.error(
                "handoff_delivery_record_failed",
                audit_id=decision.audit_id,
                sink=self.name,
                error=type(exc).__name__,
            )


class CallbackSink(_Sink):
    """Call ``fn(decision)`` (sync or async) for every escalation. Pass the guard's audit
    store as ``audit`` to have outcomes recorded there; an exception from ``fn`` is
    recorded and logged, never raised."""

    def __init__(
        self, fn: Callback, *, audit: AuditStore | None = None, name: str = "callback"
    ) -> None:
        self.fn = fn
        self.audit = audit
        self.name = name

    async def _send(self, decision: Decision) -> int:
        result = self.fn(decision)
        if inspect.isawaitable(result):
            await result
        return 1


class _Attempt(Exception):
    """Carries the attempt count out of a failed delivery."""

    def __init__(self, cause: BaseException, attempts: int) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.attempts = attempts


class WebhookSink(_Sink):
    """POST :func:`webhook_payload` as JSON to ``url``. Each attempt has ``timeout_s``;
    connection errors, timeouts, 408/425/429 and 5xx are retried by the project's retry
    policy (honouring ``Retry-After``) up to ``max_attempts`` and ``deadline_s``; other
    4xx fail at once. With a ``secret`` the body is signed:
    ``X-Guardrail-Signature: sha256=<hex HMAC of the body>``. Retries carry the same
    ``Idempotency-Key`` (the audit id) so the receiver can de-duplicate."""

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 5.0,
        max_attempts: int = 3,
        deadline_s: float = 10.0,
        secret: str | None = None,
        headers: Mapping[str, str] | None = None,
        audit: AuditStore | None = None,
        name: str = "webhook",
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("webhook url must be http:// or https://")
        self.url = url
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.deadline_s = deadline_s
        self._secret = secret.encode() if secret else None
        self.headers = dict(headers or {})
        self.audit = audit
        self.name = name
        self._transport = transport
        self._ssl: ssl.SSLContext | None = None  # built once: ~0.1 s per client otherwise

    def _headers(self, body: bytes, decision: Decision) -> dict[str, str]:
        headers = {
            **self.headers,
            "Content-Type": "application/json",
            "Idempotency-Key": decision.audit_id,
            "User-Agent": "guardrail-handoff",
        }
        if self._secret is not None:
            digest = hmac.new(self._secret, body, hashlib.sha256).hexdigest()
            headers["X-Guardrail-Signature"] = f"sha256={digest}"
        return headers

    async def _send(self, decision: Decision) -> int:
        body = json.dumps(webhook_payload(decision), separators=(",", ":")).encode()
        headers = self._headers(body, decision)
        tries = 0

        if self._ssl is None:
            self._ssl = httpx2.create_ssl_context()
        async with httpx2.AsyncClient(
            verify=self._ssl,
            timeout=httpx2.Timeout(self.timeout_s),
            transport=self._transport,
            follow_redirects=False,
        ) as client:

            async def attempt() -> None:
                nonlocal tries
                tries += 1
                response = await client.post(self.url, content=body, headers=headers)
                response.raise_for_status()

            try:
                _, attempts = await retry_call(
                    attempt,
                    max_attempts=self.max_attempts,
                    deadline_s=self.deadline_s,
                    is_transient=_transient,
                    retry_after=_retry_after,
                )
            except Exception as exc:
                raise _Attempt(exc, tries) from exc
        return attempts


def webhook_payload(decision: Decision) -> dict[str, Any]:
    """The JSON a webhook receives: ids, priority, holding message and the handoff."""
    handoff = decision.handoff
    return {
        "event": "guardrail.handoff",
        "tenant": decision.tenant,
        "conversation_id": decision.conversation_id,
        "audit_id": decision.audit_id,
        "action": decision.action.value,
        "priority": handoff.priority if handoff is not None else None,
        "holding_message": decision.holding_message,
        "handoff": handoff.model_dump(mode="json") if handoff is not None else None,
    }


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx2.HTTPStatusError):
        return transient_status(exc.response.status_code)
    return isinstance(
        exc, (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
    )


def _retry_after(exc: BaseException) -> float | None:
    if not isinstance(exc, httpx2.HTTPStatusError):
        return None
    return retry_after_seconds(exc.response.headers)


def _describe(exc: BaseException) -> str:
    """A short, text-free description: exception type, HTTP status, attempts."""
    attempts = None
    if isinstance(exc, _Attempt):
        attempts, exc = exc.attempts, exc.cause
    text = type(exc).__name__
    if isinstance(exc, httpx2.HTTPStatusError):
        text += f" (HTTP {exc.response.status_code})"
    if attempts is not None:
        text += f" after {attempts} attempt{'s' if attempts != 1 else ''}"
    return text


def build_sinks(config: RoutingConfig, audit: AuditStore | None) -> list[HandoffSink]:
    """The sinks ``[routing.webhook]`` configures (none by default)."""
    hook = config.webhook
    if hook is None:
        return []
    secret = None
    if hook.secret_env is not None:
        secret = os.environ.get(hook.secret_env)
        if not secret:
            raise ConfigError(
                f"[routing.webhook] secret_env: environment variable {hook.secret_env} is not set"
            )
    return [
        WebhookSink(
            hook.url,
            timeout_s=hook.timeout_s,
            max_attempts=hook.max_attempts,
            deadline_s=hook.deadline_s,
            secret=secret,
            audit=audit,
        )
    ]
