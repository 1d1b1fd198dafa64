"""Grounding latency: a 150-word draft, 10 cited sources, a 100-fact golden set.

Run: ``python benchmarks/bench_grounding.py [N]`` (one core; prints median, p99 and min).
Also prints how the cost grows with draft length and with the golden-set size, and the
sentence splitter compared with pysbd.

The machine is shared, so each table times its cases round-robin (see
:func:`measure_many`), with everything built beforehand. Timed one case after the
other, identical work was measured at different moments: the golden-set rows read up
to ~1.7x the headline case they repeat, and long drafts looked super-linear, while
interleaved they agree (per-word cost at ``min`` falls with length). ``min`` is the
least noisy column; a median is only comparable within one run of this script. The
headline also times the same calls by the thread's CPU clock: on a shared virtual
machine the wall-clock median includes time the process spent descheduled.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from guardrail.grounding import GroundingLayer, split_sentences
from guardrail.knowledge import Fact, GoldenSet, Knowledge, KnowledgeBase
from guardrail.models import SourceRef

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)

SENTENCES = [
    "Thanks for getting in touch about your Ridgeline hiking boots, order A-1001.",
    "Unworn items in their original packaging can be returned within 30 days of delivery.",
    "Your boots were delivered on November 2, so you still have time to send them back.",
    "Once we receive them, your refund of $129.00 arrives within 5 business days.",
    "Return shipping within the US is free, and the prepaid label is in your confirmation.",
    "If you would rather swap sizes, exchanges are open for 45 days after delivery.",
    "Opened electronics carry a 15% restocking fee, but that does not apply to boots.",
    "Orders of $50 or more ship free, and standard delivery takes up to 5 business days.",
    "Summit Rewards members earn 2 points per dollar, so this order earned you points.",
    "All Acme gear is covered against manufacturing defects for 12 months from delivery.",
    "If the price drops within 14 days of purchase, we refund the difference as credit.",
    "Let me know if there is anything else I can help with today.",
]
CONTEXT = {
    "order": {
        "id": "A-1001",
        "total_cents": 12900,
        "status": "delivered",
        "delivered_at": "2026-11-02",
    }
}


def draft(words: int) -> str:
    out: list[str] = []
    i = 0
    while sum(len(s.split()) for s in out) < words:
        out.append(SENTENCES[i % len(SENTENCES)])
        i += 1
    return " ".join(out)


def knowledge(n_facts: int) -> Knowledge:
    golden = GoldenSet.load(ACME / "policies.json")
    facts = golden.all_facts()
    for i in range(max(0, n_facts - len(facts))):
        facts.append(
            Fact(
                key=f"synthetic_{i}",
                value=i + 1,
                unit="day",
                topic=(f"topic{i}", f"synthetic clause {i}"),
                source={"id": "synthetic", "version": "1"},
            )
        )  # type: ignore[arg-type]
    return Knowledge(GoldenSet(facts[:n_facts]), KnowledgeBase.load(ACME / "knowledge"))


def sources(k: Knowledge) -> list[SourceRef]:
    kb = k.documents
    docs = [kb.in_force(i, NOW) for i in kb.ids()]
    return [SourceRef(id=d.id, version=d.version) for d in docs if d is not None]


Stats = tuple[float, float, float]


def measure(fn: Callable[[], object], n: int) -> Stats:
    """``(median, p99, min)`` in ms of ``n`` timed calls (after a warm-up, GC paused)."""
    return measure_many({"": fn}, n)[""]


def measure_many(
    cases: dict[str, Callable[[], object]], n: int, cpu: dict[str, Stats] | None = None
) -> dict[str, Stats]:
    """Like :func:`measure` for several cases, timed round-robin (one call of each case
    per round) so that every case sees the same machine: measured one after the other,
    later cases pay for whatever load arrives later (the machine is shared), and the
    table no longer compares like with like. With ``cpu``, each case's stats by the
    thread's CPU clock go there too (the same calls: time descheduled left out)."""
    for fn in cases.values():
        for _ in range(min(200, n)):
            fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    runs = [(fn, times[name], cpus[name]) for name, fn in cases.items()]
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    gc.collect()
    gc.disable()
    try:
        for _ in range(n):
            for fn, out, out_cpu in runs:
                c0 = cpu_clock()
                t0 = clock()
                fn()
                t1 = clock()
                out_cpu.append((cpu_clock() - c0) / 1e6)
                out.append((t1 - t0) / 1e6)
    finally:
        gc.enable()
    if cpu is not None:
        cpu.update({name: _stats(ts) for name, ts in cpus.items()})
    return {name: _stats(ts) for name, ts in times.items()}


def _stats(ts: list[float]) -> Stats:
    ts.sort()
    return (statistics.median(ts), ts[int(0.99 * (len(ts) - 1))], ts[0])


def checker(layer: GroundingLayer, text: str, srcs: list[SourceRef]) -> Callable[[], object]:
    """One grounding check, the same call shape for every case of every table."""

    def run() -> object:
        return layer.check(text, as_of=NOW, sources=srcs, context=CONTEXT)

    return run


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rows = max(300, n // 4)
    k100 = knowledge(100)
    layer = GroundingLayer(k100)
    srcs = sources(k100)
    text = draft(150)
    run = checker(layer, text, srcs)
    found = run()
    # everything a table times is built before any timing starts
    drafts = {words: draft(words) for words in (50, 150, 300, 600, 1200)}
    layers = {}
    for facts in (20, 100, 1_000, 10_000):
        kk = knowledge(facts)
        layers[facts] = (len(kk.golden), GroundingLayer(kk), sources(kk))

    calib = min(timeit.repeat("sum(range(10**6))", number=3, repeat=5)) / 3 * 1000
    print(f"python {sys.version.split()[0]}; {n} runs (tables: {rows} rounds); times in ms")
    print(
        f"machine: sum(range(10**6)) = {calib:.1f} ms (an idle modern core: ~8-10 ms); "
        f"load average {load():.2f} on {os.cpu_count()} cores"
    )
    print(
        f"target: 150 words, {len(srcs)} cited sources, {len(k100.golden)} facts "
        f"({len(text.split())} words, {len(found)} findings)"
    )
    cpu: dict[str, Stats] = {}
    p50, p99, best = measure_many({"": run}, n, cpu)[""]
    print(
        f"  grounding check         median {p50:.3f}  p99 {p99:.3f}  min {best:.3f}"
        "   (target 0.5 / 2.0)"
    )
    p50, p99, best = cpu[""]
    print(f"    same calls, CPU clock median {p50:.3f}  p99 {p99:.3f}  min {best:.3f}")

    print("draft length (100 facts, 10 sources; cases interleaved):")
    by_length = measure_many({str(w): checker(layer, t, srcs) for w, t in drafts.items()}, rows)
    for words, t in drafts.items():
        p50, p99, best = by_length[str(words)]
        per_word = best / len(t.split()) * 1000
        print(
            f"  {words:>5} words            median {p50:.3f}  p99 {p99:.3f}  min {best:.3f}"
            f"  ({per_word:.2f} us/word at min)"
        )

    print("golden-set size (150 words, 10 sources; cases interleaved):")
    by_size = measure_many(
        {str(f): checker(lay, text, s) for f, (_, lay, s) in layers.items()}, rows
    )
    for facts, (size, _, _) in layers.items():
        p50, p99, best = by_size[str(facts)]
        print(f"  {size:>6} facts           median {p50:.3f}  p99 {p99:.3f}  min {best:.3f}")

    print("sentence splitting of the 150-word draft:")
    p50, p99, _ = measure(lambda: split_sentences(text), n)
    print(f"  regex splitter          median {p50:.3f}  p99 {p99:.3f}")
    try:
        import pysbd
    except ImportError:  # pragma: no cover
        print("  pysbd                   not installed")
    else:
        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        p50, p99, _ = measure(lambda: seg.segment(text), max(50, n // 30))
        print(f"  pysbd                   median {p50:.3f}  p99 {p99:.3f}")
    print(f"load average at the end: {load():.2f}")


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


if __name__ == "__main__":
    main()
