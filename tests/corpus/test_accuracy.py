"""Issue 10's targets on the sealed TEST split of the independent corpus: grounding and
the commitment scan stop at least 97% of wrong replies and escalate at most 2% of
correct ones. Only aggregate figures are asserted or printed (never a test-split case);
tune on the dev split with ``benchmarks/bench_accuracy.py --show-failures``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
STOPPED_MIN = 0.97
FALSE_ESCALATION_MAX = 0.02


def _bench() -> ModuleType:
    path = ROOT / "benchmarks" / "bench_accuracy.py"
    spec = importlib.util.spec_from_file_location("bench_accuracy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_accuracy", module)
    spec.loader.exec_module(module)
    return module


def test_accuracy_targets_on_the_sealed_test_split() -> None:
    """On the test split, >= 97% of wrong drafts are stopped and <= 2% of correct drafts
    are escalated by grounding or the commitment scan."""
    bench = _bench()
    assert bench.tenants(), "no corpus tenants under tests/corpus/*/"
    tally = bench.run(("test",)).tally("test")
    assert tally.wrong > 0 and tally.correct > 0
    stopped = tally.stopped / tally.wrong
    escalated = tally.escalated / tally.correct
    summary = (
        f"test split: stopped {tally.stopped}/{tally.wrong} ({stopped:.1%}), "
        f"false escalation {tally.escalated}/{tally.correct} ({escalated:.1%})"
    )
    assert stopped >= STOPPED_MIN, summary
    assert escalated <= FALSE_ESCALATION_MAX, summary
