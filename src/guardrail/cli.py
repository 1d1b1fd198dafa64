"""The ``guardrail`` command. Bad input exits 2 with one line on stderr that names the
field or problem; never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from ._audit_cli import register as register_audit
from ._demo import run_demo
from .errors import ConfigError, GuardrailError, InputError
from .evaluation._cli import register as register_eval
from .pipeline import Guardrail, parse_inputs
from .tools._cli import register as register_rules

MAX_INPUT_BYTES = 1 << 20  # 1 MiB
CASE_KEYS = {"conversation", "draft", "name", "description", "expect"}


def read_case(source: str) -> dict[str, Any]:
    """Read a case from a path or ``-``; raise InputError on anything malformed."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as fh:
                raw = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"input is larger than {MAX_INPUT_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError("a case is a JSON object with 'conversation' and 'draft'")
    unknown = sorted(set(data) - CASE_KEYS)
    if unknown:
        raise InputError("unknown top-level field", field=unknown[0])
    for key in ("conversation", "draft"):
        if key not in data:
            raise InputError("required field is missing", field=key)
    return data


def _no_constant(name: str) -> None:
    raise InputError(f"{name} is not valid JSON")


def _cmd_check(args: argparse.Namespace) -> int:
    guard = Guardrail.from_config(args.config)
    case = read_case(args.case)
    conversation, draft = parse_inputs(case["conversation"], case["draft"])
    decision = guard.check(conversation, draft)
    sys.stdout.write(decision.model_dump_json() + "\n")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.config) if args.config else None, sys.stdout)


Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Registrar]:
    """Subcommands registered by their own modules (audit, metrics, sample; rules; eval)."""
    return [register_audit, register_rules, register_eval]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guardrail",
        description="Check an AI agent's draft reply before it reaches a customer.",
    )
    parser.add_argument("--version", action="version", version=f"guardrail {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="check one case; print the Decision JSON")
    check.add_argument("--config", required=True, help="the tenant's guardrail.toml")
    check.add_argument("case", help="a case JSON file, or - for stdin")
    check.set_defaults(func=_cmd_check)
    demo = sub.add_parser("demo", help="run the example tenant's scenarios")
    demo.add_argument("--config", help="a tenant config with a scenarios/ folder beside it")
    demo.set_defaults(func=_cmd_demo)
    for register in _registrars():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except InputError as exc:
        print(f"guardrail: invalid input: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"guardrail: config error: {exc}", file=sys.stderr)
        return 2
    except GuardrailError as exc:
        print(f"guardrail: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `guardrail audit export … | head`: not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for the user
        print(f"guardrail: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
