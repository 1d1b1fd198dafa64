"""Dump the whole decision of every pinned draft, for a byte-for-byte comparison of two
trees (stricter than ``tests/test_pinned_verdicts.py``, which checks the action and the
findings without their prose: this includes messages, evidence and the handoff package).

    PYTHONPATH=/path/to/old/src python tests/pinned/dump.py /tmp/old.jsonl
    PYTHONPATH=src python tests/pinned/dump.py /tmp/new.jsonl
    cmp /tmp/old.jsonl /tmp/new.jsonl && echo IDENTICAL

Only fields that differ between two runs of the same tree (ids, timings) are dropped.
A pure speed change must leave the two files identical.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PINNED = ROOT / "tests" / "pinned" / "verdicts.jsonl.gz"
#: what differs between two runs of one tree
VOLATILE = frozenset(
    {"audit_id", "decision_id", "id", "created_at", "latency_ms", "timings", "elapsed_ms"}
    | {"duration_ms", "at", "timestamp"}
)


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def main(out_path: str) -> None:
    import guardrail
    from guardrail import Guardrail

    print(f"guardrail from {guardrail.__file__}", file=sys.stderr)
    gates: dict[str, Guardrail] = {}
    with gzip.open(PINNED, "rt", encoding="utf-8") as rows, open(out_path, "w") as out:
        for line in rows:
            row = json.loads(line)
            config = row["config"]
            if config not in gates:
                gates[config] = Guardrail.from_config(str(ROOT / config), audit=None)
            decision = gates[config].check(row["conversation"], row["draft"])
            out.write(json.dumps(scrub(decision.model_dump(mode="json")), sort_keys=True) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: dump.py OUT.jsonl")
    main(sys.argv[1])
