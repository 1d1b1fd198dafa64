"""Every function and macro a rule may name is one the engine and the fast path evaluate:
the documented list is walked through the engine and the gate, and anything else is a
ConfigError at load that names the file, the rule id and the function."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import cel
import pytest

from guardrail.errors import ConfigError
from guardrail.tools import ToolsLayer, ToolSpec
from guardrail.tools._celfuncs import EXTENSIONS, MACROS, STANDARD
from guardrail.tools._rules import HELPERS, days_since_fn, parse_date

from ._helpers import ROOT, conversation

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
T = "timestamp('2026-03-04T05:06:07Z')"
#: name → (an expression using it, the value it must give)
EXAMPLES: dict[str, tuple[str, object]] = {
    "size": ("size('abc') + [1, 2].size()", 5),
    "int": ("int(2.7)", 2),
    "uint": ("uint(3) == 3u", True),
    "double": ("double(2)", 2.0),
    "string": ("string(12)", "12"),
    "bytes": ("bytes('a').size()", 1),
    "type": ("type(1) == int", True),
    "dyn": ("dyn(1) == 1", True),
    "timestamp": (f"{T} < now", True),
    "duration": ("duration('90m').getMinutes()", 90),
    "contains": ("'abc'.contains('b')", True),
    "startsWith": ("'abc'.startsWith('ab')", True),
    "endsWith": ("'abc'.endsWith('bc')", True),
    "matches": ("'A-1001'.matches('^[A-Z]-[0-9]+$')", True),
    "getFullYear": (f"{T}.getFullYear()", 2026),
    "getMonth": (f"{T}.getMonth()", 2),
    "getDate": (f"{T}.getDate()", 4),
    "getDayOfMonth": (f"{T}.getDayOfMonth()", 3),
    "getDayOfWeek": (f"{T}.getDayOfWeek()", 3),
    "getDayOfYear": (f"{T}.getDayOfYear()", 62),
    "getHours": (f"{T}.getHours()", 5),
    "getMinutes": (f"{T}.getMinutes()", 6),
    "getSeconds": (f"{T}.getSeconds()", 7),
    "getMilliseconds": (f"{T}.getMilliseconds()", 0),
    "optional.of": ("optional.of(1).value()", 1),
    "optional.none": ("optional.none().hasValue()", False),
    "optional.ofNonZeroValue": ("optional.ofNonZeroValue(0).hasValue()", False),
    "hasValue": ("optional.of(1).hasValue()", True),
    "orValue": ("optional.none().orValue(5)", 5),
    "value": ("optional.of('x').value()", "x"),
    "or": ("optional.none().or(optional.of(2)).value()", 2),
    "has": ("has({'a': 1}.a)", True),
    "all": ("[1, 2].all(x, x > 0)", True),
    "exists": ("[1, 2].exists(x, x > 1)", True),
    "exists_one": ("[1, 2].exists_one(x, x > 1)", True),
    "map": ("[1, 2].map(x, x * 2)", [2, 4]),
    "filter": ("[1, 2, 3].filter(x, x > 1)", [2, 3]),
    "sum": ("[1, 2, 3].sum() + sum([4])", 10),
    "min": ("[3, 1, 2].min()", 1),
    "max": ("[1.5, 2.5].max()", 2.5),
    "indexOf": ("[1, 2, 2].indexOf(2) + 'abcb'.indexOf('b', 2)", 4),
    "lastIndexOf": ("[1, 2, 2].lastIndexOf(2) + 'abcb'.lastIndexOf('b')", 5),
    "isSorted": ("[1, 2, 2].isSorted()", True),
    "math.greatest": ("math.greatest(1, 2.5, -3)", 2.5),
    "math.least": ("math.least([4, 2, 3])", 2),
    "math.abs": ("math.abs(-3)", 3),
    "math.ceil": ("math.ceil(1.2)", 2.0),
    "math.floor": ("math.floor(1.8)", 1.0),
    "math.round": ("math.round(2.5)", 3.0),
    "charAt": ("'abc'.charAt(1)", "b"),
    "lowerAscii": ("'AbÇ'.lowerAscii()", "abÇ"),
    "upperAscii": ("'abc'.upperAscii()", "ABC"),
    "replace": ("'a-b-c'.replace('-', '+', 1)", "a+b-c"),
    "split": ("'a,b,c'.split(',')", ["a", "b", "c"]),
    "substring": ("'abcdef'.substring(1, 3)", "bc"),
    "trim": ("'  a b '.trim()", "a b"),
    "join": ("['a', 'b'].join('/')", "a/b"),
    "cents": ("cents(12.34) + cents(1)", 1334),
    "days_since": ("days_since('2026-11-02')", 18),
    "date": ("date('2026-11-02') < now", True),
}
DOCUMENTED = STANDARD | frozenset(EXTENSIONS) | HELPERS | MACROS


def _engine(source: str) -> Any:
    functions = {"days_since": days_since_fn(NOW), "date": parse_date, **EXTENSIONS}
    return cel.compile(source).execute(cel.Context({"now": NOW}, functions=functions))


def _layer(rule: str, parameters: dict[str, Any] | None = None, **spec: Any) -> ToolsLayer:
    params = parameters or {"type": "object", "properties": {"n": {"type": "number"}}}
    data = {"name": "t", "parameters": params, **spec}
    data["policy"] = [{"id": "r", "rule": rule, "message": "m"}]
    layer = ToolsLayer()
    layer.add(ToolSpec.from_dict(data, source="t.json"), source="t.json")
    return layer


def test_every_documented_function_has_an_example() -> None:
    """The example table covers exactly the functions and macros rules may name."""
    assert set(EXAMPLES) == DOCUMENTED


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_documented_function_runs_in_the_engine(name: str) -> None:
    """Each documented function evaluates in the engine to its documented value."""
    source, expected = EXAMPLES[name]
    value = _engine(source)
    assert value == expected and type(value) is type(expected), (source, value)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_documented_function_loads_and_allows_in_the_gate(name: str) -> None:
    """A rule using each documented function loads and is true through the whole gate."""
    source, expected = EXAMPLES[name]
    literal = repr(expected).replace("True", "true").replace("False", "false")
    layer = _layer(f"({source}) == {literal}")
    [result] = layer.validate([{"name": "t", "arguments": {}}], conversation=conversation())
    assert result.allowed, result.violations


def test_docs_list_every_function() -> None:
    """docs/tools.md names every function and macro rules may use."""
    text = (ROOT / "docs" / "tools.md").read_text(encoding="utf-8")
    calls = re.findall(r"`([A-Za-z_.]+)\(", text)
    named = {c if c.startswith(("math.", "optional.")) else c.rsplit(".", 1)[-1] for c in calls}
    assert named >= DOCUMENTED, sorted(DOCUMENTED - named)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("max(args.n, 0) >= 0", "max() takes a list"),
        ("foo(1) == 1", "unknown function 'foo'"),
        ("greatest(1, 2) == 2", "write math.greatest"),
        ("matches('a', 'b')", "matches() is a method"),
        ("'a'.charAt() == 'a'", "charAt() takes 2"),
        ("'a'.format([]) == 'a'", "unknown function 'format'"),
        ("lists.range(2).size() == 2", "unknown function 'range'"),
    ],
)
def test_unknown_or_misused_functions_fail_at_load(rule: str, words: str) -> None:
    """A function the engine does not evaluate (or a misuse of one) is a ConfigError
    naming the file, the rule id and the function."""
    with pytest.raises(ConfigError) as err:
        _layer(rule)
    assert str(err.value).startswith("t.json: policy rule 'r'")
    assert words in str(err.value)


def test_a_failing_extension_blocks_the_call() -> None:
    """An extension function that fails (an empty list's max) makes the rule
    unevaluable, which blocks the call, with the reason in the message."""
    layer = _layer("context.xs.max() > 0")
    conv = conversation({"xs": []})
    [result] = layer.validate([{"name": "t", "arguments": {}}], conversation=conv)
    assert not result.allowed
    assert "max(): of an empty list" in result.violations[0].message
