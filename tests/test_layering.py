"""The package graph, read from the source with ``ast``, keeps its layers (docs/architecture.md).

Tiers, lowest first; a package may import its own tier's foundation and anything below:

* **foundation** — models, errors, config (every section's model), the knowledge base,
  the layer protocol, redaction, logging, retries, the text core: imports only itself.
* **layers** — grounding, review, tools, routing: foundation only; a layer never imports
  another layer.
* **storage** — audit: foundation only (never the pipeline, a layer, metrics or sampler).
* **services** — metrics, sampler: read the store; storage and foundation.
* **entry points** — the gate (pipeline, _build, _execution, _wrap), the commands (cli,
  _audit_cli, _demo, _judge), integrations, evaluation, testing: anything.

``TYPE_CHECKING`` imports are counted separately: they may name a type from any tier
except an entry point. Counting module-level *and* function-level imports, the package
graph has no cycle and no module imports itself back (inside a package too), so no
import sits inside a function to dodge one; every function-level import is listed in
:data:`LAZY` with its reason (start-up time) or, until its owner removes the cycle it
closes, in :data:`CYCLE_TODO`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "guardrail"

FOUNDATION = frozenset(
    {
        "errors",
        "models",
        "config",
        "_section",
        "_log",
        "_retry",
        "_sync",
        "_json",
        "_files",
        "_text",
        "text",
        "knowledge",
        "layers",
        "redact",
    }
)
LAYERS = frozenset({"grounding", "review", "tools", "routing"})
STORAGE = frozenset({"audit"})
SERVICES = frozenset({"metrics", "sampler"})
ENTRY = frozenset(
    {
        "guardrail",  # the package itself: it re-exports the public names
        "pipeline",
        "_build",
        "_execution",
        "_wrap",
        "_demo",
        "_judge",
        "_audit_cli",
        "cli",
        "integrations",
        "evaluation",
        "testing",
    }
)
TIERS = {"foundation": FOUNDATION, "layer": LAYERS, "storage": STORAGE, "service": SERVICES}
#: what each tier may import at run time (besides its own package)
MAY_IMPORT = {
    "foundation": FOUNDATION,
    "layer": FOUNDATION,
    "storage": FOUNDATION,
    "service": FOUNDATION | STORAGE,
}
#: config is the leaf every package reads: it imports nothing else of guardrail
CONFIG_IMPORTS = frozenset({"errors", "_section"})

#: (importer module, imported module) → why the import sits inside a function. Start-up
#: time is a reason; avoiding an import cycle is not (the cycle test would catch it).
LAZY = {
    ("guardrail", "guardrail.pipeline"): (
        "start-up: `import guardrail.tools` (or the pytest plugin) must not load the whole "
        "gate; `guardrail.Guardrail` loads it on first use"
    ),
    ("guardrail.review", "guardrail.review._anthropic"): "start-up: the anthropic SDK",
    ("guardrail.review", "guardrail.review._openai"): "start-up: the openai SDK",
    ("guardrail.evaluation._judge", "guardrail.evaluation._judge_sdk"): (
        "start-up: the provider SDKs load only when a judge is made"
    ),
    ("guardrail.evaluation._cli", "guardrail.evaluation._commands"): (
        "start-up: `guardrail --help` registers `eval` without loading the eval run"
    ),
    ("guardrail.testing.pytest_plugin", "guardrail.testing._tools"): (
        "start-up: the plugin loads into every pytest session; the tools stack loads only "
        "when a test asks for the fixture"
    ),
}

#: function-level imports that still close a cycle between two modules of one package:
#: cycle-dodging, kept visible here until their owner removes the cycle.
CYCLE_TODO: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name (a submodule when ``from pkg import submodule``)
    line: int
    in_function: bool
    type_only: bool

    @property
    def where(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _targets(base: str, node: ast.ImportFrom, modules: set[str]) -> Iterator[str]:
    """``from pkg import name``: the submodule ``pkg.name`` when it is one, else ``pkg``."""
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        yield candidate if candidate in modules else base


def read_imports(path: Path, modules: set[str], root: Path = SRC) -> Iterator[Import]:
    importer = module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit_one(stmt, in_function, True)
                for stmt in child.orelse:
                    yield from visit_one(stmt, in_function, type_only)
                continue
            yield from visit_one(child, in_function, type_only)

    def visit_one(node: ast.AST, in_function: bool, type_only: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "guardrail":
                    yield Import(importer, alias.name, node.lineno, in_function, type_only)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node)
            if base.split(".")[0] == "guardrail":
                for target in _targets(base, node, modules):
                    yield Import(importer, target, node.lineno, in_function, type_only)
        else:
            inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from visit(node, inner, type_only)

    yield from visit(tree, False, False)


def all_imports() -> list[Import]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return [imp for f in files for imp in read_imports(f, modules)]


IMPORTS = all_imports()


def unit(module: str) -> str:
    """The package-graph node of a module: ``guardrail.tools._gate`` → ``tools``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "guardrail"


def tier(name: str) -> str:
    for label, members in TIERS.items():
        if name in members:
            return label
    if name in ENTRY:
        return "entry"
    raise AssertionError(f"guardrail.{name} belongs to no tier: add it to tests/test_layering.py")


def _cross(imports: list[Import]) -> Iterator[tuple[Import, str, str]]:
    for imp in imports:
        a, b = unit(imp.importer), unit(imp.target)
        if a != b:
            yield imp, a, b


# -- the tests ------------------------------------------------------------------------------


def test_every_module_belongs_to_a_tier() -> None:
    """Each top-level module and package of guardrail is placed in exactly one tier."""
    names = {unit(module_name(f)) for f in PACKAGE.rglob("*.py")}
    placed = [n for n in names if n in FOUNDATION | LAYERS | STORAGE | SERVICES | ENTRY]
    assert sorted(placed) == sorted(names), sorted(names - set(placed))
    for name in names:
        tier(name)


def test_the_reader_sees_function_level_and_type_checking_imports(tmp_path: Path) -> None:
    """The ast reader tells module-level, function-level and TYPE_CHECKING imports apart
    and resolves relative and ``from pkg import submodule`` imports."""
    pkg = tmp_path / "guardrail" / "tools"
    pkg.mkdir(parents=True)
    path = pkg / "_x.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ..config import resolve\n"
        "from . import _gate\n"
        "if TYPE_CHECKING:\n"
        "    from ..audit import SQLStore\n"
        "def f():\n"
        "    import guardrail.pipeline\n"
        "    if TYPE_CHECKING:\n"
        "        from ..routing import Router\n",
        encoding="utf-8",
    )
    found = list(read_imports(path, {"guardrail.tools._gate"}, tmp_path))
    assert [(i.target, i.in_function, i.type_only) for i in found] == [
        ("guardrail.config", False, False),
        ("guardrail.tools._gate", False, False),
        ("guardrail.audit", False, True),
        ("guardrail.pipeline", True, False),
        ("guardrail.routing", True, True),
    ]


@pytest.mark.parametrize("label", sorted(MAY_IMPORT))
def test_a_tier_imports_only_what_sits_below_it(label: str) -> None:
    """Foundation imports only foundation; a layer never imports another layer, storage,
    a service or an entry point; storage never imports a layer, a service or the gate."""
    broken = [
        f"{imp.where} ({a} is {label}; {b} is {tier(b)})"
        for imp, a, b in _cross(IMPORTS)
        if not imp.type_only and tier(a) == label and b not in MAY_IMPORT[label]
    ]
    assert not broken, "\n".join(broken)


def test_type_checking_imports_never_name_an_entry_point() -> None:
    """Below the entry points, even a type-only import never names the gate or a command."""
    broken = [
        imp.where
        for imp, a, b in _cross(IMPORTS)
        if imp.type_only and tier(a) != "entry" and tier(b) == "entry"
    ]
    assert not broken, "\n".join(broken)


def test_config_is_a_leaf() -> None:
    """``guardrail.config`` holds every section's model and imports only errors and
    _section, so any package may read its config without loading another."""
    targets = {unit(i.target) for i in IMPORTS if i.importer == "guardrail.config"}
    assert targets <= CONFIG_IMPORTS, targets - CONFIG_IMPORTS


def test_the_package_graph_has_no_cycle() -> None:
    """Counting module-level and function-level imports (not TYPE_CHECKING ones), no
    package reaches itself: no import sits inside a function to dodge a cycle."""
    graph: dict[str, set[str]] = {}
    why: dict[tuple[str, str], str] = {}
    for imp, a, b in _cross(IMPORTS):
        if imp.type_only:
            continue
        graph.setdefault(a, set()).add(b)
        why.setdefault((a, b), imp.where)
    cycle = _find_cycle(graph)
    assert cycle is None, (
        "import cycle: "
        + " -> ".join(cycle or ())
        + "\n"
        + "\n".join(why[(x, y)] for x, y in zip(cycle or (), (cycle or ())[1:], strict=False))
    )


def test_every_function_level_import_has_a_reason() -> None:
    """A function-level import is listed in LAZY with why it waits (start-up time) or in
    CYCLE_TODO, and every entry of both still exists."""
    lazy = {(i.importer, i.target) for i in IMPORTS if i.in_function and not i.type_only}
    listed = LAZY.keys() | CYCLE_TODO.keys()
    unlisted = sorted(lazy - listed)
    stale = sorted(listed - lazy)
    assert not unlisted, f"function-level imports without a reason in LAZY: {unlisted}"
    assert not stale, f"LAZY or CYCLE_TODO lists imports that no longer exist: {stale}"


def test_no_module_imports_itself_back() -> None:
    """Module by module (inside a package too), counting module-level and function-level
    imports, nothing imports itself back, except the listed CYCLE_TODO imports."""
    graph: dict[str, set[str]] = {}
    for imp in IMPORTS:
        edge = (imp.importer, imp.target)
        if not imp.type_only and imp.importer != imp.target and edge not in CYCLE_TODO:
            graph.setdefault(imp.importer, set()).add(imp.target)
    cycle = _find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_importing_the_tools_layer_loads_no_storage_or_entry_point() -> None:
    """``import guardrail.tools`` in a fresh interpreter loads no audit, sampler, metrics,
    other layer or gate module (it once loaded 49 modules including all of audit)."""
    import subprocess
    import sys

    code = (
        "import sys, guardrail.tools\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('guardrail')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = {unit(m) for m in out}
    assert loaded <= FOUNDATION | {"tools", "guardrail"}, sorted(loaded)


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The cycle check reports a loop through three packages and passes a chain."""
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": {"c"}}) is None
