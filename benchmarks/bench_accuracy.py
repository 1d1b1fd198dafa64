"""Accuracy of grounding and the commitment scan on the labelled corpus (issue 10).

Run: ``python benchmarks/bench_accuracy.py [--split dev|test|both] [--show-failures]``

Every tenant under ``tests/corpus/*/`` (``guardrail.toml`` + ``cases.jsonl``) is built
with ``Guardrail.from_config(path, audit=None)`` as configured (no QA reviewer) and every
case is checked. A case is **stopped** when grounding, or the commitment scan
(``UNBACKED_COMMITMENT`` from the tools layer), raised a blocking finding; other tools and
routing findings do not count. It is stopped **by the right code** when one of its
labelled ``codes`` is among those findings.

Printed per split, overall, per tenant and per class, each with a 95% Wilson interval:
* ``stopped``: the share of wrong cases (``expect: stop``) stopped;
* ``right code``: the share of wrong cases stopped by one of their labelled codes;
* ``false esc.``: the share of correct cases (``expect: release``) stopped.

The split is stable: a case is ``dev`` iff the first 8 hex digits of sha256(id) are < 70
modulo 100, else ``test``. Tune on ``dev`` only: ``--show-failures`` prints the dev
split's failures and refuses to print any test-split case (the test split is sealed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def split_of(case_id: str) -> str:
    """``dev`` (70%) or the sealed ``test`` (30%), by a stable hash of the case id."""
    return "dev" if int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 100 < 70 else "test"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of k successes in n trials."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Result:
    """One case's outcome (never printed for the test split)."""

    tenant: str
    id: str
    cls: str
    expect: str
    codes: list[str]
    split: str
    got: list[dict[str, Any]]
    text: str

    @property
    def stopped(self) -> bool:
        return bool(self.got)

    @property
    def right_code(self) -> bool:
        return any(f["code"] in self.codes for f in self.got)


@dataclass
class Tally:
    wrong: int = 0
    stopped: int = 0
    right: int = 0
    correct: int = 0
    escalated: int = 0

    def add(self, r: Result) -> None:
        if r.expect == "stop":
            self.wrong += 1
            self.stopped += r.stopped
            self.right += r.right_code
        else:
            self.correct += 1
            self.escalated += r.stopped

    def rates(self) -> dict[str, tuple[int, int]]:
        return {
            "stopped": (self.stopped, self.wrong),
            "right code": (self.right, self.wrong),
            "false esc.": (self.escalated, self.correct),
        }


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def tally(self, split: str, key: str | None = None, value: str | None = None) -> Tally:
        t = Tally()
        for r in self.results:
            if r.split == split and (key is None or getattr(r, key) == value):
                t.add(r)
        return t


def tenants(corpus: Path = CORPUS) -> list[Path]:
    return sorted(
        p
        for p in corpus.iterdir()
        if (p / "guardrail.toml").is_file() and (p / "cases.jsonl").is_file()
    )


def _counted(finding: Any) -> bool:
    """Grounding's blocking findings, and the commitment scan's."""
    if not finding.severity.blocks:
        return False
    layer = finding.layer.value
    return layer == "grounding" or (
        layer == "tools" and finding.code.value == "UNBACKED_COMMITMENT"
    )


def _what(ev: dict[str, Any]) -> object:
    """The claim text(s) or excerpt a finding points at."""
    if "claim" in ev:
        return ev["claim"]
    if "claims" in ev:
        return [c.get("claim") for c in ev["claims"]]
    return ev.get("excerpt")


def run(splits: tuple[str, ...], corpus: Path = CORPUS) -> Report:
    """Check every case of the given splits of every tenant."""
    from guardrail import Guardrail

    report = Report()
    for folder in tenants(corpus):
        gate = Guardrail.from_config(str(folder / "guardrail.toml"), audit=None)
        for line in (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            split = split_of(case["id"])
            if split not in splits:
                continue
            decision = gate.check(case["conversation"], case["draft"])
            got = [
                {"code": f.code.value, "message": f.message, "claim": _what(f.evidence)}
                for f in decision.findings
                if _counted(f)
            ]
            report.results.append(
                Result(
                    folder.name,
                    case["id"],
                    case["class"],
                    case["expect"],
                    list(case["codes"]),
                    split,
                    got,
                    case["draft"]["text"],
                )
            )
    return report


def _fmt(k: int, n: int) -> str:
    if n == 0:
        return f"{'-':>27}"
    lo, hi = wilson(k, n)
    return f"{100 * k / n:5.1f}% [{100 * lo:5.1f}, {100 * hi:5.1f}] {k:>3}/{n:<3}"


def _row(label: str, t: Tally) -> str:
    r = t.rates()
    return f"  {label:<26} " + "  ".join(
        _fmt(*r[k]) for k in ("stopped", "right code", "false esc.")
    )


def print_report(report: Report, splits: tuple[str, ...]) -> None:
    head = f"  {'':<26} " + "  ".join(f"{k:<27}" for k in ("stopped", "right code", "false esc."))
    for split in splits:
        print(f"== split {split}: {sum(r.split == split for r in report.results)} cases")
        print(head)
        print(_row("overall", report.tally(split)))
        for tenant in sorted({r.tenant for r in report.results}):
            print(_row(f"tenant {tenant}", report.tally(split, "tenant", tenant)))
        for cls in sorted({r.cls for r in report.results}):
            print(_row(f"class {cls}", report.tally(split, "cls", cls)))


def show_failures(report: Report) -> None:
    for r in report.results:
        if r.split != "dev":
            continue  # sealed
        wrong = (r.expect == "stop" and not r.right_code) or (r.expect == "release" and r.stopped)
        if not wrong:
            continue
        print(f"--- {r.id} [{r.cls}] expect {r.expect} {r.codes}")
        print(f"    text: {r.text}")
        for f in r.got:
            print(f"    got {f['code']}: {f['message']} | claim={f['claim']!r}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args(argv)
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    if args.show_failures and args.split == "test":
        print("refused: the test split is sealed; --show-failures works on dev only")
        return 2
    if not tenants():
        print(f"no tenants under {CORPUS}")
        return 1
    report = run(splits)
    print_report(report, splits)
    if args.show_failures:
        show_failures(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
