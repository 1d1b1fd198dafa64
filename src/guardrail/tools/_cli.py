"""``guardrail rules test`` and ``guardrail rules explain`` (registered by
``guardrail.cli``): the policy author's unit tests and a rule-by-rule explanation of one
call. Bad input exits 2 naming the line and the field; a failed case exits 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..knowledge import GoldenSet, Knowledge
from ._cases import Case, explain, parse_case, run_case
from ._layer import ToolsLayer


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``rules test`` and ``rules explain``."""
    rules = sub.add_parser("rules", help="test and explain a tenant's tool rules")
    rsub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    test = _common(rsub.add_parser("test", help="run table-driven rule cases (JSONL)"))
    test.add_argument("cases", help="a .jsonl file: one case per line")
    test.set_defaults(func=_cmd_test)
    why = _common(rsub.add_parser("explain", help="each rule's value for one call"))
    why.add_argument("case", help="a case JSON file, a .jsonl file with --line, or -")
    why.add_argument("--line", type=int, help="the case on this line of a .jsonl file")
    why.set_defaults(func=_cmd_explain)


def _common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("spec_dir", help="a folder of tool specs (*.json), or one spec file")
    parser.add_argument("--policies", help="the golden set (policies.json) rules read")
    parser.add_argument(
        "--functions",
        help="a Python file defining register(tools) that registers the tenant functions",
    )
    return parser


def load(
    spec_dir: str, policies: str | None, functions: str | None
) -> tuple[ToolsLayer, Knowledge]:
    """The layer with its tenant functions registered, and the golden set."""
    layer = ToolsLayer.from_path(spec_dir)
    knowledge = Knowledge(golden=GoldenSet.load(policies)) if policies else Knowledge()
    if policies:
        layer.check_policy_keys(knowledge)
    if functions:
        layer.registry.load_functions(Path(functions))
    return layer, knowledge


def _read(path: str) -> list[str]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 (byte {exc.start})") from None
    return text.splitlines()


def _cmd_test(args: argparse.Namespace) -> int:
    layer, knowledge = load(args.spec_dir, args.policies, args.functions)
    cases: list[tuple[int, Case]] = []
    for number, line in enumerate(_read(args.cases), start=1):
        if line.strip() and not line.lstrip().startswith("//"):
            case = parse_case(line, f"line {number}")
            if case.expect is None:
                raise InputError(f"line {number}: expect: Field required")
            cases.append((number, case))
    if not cases:
        raise InputError(f"{args.cases}: no cases")
    failed = 0
    for number, case in cases:
        outcome = run_case(layer, case, knowledge, f"line {number}")
        label = f"line {number}" + (f" ({case.name})" if case.name else "")
        if outcome.passed:
            print(f"ok    {label}")
            continue
        failed += 1
        assert case.expect is not None
        print(f"FAIL  {label}")
        print(f"  - expected: {outcome.describe(case.expect.allowed, case.expect.rules)}")
        print(f"  + actual:   {outcome.describe(outcome.result.allowed, outcome.rules)}")
        for v in outcome.result.violations:
            print(f"      {v.rule}: {v.message}")
    print(f"\n{len(cases)} cases, {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _cmd_explain(args: argparse.Namespace) -> int:
    layer, knowledge = load(args.spec_dir, args.policies, args.functions)
    lines = _read(args.case)
    if args.line is not None:
        if not 1 <= args.line <= len(lines):
            raise InputError(f"--line: {args.case} has {len(lines)} lines")
        case = parse_case(lines[args.line - 1], f"line {args.line}")
    else:
        case = parse_case("\n".join(lines), args.case)
    for text in explain(layer, case, knowledge):
        print(text)
    return 0
