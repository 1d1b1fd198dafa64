"""Check a corpus tenant folder's structure; print counts, never verdicts.

    .venv/bin/python tests/corpus/validate.py tests/corpus/<tenant> [...]

Loads the tenant's ``guardrail.toml`` (and with it the golden set, knowledge base and
tool specs), then parses every line of ``cases.jsonl``: the case must be valid input for
``guardrail check`` and carry a well-formed label. The gate is never run, so the people
writing a corpus can validate their files without seeing what the code under test
decides. Exit status 0 when everything is valid, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

CLASSES = {
    "correct",
    "correct_explanation",
    "correct_customer_echo",
    "correct_effective_date",
    "correct_range",
    "correct_compound",
    "correct_currency_unit",
    "correct_commitment",
    "wrong_value",
    "wrong_absence",
    "wrong_range",
    "wrong_compound",
    "wrong_boolean",
    "wrong_currency_unit",
    "stale",
    "unknown_source",
    "unsupported",
    "missing_citation",
    "commitment_unbacked",
    "commitment_blocked_call",
}
CODES = {
    "POLICY_CONTRADICTION",
    "UNSUPPORTED_CLAIM",
    "MISSING_CITATION",
    "STALE_SOURCE",
    "UNKNOWN_SOURCE",
    "UNBACKED_COMMITMENT",
}
LABEL_KEYS = {"id", "class", "expect", "codes", "note"}


def split_of(case_id: str) -> str:
    """The stable split: ``dev`` (70%) or the sealed ``test`` (30%)."""
    return "dev" if int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 100 < 70 else "test"


def validate(folder: Path) -> list[str]:
    from guardrail import Guardrail
    from guardrail.errors import GuardrailError
    from guardrail.pipeline import parse_inputs

    errors: list[str] = []
    config = folder / "guardrail.toml"
    try:
        Guardrail.from_config(str(config))
    except GuardrailError as exc:
        errors.append(f"{config}: {exc}")
    cases = folder / "cases.jsonl"
    if not cases.is_file():
        return [*errors, f"{cases}: missing"]
    seen: set[str] = set()
    counts: Counter[tuple[str, str]] = Counter()
    splits: Counter[str] = Counter()
    for n, line in enumerate(cases.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{cases}:{n}"
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(case, dict):
            errors.append(f"{where}: a case is a JSON object")
            continue
        unknown = set(case) - LABEL_KEYS - {"conversation", "draft"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        missing = (LABEL_KEYS | {"conversation", "draft"}) - set(case)
        if missing:
            errors.append(f"{where}: missing keys {sorted(missing)}")
            continue
        cid = case["id"]
        if not isinstance(cid, str) or not cid:
            errors.append(f"{where}: id must be a non-empty string")
            continue
        if cid in seen:
            errors.append(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        if case["class"] not in CLASSES:
            errors.append(f"{where}: class {case['class']!r} is not one of the listed classes")
        if case["expect"] not in ("release", "stop"):
            errors.append(f"{where}: expect must be 'release' or 'stop'")
        codes = case["codes"]
        if not isinstance(codes, list) or not set(codes) <= CODES:
            errors.append(f"{where}: codes must be a list drawn from {sorted(CODES)}")
        elif (case["expect"] == "stop") != bool(codes):
            errors.append(f"{where}: 'stop' needs codes and 'release' needs none")
        if str(case["class"]).startswith(("correct",)) != (case["expect"] == "release"):
            errors.append(f"{where}: class {case['class']!r} disagrees with expect")
        try:
            parse_inputs(case["conversation"], case["draft"])
        except GuardrailError as exc:
            errors.append(f"{where}: {exc}")
        counts[(case["class"], case["expect"])] += 1
        splits[split_of(cid)] += 1
    total = sum(counts.values())
    print(f"{folder}: {total} cases; dev {splits['dev']}, test {splits['test']}")
    for (cls, expect), k in sorted(counts.items()):
        print(f"  {cls:<26} {expect:<8} {k}")
    return errors


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    errors: list[str] = []
    for arg in argv:
        errors += validate(Path(arg))
    for err in errors:
        print("ERROR", err)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
