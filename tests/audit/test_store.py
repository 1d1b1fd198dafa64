"""The audit store on both backends: records, redaction, the queue, isolation, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guardrail.audit import AuditConfig, SQLiteStore, SQLStore, open_sql_store, open_store
from guardrail.audit._schema import SCHEMA_VERSION
from guardrail.errors import AuditError, ConfigError
from guardrail.models import Action, ClaimVerdict, Code, LayerName

from .conftest import open_url
from .factory import case, finding


def test_a_record_keeps_everything_the_audit_needs(store: SQLStore) -> None:
    """A written decision reads back with ids, as_of, intent, messages, draft, sources with
    versions, findings, action, final text and latency."""
    conv, draft, decision = case(
        confidence=0.8, model="gpt-x", findings=[finding(Code.STALE_SOURCE)]
    )
    store.write(conv, draft, decision)
    record = store.get(decision.audit_id)
    assert record is not None
    assert record["tenant"] == "acme"
    assert record["conversation_id"] == conv.id
    assert record["customer_id"] == "u-1"
    assert record["intent"] == "returns"
    assert datetime.fromisoformat(record["as_of"]) == conv.as_of
    assert record["messages"] == [{"role": "customer", "text": "Can I still return my boots?"}]
    assert record["draft"]["sources"] == [
        {"id": "returns-policy", "version": "3", "text": "returns-policy v3"}
    ]
    assert record["draft"]["confidence"] == 0.8
    assert [f["code"] for f in record["findings"]] == ["STALE_SOURCE"]
    assert record["action"] == "release"
    assert record["text"] == draft.text
    assert record["latency_ms"]["total"] == 1.0
    assert record["handoff_status"] is None
    assert store.count() == 1


def test_pii_is_redacted_before_it_is_stored(store: SQLStore) -> None:
    """Emails, phones, cards and IBANs in messages, draft, context and handoff never
    reach the database; typed placeholders take their place."""
    secret = "mail jane@example.com, card 4111 1111 1111 1111, IBAN GB82WEST12345698765432"
    conv, draft, decision = case(
        customer_text=secret,
        text="We will call you on +44 20 7946 0958.",
        action=Action.escalate,
        findings=[finding(Code.HUMAN_REQUESTED, LayerName.routing)],
        context={"customer": {"email": "jane@example.com"}},
        customer_id="jane@example.com",
    )
    store.write(conv, draft, decision)
    exported = repr(list(store.records()))
    for leaked in ("jane@example.com", "4111 1111", "GB82WEST", "7946"):
        assert leaked not in exported
    record = store.get(decision.audit_id)
    assert record is not None
    assert record["messages"][0]["text"] == "mail <EMAIL>, card <CARD>, IBAN <IBAN>"
    assert record["context"] == {"customer": {"email": "<EMAIL>"}}
    assert record["customer_id"].startswith("pii-")
    assert "<EMAIL>" in record["handoff"]["summary"]


def test_an_escalation_joins_the_handoff_queue(store: SQLStore) -> None:
    """Escalated decisions are waiting in the queue; released ones are not."""
    store.write(*case())
    conv, draft, escalated = case(
        action=Action.escalate, findings=[finding(Code.POLICY_CONTRADICTION)]
    )
    store.write(conv, draft, escalated)
    waiting = store.handoffs()
    assert [h.audit_id for h in waiting] == [escalated.audit_id]
    assert waiting[0].reasons == ["POLICY_CONTRADICTION: POLICY_CONTRADICTION found"]
    assert waiting[0].status == "waiting"


def test_claim_and_resolve_move_a_handoff_through_the_queue(store: SQLStore) -> None:
    """A handoff is claimed once, then resolved once; claim_next takes the oldest."""
    ids = []
    for _ in range(3):
        conv, draft, d = case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)])
        store.write(conv, draft, d)
        ids.append(d.audit_id)
    assert store.claim(ids[1], "ana") is True
    assert store.claim(ids[1], "bo") is False
    nxt = store.claim_next("bo")
    assert nxt is not None and nxt.audit_id == ids[0] and nxt.claimed_by == "bo"
    assert store.resolve(ids[1], "refunded by hand") is True
    assert store.resolve(ids[1]) is False
    assert [h.audit_id for h in store.handoffs("waiting")] == [ids[2]]
    assert {h.audit_id for h in store.handoffs("claimed")} == {ids[0]}
    resolved = store.handoffs("resolved")
    assert [h.resolution for h in resolved] == ["refunded by hand"]
    assert len(store.handoffs(None)) == 3


def test_deliveries_are_recorded_against_the_record(store: SQLStore) -> None:
    """record_delivery outcomes show up, in order, on the record."""
    conv, draft, d = case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)])
    store.write(conv, draft, d)
    store.record_delivery(d.audit_id, "webhook", False, "HTTP 503")
    store.record_delivery(d.audit_id, "webhook", True, None)
    record = store.get(d.audit_id)
    assert record is not None
    assert [(x["ok"], x["error"]) for x in record["deliveries"]] == [
        (False, "HTTP 503"),
        (True, None),
    ]


def test_tenants_never_see_each_other(backend: str) -> None:
    """Two tenants sharing one database read, export, claim and purge only their own."""
    acme, globex = open_url(backend, "acme"), open_url(backend, "globex")
    try:
        conv, draft, d = case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)])
        acme.write(conv, draft, d)
        gconv, gdraft, gd = case(tenant="globex")
        globex.write(gconv, gdraft, gd)
        assert globex.get(d.audit_id) is None
        assert [r["audit_id"] for r in globex.records()] == [gd.audit_id]
        assert globex.handoffs(None) == []
        assert globex.claim(d.audit_id, "mallory") is False
        assert globex.resolve(d.audit_id) is False
        assert globex.purge(1, now=datetime.now(UTC) + timedelta(days=30)) == 1
        assert acme.count() == 1 and globex.count() == 0
        with pytest.raises(AuditError):
            globex.write(conv, draft, d)  # acme's decision through globex's store
    finally:
        acme.close()
        globex.close()


def test_a_duplicate_audit_id_is_refused_not_merged(store: SQLStore) -> None:
    """Writing the same audit id twice raises (the pipeline then escalates)."""
    conv, draft, d = case()
    store.write(conv, draft, d)
    with pytest.raises(AuditError):
        store.write(conv, draft, d)
    assert store.count() == 1


def test_a_failed_write_leaves_no_half_record(store: SQLStore) -> None:
    """Decision and handoff commit together: when the handoff insert fails, neither stays."""
    conv, draft, d = case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)])
    store.write(conv, draft, d)
    with store._tx() as cur:  # remove the decision, keep its queue entry
        cur.execute(store._q("DELETE FROM guardrail_decisions WHERE audit_id = ?"), (d.audit_id,))
    with pytest.raises(AuditError):
        store.write(conv, draft, d)  # decision insert succeeds, handoff insert collides
    assert store.get(d.audit_id) is None


def test_purge_deletes_only_records_past_retention(store: SQLStore) -> None:
    """Records older than the cut-off go with their queue entries; newer ones stay."""
    conv, draft, d = case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)])
    store.write(conv, draft, d)
    store.save_sample(d.audit_id, "judge", [])
    assert store.purge(395) == 0
    assert store.purge(30, now=datetime.now(UTC) + timedelta(days=31)) == 1
    assert store.count() == 0 and store.handoffs(None) == [] and store.samples() == []
    with pytest.raises(AuditError):
        store.purge(0)


def test_export_streams_every_record_in_order_across_pages(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """records() yields each record once, oldest first, across page boundaries, and
    honours [since, until)."""
    monkeypatch.setattr("guardrail.audit._store._PAGE", 7)
    written = []
    for _ in range(23):
        conv, draft, d = case()
        store.write(conv, draft, d)
        written.append(d.audit_id)
    ids = [r["audit_id"] for r in store.records()]
    assert sorted(ids) == sorted(written) and len(ids) == len(set(ids))
    stamps = [r["recorded_at"] for r in store.records()]
    assert stamps == sorted(stamps)
    assert list(store.records(until=datetime(2000, 1, 1, tzinfo=UTC))) == []
    future = datetime.now(UTC) + timedelta(days=1)
    assert list(store.records(since=future)) == []


def test_samples_are_stored_once_and_attached_to_the_record(store: SQLStore) -> None:
    """The first verdict for a record wins; it shows up in get() and export."""
    conv, draft, d = case()
    store.write(conv, draft, d)
    bad = ClaimVerdict(text="60 days", verdict="INCONSISTENT", reason="policy says 30")
    assert store.save_sample(d.audit_id, "judge-a", [bad]) is True
    assert store.save_sample(d.audit_id, "judge-b", []) is False
    assert store.save_sample("no-such-record", "judge-a", []) is False
    record = store.get(d.audit_id)
    assert record is not None and record["sample"]["hallucinated"] is True
    assert record["sample"]["judge_model"] == "judge-a"
    assert store.released_unsampled() == []


def test_reopening_migrates_once_and_keeps_records(tmp_path: Path) -> None:
    """A store file opened again is at the current schema version with its records."""
    path = tmp_path / "a.db"
    first = SQLiteStore(path, "acme")
    first.write(*case())
    first.close()
    again = SQLiteStore(path, "acme")
    with again._read() as cur:
        cur.execute("SELECT version FROM guardrail_schema")
        assert cur.fetchall() == [(SCHEMA_VERSION,)]
    assert again.count() == 1 and again.integrity_ok()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    """A store written by a newer guardrail is not silently downgraded."""
    path = tmp_path / "a.db"
    store = SQLiteStore(path, "acme")
    with store._tx() as cur:
        cur.execute("UPDATE guardrail_schema SET version = 99")
    store.close()
    with pytest.raises(AuditError, match="newer"):
        SQLiteStore(path, "acme")


@pytest.mark.parametrize(
    ("url", "expected"),
    [("sqlite:///audit.db", "base/audit.db"), ("sqlite:///sub/a.db", "base/sub/a.db")],
)
def test_relative_sqlite_urls_resolve_against_the_config_folder(
    tmp_path: Path, url: str, expected: str
) -> None:
    """sqlite:///FILE is relative to the config file's folder, created on first use."""
    store = open_sql_store(AuditConfig(store=url), tmp_path / "base", "acme")
    assert isinstance(store, SQLiteStore)
    assert store.path == tmp_path / expected and store.path.exists()
    store.close()


def test_absolute_sqlite_url_and_none(tmp_path: Path) -> None:
    """sqlite:////abs is absolute; none opens nothing."""
    store = open_store(AuditConfig(store=f"sqlite:///{tmp_path}/x.db"), Path("/elsewhere"), "a")
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "x.db"
    store.close()
    assert open_store(AuditConfig(store="none"), tmp_path, "acme") is None


@pytest.mark.parametrize("url", ["mysql://db/x", "sqlite:/x.db", "audit.db", "sqlite://"])
def test_unknown_store_urls_are_config_errors_naming_the_key(tmp_path: Path, url: str) -> None:
    """An unsupported URL is a ConfigError that names [audit] store."""
    with pytest.raises(ConfigError, match=r"\[audit\] store"):
        open_store(AuditConfig(store=url), tmp_path, "acme")


def test_an_unwritable_location_is_an_audit_error(tmp_path: Path) -> None:
    """A store that cannot be created raises AuditError, not a raw OS error."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(AuditError):
        SQLiteStore(blocker / "audit.db", "acme")
