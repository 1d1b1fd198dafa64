"""``guardrail demo``: run a tenant's scenario cases end to end and print a table."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TextIO

from .errors import ConfigError
from .models import Decision
from .pipeline import Guardrail, parse_inputs

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "examples" / "acme" / "guardrail.toml",
    Path.cwd() / "examples" / "acme" / "guardrail.toml",
)


def _default_config() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "no example tenant found (looked for examples/acme/guardrail.toml); "
        "pass --config PATH or run from a checkout of the repository"
    )


def _reasons(decision: Decision) -> str:
    seen: list[str] = []
    for finding in decision.findings:
        if finding.code.value not in seen:
            seen.append(finding.code.value)
    return ", ".join(seen) or "-"


def run_demo(config: Path | None, out: TextIO) -> int:
    """Run every ``scenarios/*.json`` beside the config; 0 when each matches its
    ``expect.action``, 1 otherwise."""
    path = config or _default_config()
    guard = Guardrail.from_config(str(path))
    scenarios = sorted((path.parent / "scenarios").glob("*.json"))
    if not scenarios:
        raise ConfigError(f"{path.parent / 'scenarios'}: no scenario files (*.json)")
    review = guard.config.review if guard.config else None
    if review is None or review.provider == "none":
        out.write(
            "QA review: none configured — these results come from the deterministic layers\n"
            "only (grounding, tool validation, routing triggers); no model reviewed them.\n\n"
        )
    else:
        out.write(f"QA review: {review.provider} model {review.model}\n\n")
    out.write(f"{'scenario':<34} {'expected':<9} {'action':<9} reasons\n")
    out.write(f"{'-' * 34} {'-' * 9} {'-' * 9} {'-' * 40}\n")
    mismatches = 0
    for file in scenarios:
        case = json.loads(file.read_text(encoding="utf-8"))
        conversation, draft = parse_inputs(case["conversation"], case["draft"])
        decision = guard.check(conversation, draft)
        expected = str(case.get("expect", {}).get("action", "?"))
        ok = expected in ("?", decision.action.value)
        mismatches += not ok
        mark = "" if ok else "  <-- expected " + expected
        reasons = textwrap.shorten(_reasons(decision), 70, placeholder=" …")
        name = case.get("name", file.stem)
        out.write(f"{name:<34.34} {expected:<9} {decision.action.value:<9} {reasons}{mark}\n")
    out.write(f"\n{len(scenarios)} scenarios, {len(scenarios) - mismatches} as expected.\n")
    return 0 if mismatches == 0 else 1
