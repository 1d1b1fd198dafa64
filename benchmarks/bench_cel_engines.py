"""Compare CEL engines on one three-clause rule (the measurement behind docs/tools.md).

Runs whichever of ``cel`` (common-expression-language), ``celpy`` (cel-python) and
``cel_expr_python`` (cel-expr-python) are importable; the others are skipped. Prints the
median and p99 per evaluation, (a) converting the variables each time and (b) with the
variables converted once (how the gate uses ``cel``: one context per check).

    python benchmarks/bench_cel_engines.py
    # to compare, in a scratch venv: pip install common-expression-language cel-python
    #                                 cel-expr-python
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

RULE = (
    "args.amount_cents > 0 && args.amount_cents <= context.order.total_cents"
    " && context.order.status == 'delivered'"
)
DATA: dict[str, Any] = {
    "args": {"order_id": "A-1001", "amount_cents": 12900, "reason_code": "damaged"},
    "context": {
        "order": {
            "id": "A-1001",
            "total_cents": 12900,
            "status": "delivered",
            "delivered_at": "2026-11-02",
        }
    },
    "policy": {"return_window_days": 30, "store_credit_cap_cents": 20000},
    "now": datetime(2026, 11, 20, 10, tzinfo=UTC),
}


def measure(fn: Callable[[], object], n: int = 2000) -> tuple[float, float]:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def engines() -> dict[str, Callable[[], object]]:
    found: dict[str, Callable[[], object]] = {}
    try:
        import cel

        prog = cel.compile(RULE)
        ctx = cel.Context(DATA)
        found["cel, convert each time"] = lambda: prog.execute(cel.Context(DATA))
        found["cel, context reused"] = lambda: prog.execute(ctx)
    except ImportError:
        pass
    try:
        import celpy

        env = celpy.Environment()
        runner = env.program(env.compile(RULE))

        def activation() -> dict[str, Any]:
            act = {k: celpy.json_to_cel(v) for k, v in DATA.items() if k != "now"}
            act["now"] = celpy.celtypes.TimestampType(DATA["now"])
            return act

        reused = activation()
        found["cel-python, convert each time"] = lambda: runner.evaluate(activation())
        found["cel-python, activation reused"] = lambda: runner.evaluate(reused)
    except ImportError:
        pass
    try:
        from cel_expr_python import cel as cxp

        types = dict.fromkeys(DATA, cxp.Type.DYN) | {"now": cxp.Type.TIMESTAMP}
        env2 = cxp.NewEnv(variables=types)
        expr = env2.compile(RULE)
        act2 = env2.Activation(DATA)
        found["cel-expr-python, convert each time"] = lambda: expr.eval(data=DATA).value()
        found["cel-expr-python, activation reused"] = lambda: expr.eval(act2).value()
    except ImportError:
        pass
    return found


def main() -> None:
    for name, fn in engines().items():
        assert bool(fn()) is True, name
        med, p99 = measure(fn)
        print(f"{name:40s} median {med:8.1f} µs   p99 {p99:8.1f} µs")


if __name__ == "__main__":
    main()
