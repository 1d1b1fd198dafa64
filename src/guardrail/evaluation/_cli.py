"""``guardrail eval`` subcommands (registered by ``guardrail.cli``). The work is done in
``_commands`` (imported only when the command runs: the provider SDKs are slow to load)."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from ._commands import cmd_eval

    return cmd_eval(args)


def _review(args: argparse.Namespace) -> int:
    from ._commands import cmd_review

    return cmd_review(args)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``guardrail eval`` and ``guardrail eval review``."""
    p = sub.add_parser(
        "eval",
        help="score an agent on historical tickets; exit 0 go, 1 no-go",
        description="Pre-launch evaluation: a judge of another model family scores every "
        "response on five dimensions; the gate's decision sits beside it. Exit 0 go, 1 no-go, "
        "2 bad input or config.",
    )
    p.add_argument("--config", help="the tenant's guardrail.toml (required)")
    p.add_argument("--tickets", help="tickets JSONL: one case per line (required)")
    p.add_argument("--agent", help="module:function writing a fresh Draft (sync or async)")
    p.add_argument("--out", default="eval-out", help="output folder (default: eval-out)")
    p.add_argument("--holdout", action="store_true", help="score the sealed 10%% holdout only")
    p.add_argument("--per-intent", type=int, help="at most N tickets per intent")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    p.add_argument("--skip-bad", action="store_true", help="skip and count malformed lines")
    p.add_argument("--concurrency", type=int, default=8, help="tickets in flight (default 8)")
    p.add_argument(
        "--workers",
        type=int,
        help="worker processes sharing the tickets (default: min(2, CPUs); 1 with --agent)",
    )
    p.add_argument("--threshold", type=float, default=0.95, help="go share (default 0.95)")
    p.add_argument("--min-score", type=int, default=2, help="passing score (default 2)")
    p.add_argument("--judge-provider", choices=["anthropic", "openai"])
    p.add_argument("--judge-model")
    p.add_argument("--judge-base-url")
    p.add_argument("--judge-api-key-env")
    p.add_argument("--judge-timeout-s", type=float, default=60.0)
    p.add_argument("--max-attempts", type=int, help="default: the tenant's [review] one")
    p.add_argument(
        "--price",
        action="append",
        default=[],
        metavar="MODEL=IN:OUT",
        help="USD per million input:output tokens for a judge model (repeatable)",
    )
    p.add_argument("--history", help="runs log for drift (default: OUT/history.jsonl)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.set_defaults(func=_run)
    inner = p.add_subparsers(dest="eval_command", metavar="review")
    r = inner.add_parser("review", help="the human review queue; record a person's scores")
    r.add_argument("--out", default="eval-out", help="the evaluation's output folder")
    r.add_argument("--record", metavar="TICKET_ID", help="record scores for this ticket")
    r.add_argument("--scores", help="factual_accuracy=N,policy_compliance=N,… (all five)")
    r.add_argument("--reviewer", help="who scored (kept with the scores)")
    r.add_argument("--min-score", type=int, default=2)
    r.add_argument("--low-confidence", type=float, default=0.6)
    r.add_argument("--json", action="store_true", help="print JSON")
    r.set_defaults(func=_review)
