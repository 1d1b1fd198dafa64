"""The knowledge package: golden-set versions, bounds and validation; versioned documents
looked up by id and version or by id and moment; loading errors that name the fault."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guardrail.errors import ConfigError
from guardrail.knowledge import Document, Fact, GoldenSet, Knowledge, KnowledgeBase

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"
NOW = datetime(2026, 11, 20, tzinfo=UTC)
SEPT = datetime(2026, 9, 15, tzinfo=UTC)


def fact(**kw: object) -> Fact:
    base: dict[str, object] = {
        "key": "k",
        "value": 30,
        "unit": "day",
        "topic": ["return"],
        "source": {"id": "p", "version": "1"},
    }
    return Fact.model_validate(base | kw)


def test_the_version_in_force_wins() -> None:
    """fact() and values() answer with the version in force at the moment asked."""
    golden = GoldenSet.load(ACME / "policies.json")
    assert golden.fact("return_window_days", SEPT).value == 60  # type: ignore[union-attr]
    assert golden.fact("return_window_days", NOW).value == 30  # type: ignore[union-attr]
    assert golden.values(NOW)["free_shipping_threshold_cents"] == 5000
    assert golden.fact("return_window_days", datetime(2020, 1, 1, tzinfo=UTC)) is None
    assert len(golden.versions("return_window_days")) == 2


def test_effective_to_is_exclusive() -> None:
    """A version ends at effective_to: at that instant the next one is in force."""
    golden = GoldenSet.load(ACME / "policies.json")
    change = datetime(2026, 10, 1, tzinfo=UTC)
    assert golden.fact("return_window_days", change).value == 30  # type: ignore[union-attr]


def test_relevant_matches_whole_topic_words() -> None:
    """relevant() finds facts by whole topic words only, in force at the moment asked."""
    golden = GoldenSet.load(ACME / "policies.json")
    keys = {f.key for f in golden.relevant("Can I return these?", NOW)}
    assert "return_window_days" in keys
    assert golden.relevant("I am returning nothing", NOW) == []


def test_overlapping_versions_are_refused() -> None:
    """Two versions of one key that overlap in time are a ConfigError naming the key."""
    a = fact(effective_from="2025-01-01", effective_to="2026-01-01")
    b = fact(effective_from="2025-06-01", value=60)
    with pytest.raises(ConfigError, match="'k'"):
        GoldenSet([a, b])


def test_units_and_bounds_are_validated() -> None:
    """Quantity facts need a unit, boolean facts have none and no bound; versions agree."""
    with pytest.raises(ConfigError, match="needs a unit"):
        GoldenSet([fact(unit=None)])
    with pytest.raises(ConfigError, match="no unit"):
        GoldenSet([fact(value=False)])
    with pytest.raises(ConfigError, match="no bound"):
        GoldenSet([fact(value=False, unit=None, bound="at_most")])
    assert fact(bound="at_most").brief()["bound"] == "at_most"
    assert fact().bound == "exact"


def test_golden_load_names_the_bad_field(tmp_path: Path) -> None:
    """A malformed policies.json is a ConfigError naming the file and the fact's field."""
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"facts": [{"key": "k", "value": 1, "unit": "parsec"}]}))
    with pytest.raises(ConfigError, match=r"facts\[0\]\.unit"):
        GoldenSet.load(bad)


def test_documents_by_version_and_moment() -> None:
    """get() finds an exact version; in_force() the version effective at a moment."""
    kb = KnowledgeBase.load(ACME / "knowledge")
    assert kb.get("returns-policy", "2") is not None
    assert kb.get("returns-policy", "9") is None
    assert kb.in_force("returns-policy", NOW).version == "3"  # type: ignore[union-attr]
    assert kb.in_force("returns-policy", SEPT).version == "2"  # type: ignore[union-attr]
    assert kb.in_force("nope", NOW) is None
    assert "60 days" in kb.get("returns-policy", "2").text  # type: ignore[union-attr]


def test_documents_load_from_json(tmp_path: Path) -> None:
    """A JSON knowledge base loads; integer versions become strings."""
    path = tmp_path / "kb.json"
    docs = [{"id": "a", "version": 1, "effective_from": "2025-01-01", "text": "Hi"}]
    path.write_text(json.dumps({"documents": docs}))
    kb = KnowledgeBase.load(path)
    assert kb.get("a", "1") == Document(
        id="a", version="1", effective_from=datetime(2025, 1, 1, tzinfo=UTC), text="Hi"
    )


def test_duplicate_document_versions_are_refused() -> None:
    """The same id and version defined twice is a ConfigError."""
    doc = Document(id="a", version="1", text="x")
    with pytest.raises(ConfigError, match="defined twice"):
        KnowledgeBase([doc, doc])


def test_markdown_without_front_matter_is_refused(tmp_path: Path) -> None:
    """A Markdown document must start with front matter."""
    (tmp_path / "a.md").write_text("no front matter")
    with pytest.raises(ConfigError, match="front matter"):
        KnowledgeBase.load(tmp_path)


def test_empty_knowledge_is_usable() -> None:
    """An empty Knowledge answers lookups with nothing rather than failing."""
    k = Knowledge()
    assert k.golden.in_force(NOW) == [] and k.documents.in_force("a", NOW) is None
