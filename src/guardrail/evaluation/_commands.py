"""What ``guardrail eval`` and ``guardrail eval review`` do."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import ConfigError, InputError
from ..pipeline import Guardrail
from ..review import DEFAULT_API_KEY_ENV
from ._html import render_html
from ._judge import Judge, check_family, make_judge
from ._queue import agreement, parse_human_scores, queue, read_human, record_human
from ._report import HISTORY, Threshold, append_history, drift, parse_price, summarize
from ._run import read_results, run
from ._sample import split, stratify
from ._score import RunSettings
from ._tickets import load_agent, load_tickets

__all__ = ["cmd_eval", "cmd_review", "default_workers", "judge_from_args"]


def judge_from_args(args: argparse.Namespace) -> tuple[Judge, int]:
    """The judge the flags describe, defaulting to the tenant's ``[review]`` section;
    and the number of attempts for the retry policy."""
    config, _ = load_config(args.config)
    review = config.review
    provider = args.judge_provider or (review.provider if review.provider != "none" else None)
    if provider is None:
        raise ConfigError("--judge-provider: required (the tenant's [review] provider is none)")
    model = args.judge_model or review.model
    if not model:
        raise ConfigError("--judge-model: required (the tenant's [review] has no model)")
    env = args.judge_api_key_env or review.api_key_env or DEFAULT_API_KEY_ENV[provider]
    api_key = os.environ.get(env, "").strip()
    if not api_key:
        raise ConfigError(f"--judge-api-key-env: the environment variable {env} is not set")
    judge = make_judge(
        provider,
        model,
        api_key=api_key,
        base_url=args.judge_base_url or review.base_url,
        timeout_s=args.judge_timeout_s,
    )
    return judge, args.max_attempts or review.max_attempts


def default_workers(with_agent: bool) -> int:
    """``--workers`` when not given: min(2, CPUs), but 1 with ``--agent`` (a user's agent
    may keep state or hold clients that must not be shared with forked workers)."""
    return 1 if with_agent else max(1, min(2, os.cpu_count() or 1))


def _check_flags(args: argparse.Namespace) -> None:
    for flag in ("config", "tickets"):
        if not getattr(args, flag):
            raise InputError("required", field=f"--{flag}")
    if args.concurrency < 1:
        raise InputError("must be at least 1", field="--concurrency")
    if args.workers is not None and args.workers < 1:
        raise InputError("must be at least 1", field="--workers")
    if not 0.0 < args.threshold <= 1.0:
        raise InputError("must be in (0, 1]", field="--threshold")
    if not 0 <= args.min_score <= 3:
        raise InputError("must be 0..3", field="--min-score")
    if args.per_intent is not None and args.per_intent < 1:
        raise InputError("must be at least 1", field="--per-intent")


def cmd_eval(args: argparse.Namespace) -> int:
    """Run (or resume) an evaluation, write the reports, exit 0 go / 1 no-go."""
    _check_flags(args)
    prices = dict(parse_price(p) for p in args.price)
    agent = load_agent(args.agent) if args.agent else None
    loaded = load_tickets(args.tickets, need_draft=agent is None, skip_bad=args.skip_bad)
    chosen = stratify(split(loaded.tickets, holdout=args.holdout), args.per_intent, args.seed)
    judge, attempts = judge_from_args(args)
    for ticket in chosen:  # before any spend: the judge must not mark its own family
        if ticket.draft is not None and agent is None:
            check_family(judge.model, ticket.draft.model, ticket.id)
    gate = Guardrail.from_config(args.config, audit=None)
    out = Path(args.out)
    threshold = Threshold(rate=args.threshold, min_score=args.min_score)
    settings = RunSettings(
        concurrency=args.concurrency,
        min_score=args.min_score,
        max_attempts=attempts,
        timeout_s=args.judge_timeout_s,
        progress=None if args.no_progress else sys.stderr,
        workers=default_workers(agent is not None) if args.workers is None else args.workers,
    )
    asyncio.run(run(chosen, gate=gate, judge=judge, out=out, agent=agent, settings=settings))
    # in the tickets' order, not the order they completed in: the report's lists
    # (disagreements, errors) are then the same whatever the concurrency or workers
    by_id = {r["id"]: r for r in read_results(out)}
    records = [by_id[t.id] for t in chosen if t.id in by_id]
    name = "holdout" if args.holdout else "dev"
    report = summarize(records, threshold, prices, split=name, skipped=loaded.skipped)
    report["human_agreement"] = agreement(records, read_human(out), args.min_score)
    history = append_history(Path(args.history) if args.history else out / HISTORY, report)
    report["drift"] = drift(history)
    write_reports(out, name, report)
    o = report["overall"]
    rate = "n/a" if o["rate"] is None else f"{o['rate']:.1%}"
    print(
        f"{report['decision']}: {o['passed']}/{o['n']} ({rate}) scored >= {args.min_score} on "
        f"every dimension; threshold {args.threshold:.0%}; report {out / (name + '-report.html')}"
    )
    return 0 if report["decision"] == "go" else 1


def write_reports(out: Path, name: str, report: dict[str, Any]) -> None:
    """``<name>-report.json`` and ``<name>-report.html`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}-report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / f"{name}-report.html").write_text(render_html(report), encoding="utf-8")


def cmd_review(args: argparse.Namespace) -> int:
    """List the review queue, or record a person's scores for one ticket."""
    out = Path(args.out)
    records = read_results(out)
    if not records:
        raise InputError(f"no results in {out} (run guardrail eval first)", field="--out")
    if args.record:
        if not args.scores:
            raise InputError("required with --record", field="--scores")
        if args.record not in {r["id"] for r in records}:
            raise InputError(f"no scored ticket {args.record!r}", field="--record")
        record_human(out, args.record, parse_human_scores(args.scores), args.reviewer)
    elif args.scores:
        raise InputError("needs --record TICKET_ID", field="--scores")
    items = queue(records, min_score=args.min_score, low_confidence=args.low_confidence)
    human = read_human(out)
    result: dict[str, Any] = {
        "queue": [dict(i, reviewed=i["id"] in human) for i in items],
        "agreement": agreement(records, human, args.min_score),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for item in result["queue"]:
        mark = "x" if item["reviewed"] else " "
        print(f"[{mark}] {item['id']}  {item['intent']}  {'; '.join(item['why'])}")
    a = result["agreement"]
    if a["n"]:
        print(f"judge-human agreement on {a['n']} ticket(s): pass/fail {a['pass_fail']:.0%}")
    else:
        print("judge-human agreement: no ticket scored by a person yet")
    return 0
