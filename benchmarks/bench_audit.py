"""Audit-store cost on the hot path (target: audit write added to check() <= 0.3 ms p50
with SQLite), and proof that the hallucination sampler adds nothing to check().

    python benchmarks/bench_audit.py [--rounds N]

Prints median and p99 for:
* the store's write alone (redaction + row + one SQLite transaction), on the example
  tenant's real decisions;
* check() on the example tenant without a store, with a SQLite store, and with the
  store and sample_rate = 1.0 — interleaved round by round so machine noise hits all
  three alike;
* PostgreSQL write alone, if GUARDRAIL_TEST_POSTGRES_DSN names a server.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guardrail import Guardrail  # noqa: E402
from guardrail.audit import AuditConfig, PostgresStore, SQLiteStore, SQLStore  # noqa: E402
from guardrail.models import Conversation, Decision, Draft  # noqa: E402
from guardrail.pipeline import parse_inputs  # noqa: E402

ACME = ROOT / "examples" / "acme"


def _quantiles(samples_us: list[float]) -> str:
    ordered = sorted(samples_us)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return f"median {statistics.median(ordered) / 1000:7.3f} ms   p99 {p99 / 1000:7.3f} ms"


def _cases() -> list[tuple[Conversation, Draft]]:
    out = []
    for path in sorted((ACME / "scenarios").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        out.append(parse_inputs(case["conversation"], case["draft"]))
    return out


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - t0) / 1000.0


def bench_write(store: SQLStore, guard: Guardrail, rounds: int) -> list[float]:
    cases = _cases()
    decided: list[tuple[Conversation, Draft, Decision]] = [
        (c, d, guard.check(c, d)) for c, d in cases
    ]
    samples = []
    for i in range(rounds):
        conv, draft, decision = decided[i % len(decided)]
        fresh = decision.model_copy(update={"audit_id": uuid.uuid4().hex})
        samples.append(_time(lambda: store.write(conv, draft, fresh)))  # noqa: B023
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    config = str(ACME / "guardrail.toml")
    bare = Guardrail.from_config(config, audit=None)
    store = SQLiteStore(tmp / "audit.db", "acme", AuditConfig(sample_rate=0.02))
    sampled_store = SQLiteStore(tmp / "sampled.db", "acme", AuditConfig(sample_rate=1.0))
    with_store = Guardrail.from_config(config, audit=store)
    with_sampling = Guardrail.from_config(config, audit=sampled_store)
    cases = _cases()

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rounds} rounds")
    calibration = min(_time(lambda: sum(range(100_000))) for _ in range(20)) / 1000
    print(f"machine speed: sum(range(100_000)) takes {calibration:.2f} ms (a quiet laptop: ~1)")
    for _ in range(200):  # warm up every path
        for guard in (bare, with_store, with_sampling):
            guard.check(*cases[0])

    writes = bench_write(SQLiteStore(tmp / "w.db", "acme"), bare, args.rounds)
    print(f"SQLite write alone            {_quantiles(writes)}")

    timings: dict[str, list[float]] = {"none": [], "sqlite": [], "sqlite+sampling": []}
    for i in range(args.rounds):
        conv, draft = cases[i % len(cases)]
        timings["none"].append(_time(lambda: bare.check(conv, draft)))  # noqa: B023
        timings["sqlite"].append(_time(lambda: with_store.check(conv, draft)))  # noqa: B023
        timings["sqlite+sampling"].append(
            _time(lambda: with_sampling.check(conv, draft))  # noqa: B023
        )
    for name, values in timings.items():
        print(f"check() store={name:<16}{_quantiles(values)}")
    added = statistics.median(timings["sqlite"]) - statistics.median(timings["none"])
    sampling = statistics.median(timings["sqlite+sampling"]) - statistics.median(timings["sqlite"])
    print(f"audit write added to check(): median {added / 1000:+.3f} ms (target <= 0.300)")
    print(f"sampling on vs off:           median {sampling / 1000:+.3f} ms (target ~0)")

    dsn = os.environ.get("GUARDRAIL_TEST_POSTGRES_DSN")
    if dsn:
        bench_postgres(dsn, bare, min(args.rounds, 2000))


def bench_postgres(dsn: str, guard: Guardrail, rounds: int) -> None:
    """PostgreSQL write cost, in a throwaway schema of the given database."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in dsn else "?"
        pg = PostgresStore(f"{dsn}{sep}options=-csearch_path%3D{schema}", "acme")
        print(f"PostgreSQL write alone        {_quantiles(bench_write(pg, guard, rounds))}")
        pg.close()
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
