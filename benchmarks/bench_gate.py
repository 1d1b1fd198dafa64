"""Benchmark: the whole gate on issue 11's two workloads, guardrail alone, no store.

    .venv/bin/python benchmarks/bench_gate.py [--n 3000] [--profile]

* **W1**: a 157-word support reply grounded against the acme golden set (30-day returns,
  15% restocking, free shipping over $50); the reply wrongly says 60 days.
* **W2**: ``refund_order(order_id="A-1", amount_cents=20000, reason_code="damaged")`` on
  an order whose total is 12900 cents: blocked.

Both run through ``check()`` and ``acheck()`` of the acme tenant built from
``examples/acme/guardrail.toml`` with ``audit=None``. ``check()`` and ``acheck()`` samples
are interleaved in chunks so machine drift hits both equally. Prints median and p99 (µs).
``--profile`` adds a cProfile breakdown of W1 per layer (cumulative time of each layer's
entry point and of the modules under it), to see which layer costs what.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import platform
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guardrail import Guardrail

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"

W1_TEXT = (
    "Thanks for reaching out, and I'm sorry the Ridgeline boots did not work out for you. "
    "Here is how our returns work. You have 60 days from delivery to return unworn items, "
    "so there is plenty of time to decide. Please pack the boots in their original box with "
    "the tags attached, print the prepaid label from your account page and drop the parcel "
    "at any carrier location. Once the item reaches our warehouse we inspect it within two "
    "days. A 15% restocking fee applies to opened footwear, and it is deducted from the "
    "refund automatically. If you would rather exchange the boots for another size, just "
    "choose exchange instead of refund when you print the label and we will ship the new "
    "pair as soon as the return is scanned. As a reminder, orders over $50 ship free, so the "
    "replacement pair will not cost you anything extra to send. Let me know if there is "
    "anything else I can help with today."
)
W1 = (
    {"tenant": "acme", "id": "w1", "customer_id": "u-w1", "as_of": "2026-11-20T10:00:00Z",
     "messages": [{"role": "customer", "text": "How do returns work for my boots?"}],
     "context": {"order": {"id": "A-1", "total_cents": 12900, "status": "delivered",
                           "delivered_at": "2026-11-02"}},
     "intent": "returns"},
    {"text": W1_TEXT, "confidence": 0.9},
)  # fmt: skip
W2 = (
    {"tenant": "acme", "id": "w2", "customer_id": "u-w2", "as_of": "2026-11-20T10:00:00Z",
     "messages": [{"role": "customer", "text": "The boots arrived damaged, refund me."}],
     "context": {"order": {"id": "A-1", "total_cents": 12900, "status": "delivered",
                           "delivered_at": "2026-11-02"}},
     "intent": "refunds"},
    {"text": "I've refunded $200.00 to your card.", "confidence": 0.9,
     "tool_calls": [{"name": "refund_order", "arguments": {
         "order_id": "A-1", "amount_cents": 20000, "reason_code": "damaged"}}]},
)  # fmt: skip


def guard() -> Guardrail:
    return Guardrail.from_config(str(ACME / "guardrail.toml"), audit=None)


def chunked(fns: dict[str, Callable[[], object]], n: int, chunk: int) -> dict[str, list[float]]:
    """``n`` samples of each fn, taken ``chunk`` at a time, round-robin across the fns."""
    for fn in fns.values():
        for _ in range(100):
            fn()
    out: dict[str, list[float]] = {k: [] for k in fns}
    while len(next(iter(out.values()))) < n:
        for name, fn in fns.items():
            samples = out[name]
            for _ in range(chunk):
                t0 = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - t0) * 1e6)
    return out


def p50_p99(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(len(s) * 0.99))]


def profile(g: Guardrail, conv: Any, draft: Any, n: int) -> None:
    """cProfile of ``n`` W1 ``check()`` calls, cumulative µs per call of selected entries."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        g.check(conv, draft)
    prof.disable()
    stats = pstats.Stats(prof)
    rows: dict[str, float] = {}
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "guardrail" not in file:
            continue
        key = f"{Path(file).parent.name}/{Path(file).name}:{func}"
        rows[key] = max(rows.get(key, 0.0), ct)
    print("\nW1 check() profile (cProfile on, so ~2-3x slower than above), µs per check:")
    top = sorted(rows.items(), key=lambda kv: -kv[1])[:30]
    for key, ct in top:
        print(f"  {ct / n * 1e6:9.1f}  {key}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    g = guard()
    loop = asyncio.new_event_loop()
    for name, (conv, draft) in (("W1", W1), ("W2", W2)):
        d = g.check(conv, draft)
        print(f"{name}: {d.action.value} {sorted({f.code.value for f in d.findings})}")
    fns: dict[str, Callable[[], object]] = {
        "W1 check()": lambda: g.check(*W1),
        "W1 acheck()": lambda: loop.run_until_complete(g.acheck(*W1)),
        "W2 check()": lambda: g.check(*W2),
        "W2 acheck()": lambda: loop.run_until_complete(g.acheck(*W2)),
    }
    print(f"python {platform.python_version()} on {platform.machine()}, n={args.n}, "
          f"chunks of {args.chunk}, interleaved")  # fmt: skip
    for name, samples in chunked(fns, args.n, args.chunk).items():
        p50, p99 = p50_p99(samples)
        print(f"{name:<14} median {p50:8.1f} µs   p99 {p99:8.1f} µs")
    if args.profile:
        profile(g, *W1, n=1000)
    loop.close()


if __name__ == "__main__":
    main()
