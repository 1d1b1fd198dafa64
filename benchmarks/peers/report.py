"""The tables ``run.py`` prints: p50/p99 per implementation, ratios, the issue's targets."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from run import Impl, Worker

WORKLOADS = ("W1", "W2", "noop")
# the rows every ratio is taken against; always run
REFERENCE = ("baseline", "guardrail-acheck", "guardrail-check")


def p50_p99(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(len(s) * 0.99))]


def fmt_us(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def fmt_ratio(num: float | None, den: float | None) -> str:
    if num is None or den is None or den <= 0:
        return "–"
    r = num / den
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def _short(ref: str) -> str:
    variant = ref.split("-")[1]
    return "acheck() on the call alone" if variant == "hook" else f"{variant}()"


def report(
    impls: list[Impl],
    workers: list[Worker],
    problems: dict[str, str],
    samples: dict[str, dict[str, list[float]]],
    imports: dict[str, float | None],
) -> dict[str, Any]:
    by_name = {w.impl.name: w for w in workers}
    stats: dict[str, dict[str, tuple[float, float]]] = {
        name: {wl: p50_p99(s) for wl, s in per.items()}
        for name, per in samples.items()
        if name not in problems
    }

    def p50(name: str, wl: str) -> float | None:
        return stats.get(name, {}).get(wl, (None, None))[0]

    label = {
        i.name: i.label.replace("{v}", by_name[i.name].ready.get("version", "") or "?")
        if i.name in by_name
        else i.label.replace(" {v}", "")
        for i in impls
    }
    width = max(len(v) for v in label.values())
    print("\np50 / p99 µs per call; no-op: the framework's path with a guard that always passes")
    head = ("W1 p50", "W1 p99", "W2 p50", "W2 p99", "no-op p50", "p99")
    print(
        f"{'implementation':<{width}} | "
        + " ".join(f"{h:>9}" for h in head)
        + f" | {'import s':>8} | {'RSS MB':>6}"
    )
    for impl in impls:
        if impl.name in problems:
            print(f"{label[impl.name]:<{width}} | {problems[impl.name]}")
            continue
        row = stats[impl.name]
        cells = [fmt_us(v) for wl in WORKLOADS for v in row[wl]]
        imp = imports.get(impl.name)
        rss = by_name[impl.name].ready["rss_kb"] / 1024
        imp_s = "–" if imp is None else f"{imp:.2f}"
        print(
            f"{label[impl.name]:<{width}} | "
            + " ".join(f"{c:>9}" for c in cells)
            + f" | {imp_s:>8} | {rss:>6.0f}"
        )
    print("\np50 ratios: implementation ÷ reference (> 1: slower than the reference)")
    print(
        f"{'implementation':<{width}} | {'W1÷acheck':>9} {'W2÷acheck':>9} | {'W1÷check':>8} "
        f"{'W2÷check':>8} | {'W1÷plain':>8} {'W2÷plain':>8}"
    )
    for impl in impls:
        if impl.name in problems:
            continue
        n = impl.name
        cells = [
            fmt_ratio(p50(n, wl), p50(ref, wl))
            for ref in REFERENCE[1:] + REFERENCE[:1]
            for wl in ("W1", "W2")
        ]
        print(
            f"{label[n]:<{width}} | {cells[0]:>9} {cells[1]:>9} | {cells[2]:>8} {cells[3]:>8} "
            f"| {cells[4]:>8} {cells[5]:>8}"
        )
    peers = [i.name for i in impls if i.venv is not None and i.name in stats]
    print("\nissue 11 targets: fastest peer's p50 ÷ guardrail's p50 >= 6× (W1), >= 40× (W2)")
    for wl in ("W1", "W2"):
        timed = sorted((v, n) for n in peers if (v := p50(n, wl)) is not None)
        if timed:
            fastest, who = timed[0]
            refs = [*REFERENCE[1:], *(["guardrail-hook"] if "guardrail-hook" in stats else [])]
            ahead = ", ".join(f"{_short(ref)} {fmt_ratio(fastest, p50(ref, wl))}" for ref in refs)
            print(f"{wl}: fastest peer {label[who]} {fmt_us(fastest)} µs; ÷ guardrail {ahead}")
    return {
        "implementations": {
            i.name: {
                "label": i.label,
                "status": problems.get(i.name, "ok"),
                "version": by_name[i.name].ready.get("version") if i.name in by_name else None,
                "rss_mb": by_name[i.name].ready["rss_kb"] / 1024 if i.name in by_name else None,
                "import_s": imports.get(i.name),
                "workloads": {
                    wl: {"p50_us": v[0], "p99_us": v[1], "n": len(samples[i.name][wl])}
                    for wl, v in stats.get(i.name, {}).items()
                },
            }
            for i in impls
        }
    }
