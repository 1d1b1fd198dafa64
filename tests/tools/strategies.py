"""Hypothesis strategies for the tools layer: refund calls and order contexts that mix
valid values with every kind of wrong one."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

ORDER_IDS = st.sampled_from(
    ["A-1001"] * 6 + ["A-2002", "a-1001", "A-１００１", "", "A-1001\n", "B-7"]
)
REASONS = st.sampled_from(["damaged", "not_received", "wrong_item", "changed_mind", "other"])
AMOUNTS: st.SearchStrategy[object] = st.one_of(
    st.integers(min_value=-5, max_value=16000),
    st.integers(min_value=1, max_value=8000),
    st.integers(min_value=16000, max_value=10**8),
    st.sampled_from([10**20, -(10**20), 0, 1, 12900]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["100", "１００", None]),
)


@st.composite
def refund_arguments(draw: st.DrawFn) -> object:
    """Arguments for ``refund_order``: mostly well-formed, sometimes not an object,
    missing a key, or carrying an extra one."""
    if draw(st.booleans()):  # a clean call, to exercise the rules rather than the schema
        return {
            "order_id": "A-1001",
            "amount_cents": draw(st.integers(1, 15000)),
            "reason_code": draw(st.sampled_from(["damaged", "wrong_item", "not_received"])),
        }
    args: dict[str, Any] = {
        "order_id": draw(st.one_of(ORDER_IDS, st.integers(0, 9999))),
        "amount_cents": draw(AMOUNTS),
        "reason_code": draw(REASONS),
    }
    shape = draw(st.sampled_from(["ok"] * 6 + ["missing", "extra", "string"]))
    if shape == "missing":
        del args[draw(st.sampled_from(sorted(args)))]
    elif shape == "extra":
        args["note"] = draw(st.text(max_size=5))
    elif shape == "string":
        return '{"order_id": "A-1001"}'
    return args


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    missing: st.SearchStrategy[Any] = st.just(MISSING)
    return st.one_of(value, value, value, missing)


MISSING = object()

_MESSY_ORDERS = st.fixed_dictionaries(
    {
        "id": _maybe(st.one_of(st.just("A-1001"), st.just("A-2002"), st.integers(0, 3))),
        "total_cents": _maybe(st.one_of(st.integers(0, 20000), st.just("12900"), st.booleans())),
        "status": _maybe(st.sampled_from(["delivered", "shipped", "lost", "processing", 7])),
        "delivered_at": _maybe(
            st.one_of(
                st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 11, 25)).map(str),
                st.sampled_from(["yesterday", "2026-13-01", "", 20261102]),
            )
        ),
        "refunded_cents": st.one_of(
            st.just(MISSING), st.just(MISSING), st.integers(0, 13000), st.just("0")
        ),
    }
).map(lambda d: {k: v for k, v in d.items() if v is not MISSING})

#: well-formed delivered orders, within the window or just outside it
_GOOD_ORDERS = st.fixed_dictionaries(
    {
        "id": st.just("A-1001"),
        "total_cents": st.integers(1000, 20000),
        "status": st.sampled_from(["delivered", "delivered", "delivered", "shipped"]),
        "delivered_at": st.sampled_from(["2026-11-02", "2026-11-02", "2026-10-21", "2026-10-20"]),
    }
)
ORDERS = st.one_of(_GOOD_ORDERS, _MESSY_ORDERS)


#: integral numbers as JSON may spell them: 100 or 100.0
_INTEGRAL = st.integers(min_value=-5, max_value=400)
_MONEY = st.one_of(
    _INTEGRAL,
    _INTEGRAL.map(float),
    st.sampled_from([12.5, 99.99, 0.5, 100.25]),
)


@st.composite
def priced_arguments(draw: st.DrawFn) -> dict[str, Any]:
    """Arguments for a spec whose ``number`` parameters carry dollars: an amount, a list of
    fees and a nested tip, each spelled as an int or a double."""
    return {
        "amount": draw(_MONEY),
        "passengers": draw(st.integers(min_value=0, max_value=4)),
        "fees": draw(st.lists(_MONEY, max_size=4)),
        "extra": {"tip": draw(_MONEY)},
    }


def respell(value: object) -> object:
    """Every integral number spelled the other way (100 ↔ 100.0), ints that are not
    numbers in the schema (bools) untouched."""
    if isinstance(value, dict):
        return {k: (v if k == "passengers" else respell(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [respell(v) for v in value]
    if type(value) is int:
        return float(value)
    if type(value) is float and value.is_integer():
        return int(value)
    return value
