"""Benchmark: the whole gate on issue 11's workloads, guardrail alone, no store.

    .venv/bin/python benchmarks/bench_gate.py [--n 3000] [--profile]
    .venv/bin/python benchmarks/bench_gate.py --compare /tmp/base/src [--n 2000]

* **W1**: a 157-word support reply grounded against the acme golden set (30-day returns,
  15% restocking, free shipping over $50); the reply wrongly says 60 days.
* **W2**: ``refund_order(order_id="A-1", amount_cents=20000, reason_code="damaged")`` on
  an order whose total is 12900 cents: blocked.
* **W2t**: W2's tool call with an empty reply text: what the agent-framework hooks
  (``check_tool_call``) send, and what the peers' W2 checks.
* **DEMO**: the demo's scenario mix (``examples/acme/scenarios``, 34 cases): each sample is
  one check of the next scenario in turn, so the median is the mix's median check.
* **W3**: a production-size tool call: ``change_flight`` with ten rules (three need the
  CEL engine) on a ~50 KB context (a customer profile with 40 bookings, a reservation,
  20 flights), through the whole gate.

All run through ``check()`` and ``acheck()`` of the acme tenant built from
``examples/acme/guardrail.toml`` with ``audit=None``. ``check()`` and ``acheck()`` samples
are interleaved in chunks so machine drift hits both equally. Prints median and p99 (µs).
``--profile`` adds a cProfile breakdown of W1 per layer (cumulative time of each layer's
entry point and of the modules under it), to see which layer costs what.

``--compare TREE`` is the A/B method: two worker processes, one importing ``guardrail``
from ``TREE`` (e.g. the last landing's ``src``) and one from this checkout (or from
``$BENCH_B_TREE``), take the
samples in alternating chunks (A, B, A, B, … per workload) so load on a shared machine
hits both alike; it prints each side's median and p99, the ratio B/A of the medians and
the load average before and after. ``--clock cpu`` times each sample by the worker's
CPU time instead of the wall clock (on a loaded machine: leaves out time descheduled).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from guardrail import Guardrail
from guardrail.tools import ToolSpec

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


W3_RULES = [
    "args.reservation_id == context.reservation.id",
    "context.reservation.status == 'confirmed'",
    "args.flight_id != context.reservation.flight_id",
    "args.cabin == 'economy' || args.cabin == 'business'",
    "context.customer.id == conversation.customer_id",
    "context.flights.exists(f, f.id == args.flight_id && f.status == 'scheduled')",
    "context.flights.exists(f, f.id == args.flight_id && f.fares[args.cabin] > 0)",
    "context.customer.gift_card_cents >= 0",
    "args.passengers == context.reservation.passengers",
    "context.flights.all(f, f.fares.economy > 0)",
]
W3_SPEC: dict[str, Any] = {
    "name": "change_flight",
    "parameters": {
        "type": "object",
        "properties": {
            "reservation_id": {"type": "string"},
            "flight_id": {"type": "string"},
            "cabin": {"type": "string"},
            "passengers": {"type": "integer"},
        },
    },
    "policy": [{"id": f"r{i}", "rule": r, "message": "x"} for i, r in enumerate(W3_RULES)],
}
W3_CONTEXT: dict[str, Any] = {
    "customer": {
        "id": "u-w3", "membership": "gold", "gift_card_cents": 50000,
        "history": [{"booking": f"B-{i}", "note": "x" * 500} for i in range(40)],
    },
    "reservation": {
        "id": "R-1", "flight_id": "SW101", "cabin": "economy", "passengers": 2,
        "booked_at": "2026-11-19T12:00:00Z", "status": "confirmed",
    },
    "flights": [
        {"id": f"SW{100 + i}", "origin": "JFK", "destination": "SFO",
         "departs_at": f"2026-12-{1 + i % 28:02d}T08:00:00Z",
         "status": "scheduled" if i % 7 else "cancelled",
         "fares": {"economy": 24900 + 100 * i, "business": 89900 + 100 * i},
         "notes": "fare rules: " + "y" * 1200,
         "aircraft": {"type": "A321", "rows": 30, "layout": "3-3"}}
        for i in range(20)
    ],
}  # fmt: skip
W3 = (
    {"tenant": "acme", "id": "w3", "customer_id": "u-w3", "as_of": "2026-11-20T10:00:00Z",
     "messages": [{"role": "customer", "text": "Please move me to the SW102 flight."}],
     "context": W3_CONTEXT, "intent": "change_flight"},
    {"text": "Done: you are now on flight SW102.", "confidence": 0.9,
     "tool_calls": [{"name": "change_flight", "arguments": {
         "reservation_id": "R-1", "flight_id": "SW102", "cabin": "economy",
         "passengers": 2}}]},
)  # fmt: skip
W2T = (W2[0], {**W2[1], "text": ""})  # the tool call alone: what the agent-SDK hooks send
WORKLOADS = {"W1": W1, "W2": W2, "W2t": W2T, "W3": W3}
SCENARIOS = ACME / "scenarios"


def demo_mix() -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """The demo's scenarios as (conversation, draft, expected action), in file order."""
    out = []
    for path in sorted(SCENARIOS.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        out.append((case["conversation"], case["draft"], case["expect"]["action"]))
    return out


def guard() -> Guardrail:
    """The acme tenant, no audit store, plus W3's ``change_flight`` spec."""
    g = Guardrail.from_config(str(ACME / "guardrail.toml"), audit=None)
    g.tools.add(ToolSpec.from_dict(W3_SPEC), source="bench_gate:W3")
    return g


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


def entry_points(g: Guardrail, loop: asyncio.AbstractEventLoop) -> dict[str, Callable[[], object]]:
    """``"W1 check()"`` … ``"W3 acheck()"``: one call of each workload and entry point."""
    fns: dict[str, Callable[[], object]] = {}
    for name, (conv, draft) in WORKLOADS.items():
        fns[f"{name} check()"] = partial(g.check, conv, draft)
        fns[f"{name} acheck()"] = partial(_run, loop, g, conv, draft)
    mix = [(conv, draft) for conv, draft, _ in demo_mix()]
    sync, asyn = itertools.cycle(mix), itertools.cycle(mix)
    fns["DEMO check()"] = lambda: g.check(*next(sync))
    fns["DEMO acheck()"] = lambda: _run(loop, g, *next(asyn))
    return fns


def _run(loop: asyncio.AbstractEventLoop, g: Guardrail, conv: Any, draft: Any) -> object:
    return loop.run_until_complete(g.acheck(conv, draft))


def verdicts(g: Guardrail) -> list[str]:
    out = []
    for name, (conv, draft) in WORKLOADS.items():
        d = g.check(conv, draft)
        out.append(f"{name}: {d.action.value} {sorted({f.code.value for f in d.findings})}")
    mix = demo_mix()
    wrong = [i for i, (c, d, want) in enumerate(mix) if g.check(c, d).action.value != want]
    out.append(f"DEMO: {len(mix) - len(wrong)}/{len(mix)} scenarios as expected")
    if wrong:
        raise SystemExit(f"demo scenarios {wrong} give an unexpected action: not timing them")
    return out


def worker(clock: Callable[[], float]) -> None:
    """``--worker``: read ``<entry point>\t<count>`` lines, answer each with a JSON list
    of that many samples (µs); the first line answered is the verdicts."""
    g = guard()
    loop = asyncio.new_event_loop()
    fns = entry_points(g, loop)
    for fn in fns.values():
        for _ in range(100):
            fn()
    print(json.dumps(verdicts(g)), flush=True)
    for line in sys.stdin:
        name, count = line.rstrip("\n").split("\t")
        fn = fns[name]
        samples = []
        for _ in range(int(count)):
            t0 = clock()
            fn()
            samples.append((clock() - t0) * 1e6)
        print(json.dumps(samples), flush=True)


def compare(tree: str, n: int, chunk: int, only: list[str], clock: str) -> None:
    """Interleaved A/B: ``tree`` (A) against this checkout (B), chunk by chunk."""
    here = os.environ.get("BENCH_B_TREE") or str(Path(__file__).resolve().parents[1] / "src")
    procs = {}
    for side, path in (("A", tree), ("B", here)):
        env = {**os.environ, "PYTHONPATH": path}
        procs[side] = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--clock", clock], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
    heads = {side: json.loads(p.stdout.readline()) for side, p in procs.items()}  # type: ignore[union-attr]
    for side, path in (("A", tree), ("B", here)):
        print(f"{side} = {path}: {'; '.join(heads[side])}")
    if heads["A"] != heads["B"]:
        print("!! the two trees give different verdicts")
    load0 = os.getloadavg()
    names = [f"{w} {e}" for w in only for e in ("check()", "acheck()")]
    samples: dict[tuple[str, str], list[float]] = {(s, k): [] for s in procs for k in names}
    while len(samples[("B", names[-1])]) < n:
        for name in names:
            for side, p in procs.items():
                p.stdin.write(f"{name}\t{chunk}\n")  # type: ignore[union-attr]
                p.stdin.flush()  # type: ignore[union-attr]
                samples[(side, name)] += json.loads(p.stdout.readline())  # type: ignore[union-attr]
    for p in procs.values():
        p.stdin.close()  # type: ignore[union-attr]
        p.wait()
    load1 = os.getloadavg()
    print(f"python {platform.python_version()}, n={n} per side, chunks of {chunk}, {clock} "
          f"clock, load average {load0[0]:.2f} -> {load1[0]:.2f}")  # fmt: skip
    print(f"{'':14} {'A p50':>9} {'A p99':>9} {'B p50':>9} {'B p99':>9}  B/A p50")
    for name in names:
        a50, a99 = p50_p99(samples[("A", name)])
        b50, b99 = p50_p99(samples[("B", name)])
        print(f"{name:<14} {a50:9.1f} {a99:9.1f} {b50:9.1f} {b99:9.1f}  {b50 / a50:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--compare", metavar="TREE", help="A/B against guardrail in TREE")
    parser.add_argument("--only", default="W1,W2,W2t,W3,DEMO", help="workloads (comma-separated)")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall",
        help="--compare: wall clock, or this process's CPU time (leaves out descheduled time)",
    )  # fmt: skip
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(time.perf_counter if args.clock == "wall" else time.process_time)
    if args.compare:
        return compare(args.compare, args.n, args.chunk, args.only.split(","), args.clock)
    g = guard()
    loop = asyncio.new_event_loop()
    for line in verdicts(g):
        print(line)
    wanted = args.only.split(",")
    fns = {k: fn for k, fn in entry_points(g, loop).items() if k.split()[0] in wanted}
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
