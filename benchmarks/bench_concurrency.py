"""Concurrency: N concurrent ``acheck()`` calls with a PostgreSQL store and a 50 ms tool
handler finish in about 50 ms plus the gate's CPU, not N x 50 ms (the store and sync
handlers never run on the event loop).

    GUARDRAIL_TEST_POSTGRES_DSN=postgresql://… python benchmarks/bench_concurrency.py \\
        [--checks 200] [--rounds 3] [--sqlite]

For a sync handler (``time.sleep``, in the handler pool) and an async one
(``asyncio.sleep``) it prints the per-check latency median and p99 and the wall time of
the whole burst, next to the gate's CPU alone (the same checks with a 0 ms handler, one
after another) — wall ≈ 50 ms + CPU is the target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guardrail import Action, Guardrail  # noqa: E402
from guardrail.audit import PostgresStore, SQLiteStore, SQLStore  # noqa: E402
from guardrail.config import ToolsConfig  # noqa: E402
from guardrail.knowledge import GoldenSet, Knowledge  # noqa: E402
from guardrail.tools import load_tools_layer  # noqa: E402

ACME = ROOT / "examples" / "acme"
HANDLER_S = 0.05


def _case() -> tuple[dict[str, Any], dict[str, Any]]:
    path = next((ACME / "scenarios").glob("08-*.json"))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data["conversation"], data["draft"]


def _guard(store: SQLStore, kind: str) -> Guardrail:
    knowledge = Knowledge(golden=GoldenSet.load(ACME / "policies.json"))
    tools = load_tools_layer(ToolsConfig(schemas="tool_schemas"), ACME, knowledge)
    guard = Guardrail(tenant="acme", knowledge=knowledge, tools=tools, audit=store)
    if kind == "sync":

        def refund(**args: Any) -> dict[str, str]:
            time.sleep(HANDLER_S)
            return {"status": "refunded"}

        guard.tool("refund_order")(refund)
    elif kind == "async":

        async def arefund(**args: Any) -> dict[str, str]:
            await asyncio.sleep(HANDLER_S)
            return {"status": "refunded"}

        guard.tool("refund_order")(arefund)
    else:
        guard.tool("refund_order")(lambda **args: {"status": "refunded"})
    return guard


async def _burst(guard: Guardrail, n: int) -> tuple[list[float], float]:
    conv, draft = _case()

    async def one() -> float:
        t0 = time.perf_counter()
        decision = await guard.acheck(conv, draft)
        assert decision.action is Action.release, decision.findings
        return (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    lat = await asyncio.gather(*(one() for _ in range(n)))
    return list(lat), (time.perf_counter() - t0) * 1000


async def _serial_cpu(guard: Guardrail, n: int) -> float:
    conv, draft = _case()
    t0 = time.perf_counter()
    for _ in range(n):
        await guard.acheck(conv, draft)
    return (time.perf_counter() - t0) * 1000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    dsn = os.environ.get("GUARDRAIL_TEST_POSTGRES_DSN")
    tmp = tempfile.mkdtemp()
    if args.sqlite or not dsn:
        print("store: SQLite (set GUARDRAIL_TEST_POSTGRES_DSN for PostgreSQL)")
        store: SQLStore = SQLiteStore(Path(tmp) / "audit.db", "acme")
    else:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in dsn else "?"
        store = PostgresStore(f"{dsn}{sep}options=-csearch_path%3D{schema}", "acme")
        print(f"store: PostgreSQL (schema {schema}, dropped at the end)")
    try:
        cpu_guard = _guard(store, "none")
        asyncio.run(_serial_cpu(cpu_guard, 20))  # warm-up
        cpu = statistics.median(
            asyncio.run(_serial_cpu(cpu_guard, args.checks)) for _ in range(args.rounds)
        )
        print(f"gate CPU, {args.checks} checks one after another (0 ms handler): {cpu:.0f} ms")
        for kind in ("async", "sync"):
            guard = _guard(store, kind)
            walls: list[float] = []
            lats: list[float] = []
            for _ in range(args.rounds):
                lat, wall = asyncio.run(_burst(guard, args.checks))
                walls.append(wall)
                lats += lat
            print(
                f"{kind:>5} 50 ms handler, {args.checks} concurrent acheck(): "
                f"per-check median {statistics.median(lats):.0f} ms, p99 {_p(lats, 0.99):.0f} ms; "
                f"wall median {statistics.median(walls):.0f} ms (target ~ {HANDLER_S * 1000:.0f}"
                f" + {cpu:.0f} ms; serial would be {args.checks * HANDLER_S * 1000:.0f} ms)"
            )
    finally:
        store.close()
        if not (args.sqlite or not dsn):
            import psycopg

            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
