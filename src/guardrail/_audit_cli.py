"""``guardrail audit …``, ``guardrail metrics``, ``guardrail sample`` (registered by cli.py).

An entry point beside ``cli.py``: it reads the config, opens the store, and reaches the
metrics, the sampler and the judge; the audit package itself stays storage only.

Every command reads the tenant's ``guardrail.toml`` and opens that tenant's store: there
is no flag that names another tenant. Bad arguments raise InputError/ConfigError (exit 2).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._build import load_knowledge
from ._judge import judge_from_config
from .audit import SQLStore, open_sql_store
from .config import TenantConfig, load_config
from .errors import ConfigError, GuardrailError, InputError
from .knowledge import Knowledge
from .metrics import collect, prometheus, table
from .sampler import Judge, sample


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit``, ``metrics`` and ``sample`` to the ``guardrail`` command."""
    audit = sub.add_parser("audit", help="the audit trail: export, purge, the handoff queue")
    asub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")

    export = _with_window(asub.add_parser("export", help="print records, one JSON per line"))
    export.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    export.add_argument("--output", help="write to this file instead of stdout")
    export.set_defaults(func=_cmd_export)

    purge = _with_config(asub.add_parser("purge", help="delete records past retention"))
    purge.add_argument(
        "--older-than", type=_days, metavar="DAYS", help="default: [audit] retention_days (395)"
    )
    purge.set_defaults(func=_cmd_purge)

    show = _with_config(asub.add_parser("show", help="one record: why it was decided"))
    show.add_argument("audit_id")
    show.set_defaults(func=_cmd_show)

    queue = _with_config(asub.add_parser("handoffs", help="list the handoff queue"))
    queue.add_argument(
        "--status", choices=("waiting", "claimed", "resolved", "all"), default="waiting"
    )
    queue.add_argument("--limit", type=_positive, default=100)
    queue.add_argument("--json", action="store_true", help="one JSON object per line")
    queue.set_defaults(func=_cmd_handoffs)

    claim = _with_config(asub.add_parser("claim", help="claim an escalation (default: next)"))
    claim.add_argument("audit_id", nargs="?")
    claim.add_argument("--agent", required=True, help="who takes it")
    claim.set_defaults(func=_cmd_claim)

    resolve = _with_config(asub.add_parser("resolve", help="mark an escalation resolved"))
    resolve.add_argument("audit_id")
    resolve.add_argument("--note", help="how it was resolved (redacted before storing)")
    resolve.set_defaults(func=_cmd_resolve)

    pending = _with_config(
        asub.add_parser("pending", help="tool executions with no recorded outcome")
    )
    pending.add_argument("--json", action="store_true", help="one JSON object per line")
    pending.set_defaults(func=_cmd_pending)

    effects = _with_window(asub.add_parser("effects", help="what the gate caused to happen"))
    effects.set_defaults(func=_cmd_effects)

    metrics = _with_window(sub.add_parser("metrics", help="trust metrics from the audit store"))
    fmt = metrics.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object")
    fmt.add_argument("--prometheus", action="store_true", help="Prometheus text exposition")
    metrics.add_argument("--fail-on-alert", action="store_true", help="exit 1 on any alert")
    metrics.set_defaults(func=_cmd_metrics)

    sample = _with_window(sub.add_parser("sample", help="re-judge a sample of released replies"))
    sample.add_argument("--rate", type=_share, help="default: [audit] sample_rate (0.02)")
    sample.add_argument("--limit", type=_positive, help="judge at most N records this run")
    sample.add_argument(
        "--judge", metavar="MODULE:NAME", help="a Judge, or a zero-argument factory of one"
    )
    sample.set_defaults(func=_cmd_sample)


# -- argument helpers ---------------------------------------------------------------------


def _with_config(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--config", required=True, help="the tenant's guardrail.toml")
    return parser


def _with_window(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    _with_config(parser)
    parser.add_argument("--since", help="ISO date or timestamp (UTC if no zone), inclusive")
    parser.add_argument("--until", help="ISO date or timestamp (UTC if no zone), exclusive")
    return parser


def _number(
    kind: type[int] | type[float], low: float, high: float | None, what: str
) -> Callable[[str], Any]:
    """An argparse ``type=``: a number of ``kind`` in ``[low, high]``, else a usage error
    that says which (argparse exits 2 with it)."""
    bounds = f"at least {low:g}" if high is None else f"between {low:g} and {high:g}"

    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not {what}") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"must be {bounds}")
        return number

    return parse


_days = _number(int, 1, None, "a whole number of days")
_positive = _number(int, 1, None, "a whole number")
_share = _number(float, 0.0, 1.0, "a number")


def parse_when(value: str | None, flag: str) -> datetime | None:
    """``YYYY-MM-DD`` or an ISO timestamp; no zone means UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{value!r} is not an ISO date or timestamp", field=flag) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _window(args: argparse.Namespace) -> tuple[datetime | None, datetime | None]:
    since, until = parse_when(args.since, "--since"), parse_when(args.until, "--until")
    if since and until and since >= until:
        raise InputError("--since must be before --until", field="--since")
    return since, until


def _open(args: argparse.Namespace) -> tuple[SQLStore, TenantConfig, Path]:
    config, base = load_config(args.config)
    store = open_sql_store(config.audit, base, config.tenant.id)
    if store is None:
        raise ConfigError(f'{args.config}: [audit] store is "none": nothing is recorded')
    return store, config, base


def _knowledge(config: TenantConfig, base: Path) -> Knowledge:
    return load_knowledge(config, base)


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


# -- commands ----------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    since, until = _window(args)
    store, _, _ = _open(args)
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot write {args.output}: {exc.strerror}", field="--output") from None
    try:
        if args.format == "json":
            out.write("[")
        for n, record in enumerate(store.records(since, until)):
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            if args.format == "json":
                out.write(("," if n else "") + "\n" + line)
            else:
                out.write(line + "\n")
        if args.format == "json":
            out.write("\n]\n")
    finally:
        if out is not sys.stdout:
            out.close()
        store.close()
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    store, config, _ = _open(args)
    days = args.older_than or config.audit.retention_days
    _out(json.dumps({"purged": store.purge(days), "older_than_days": days}))
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    store, _, _ = _open(args)
    record = store.get(args.audit_id)
    if record is None:
        raise GuardrailError(f"no record {args.audit_id!r} for this tenant")
    _out(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def _cmd_handoffs(args: argparse.Namespace) -> int:
    store, _, _ = _open(args)
    items = store.handoffs(None if args.status == "all" else args.status, args.limit)
    for item in items:
        if args.json:
            _out(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            who = f" by {item.claimed_by}" if item.claimed_by else ""
            _out(
                f"{item.audit_id}  {item.priority:<6} {item.status}{who}  "
                f"{item.created_at:%Y-%m-%d %H:%M}  {item.intent or '-'}  {item.summary[:80]}"
            )
    if not items and not args.json:
        _out(f"no {args.status} handoffs" if args.status != "all" else "no handoffs")
    unresolved = store.pending_executions()
    if unresolved and not args.json:  # they need a human as much as an escalation does
        _out(
            f"{len(unresolved)} tool execution(s) with no recorded outcome: "
            "run `guardrail audit pending` to reconcile"
        )
    return 0


def _cmd_pending(args: argparse.Namespace) -> int:
    store, _, _ = _open(args)
    rows = store.pending_executions()
    for row in rows:
        if args.json:
            _out(json.dumps(row, ensure_ascii=False))
        else:
            _out(
                f"{row['idempotency_key']}  {row['state']:<9} {row['tool']}  "
                f"created {row['created_at']}  started {row['started_at'] or '-'}"
            )
    if not rows and not args.json:
        _out("no executions without an outcome")
    return 0


def _cmd_effects(args: argparse.Namespace) -> int:
    since, until = _window(args)
    store, _, _ = _open(args)
    for row in store.effects(since, until):
        _out(json.dumps(row, ensure_ascii=False))
    return 0


def _cmd_claim(args: argparse.Namespace) -> int:
    store, _, _ = _open(args)
    if args.audit_id is None:
        item = store.claim_next(args.agent)
        if item is None:
            raise GuardrailError("no waiting handoffs")
        _out(json.dumps(item.to_json(), ensure_ascii=False))
        return 0
    if not store.claim(args.audit_id, args.agent):
        raise GuardrailError(f"{args.audit_id!r} is not a waiting handoff of this tenant")
    _out(json.dumps({"claimed": args.audit_id, "agent": args.agent}))
    return 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    store, _, _ = _open(args)
    if not store.resolve(args.audit_id, args.note):
        raise GuardrailError(f"{args.audit_id!r} is not an open handoff of this tenant")
    _out(json.dumps({"resolved": args.audit_id}))
    return 0


def _cmd_metrics(args: argparse.Namespace) -> int:
    since, until = _window(args)
    store, config, base = _open(args)
    m = collect(store, _knowledge(config, base), since=since, until=until)
    if args.json:
        _out(json.dumps(m.to_json(), ensure_ascii=False))
    elif args.prometheus:
        sys.stdout.write(prometheus(m))
    else:
        sys.stdout.write(table(m))
    return 1 if args.fail_on_alert and m.alerts else 0


def _cmd_sample(args: argparse.Namespace) -> int:
    since, until = _window(args)
    store, config, base = _open(args)
    knowledge = _knowledge(config, base)
    judge = load_judge(args.judge, config, knowledge)
    report = asyncio.run(
        sample(store, knowledge, judge, rate=args.rate, since=since,
               until=until, limit=args.limit)
    )  # fmt: skip
    _out(json.dumps({"judge_model": judge.model, **report.to_json()}))
    return 1 if report.errors else 0


def load_judge(spec: str | None, config: TenantConfig, knowledge: Knowledge) -> Judge:
    """``MODULE:NAME`` (a Judge, or a zero-argument factory of one), else the reviewer
    ``[review]`` configures, adapted to a judge."""
    if spec is None:
        return judge_from_config(config, knowledge)
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise InputError("expected MODULE:NAME", field="--judge")
    try:
        found: Any = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot load {spec!r}: {exc}", field="--judge") from None
    judge = found
    if not isinstance(found, Judge) and callable(found):
        try:
            judge = found()
        except Exception as exc:
            raise InputError(f"{spec!r} failed to build a judge: {exc}", field="--judge") from None
    if not isinstance(judge, Judge):
        raise InputError(f"{spec!r} is not a Judge (model + async judge(case))", field="--judge")
    return judge
