"""Plain Python: the two checks of ``workloads.py`` called directly, no framework."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workloads import (
    NOOP_TEXT,
    REFUND_ARGS,
    W1_EXPECTED,
    W1_TEXT,
    W2_EXPECTED,
    check_refund,
    check_reply,
    expect,
)


def build(variant: str = "") -> dict[str, Callable[[], Any]]:
    expect("baseline W1", check_reply(W1_TEXT), W1_EXPECTED)
    expect("baseline W2", check_refund(REFUND_ARGS), W2_EXPECTED)

    def w1() -> str:
        return "fail" if check_reply(W1_TEXT) else "pass"

    def w2() -> str:
        return "block" if check_refund(REFUND_ARGS) else "allow"

    def noop() -> str:
        return "pass" if NOOP_TEXT else "fail"

    return {"W1": w1, "W2": w2, "noop": noop}
