"""Every verdict of the last landing, kept (issue 11: faster without changing a finding).

``tests/pinned/verdicts.jsonl.gz`` holds ~3,000 drafts over six tenants (the dev split
of the corpus, the example scenarios, and seeded variants of them: numbers changed,
sentences dropped or recombined, currencies and units swapped, trigger messages) with
the action and findings the gate gave them when the file was written by
``tests/pinned/make.py``. A change that alters any of them fails here, naming the
drafts. Regenerate only for an intended change of semantics, and say which verdicts
moved and why in the commit.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from guardrail import Guardrail

from .pinned.make import verdict

ROOT = Path(__file__).resolve().parents[1]
PINNED = ROOT / "tests" / "pinned" / "verdicts.jsonl.gz"


def _rows() -> list[dict[str, Any]]:
    with gzip.open(PINNED, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


ROWS = _rows()
TENANTS = sorted({row["tenant"] for row in ROWS})


@cache
def _gate(config: str) -> Guardrail:
    return Guardrail.from_config(str(ROOT / config), audit=None)


def _diffs(rows: list[dict[str, Any]], *, use_async: bool = False) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        gate = _gate(row["config"])
        if use_async:
            decision = asyncio.run(gate.acheck(row["conversation"], row["draft"]))
        else:
            decision = gate.check(row["conversation"], row["draft"])
        got = verdict(decision)
        if got != row["verdict"]:
            out.append(
                f"#{i} {row['conversation']['id']}: {row['draft'].get('text', '')[:120]!r}\n"
                f"   pinned {row['verdict']}\n   now    {got}"
            )
    return out


def test_the_pinned_set_is_large_and_varied() -> None:
    """The pin covers thousands of drafts, both actions and every common code."""
    codes = {json.loads(f)["code"] for r in ROWS for f in r["verdict"]["findings"]}
    assert len(ROWS) >= 3000
    assert {r["verdict"]["action"] for r in ROWS} >= {"release", "escalate"}
    assert {"POLICY_CONTRADICTION", "UNSUPPORTED_CLAIM", "UNBACKED_COMMITMENT"} <= codes
    assert {"BRAND_SAFETY", "TOOL_POLICY_VIOLATION", "STALE_SOURCE"} <= codes


@pytest.mark.parametrize("tenant", TENANTS)
def test_every_pinned_verdict_is_unchanged(tenant: str) -> None:
    """check() gives each pinned draft exactly the action and findings it had."""
    rows = [row for row in ROWS if row["tenant"] == tenant]
    diffs = _diffs(rows)
    assert not diffs, f"{len(diffs)} of {len(rows)} verdicts changed:\n" + "\n".join(diffs[:8])


def test_acheck_agrees_with_the_pinned_verdicts() -> None:
    """acheck() gives the same verdicts as check() (every 15th pinned draft)."""
    rows = ROWS[::15]
    diffs = _diffs(rows, use_async=True)
    assert not diffs, f"{len(diffs)} of {len(rows)} verdicts changed:\n" + "\n".join(diffs[:8])
