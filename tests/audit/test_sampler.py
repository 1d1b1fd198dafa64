"""The hallucination sampler: selection, version-aware sources, the judge, the verdicts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from guardrail._judge import ReviewerJudge, judge_from_config
from guardrail.audit import AuditConfig, SQLiteStore, SQLStore
from guardrail.config import TenantConfig
from guardrail.errors import ConfigError
from guardrail.knowledge import Document, GoldenSet, Knowledge, KnowledgeBase
from guardrail.models import Action, ClaimVerdict, Code
from guardrail.sampler import FunctionJudge, SampleCase, sample
from guardrail.sampler._sampler import same_model, selected

from .factory import case, finding

BEFORE = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _kb() -> Knowledge:
    docs = KnowledgeBase(
        [
            Document(
                id="returns-policy",
                version="2",
                effective_to=datetime(2026, 10, 1, tzinfo=UTC),
                text="Returns within 60 days.",
            ),
            Document(
                id="returns-policy",
                version="3",
                effective_from=datetime(2026, 10, 1, tzinfo=UTC),
                text="Returns within 30 days.",
            ),
        ]
    )
    return Knowledge(golden=GoldenSet(()), documents=docs)


def _consistent(case: SampleCase) -> list[ClaimVerdict]:
    return [ClaimVerdict(text=case.response, verdict="CONSISTENT", reason="matches")]


@pytest.fixture
def sqlite(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "audit.db", "acme", AuditConfig(sample_rate=1.0))


def test_selection_is_stable_and_close_to_the_rate() -> None:
    """The same audit id is always (not) selected, and ~2% of ids are."""
    ids = [f"{i:032x}" for i in range(20_000)]
    chosen = [a for a in ids if selected(a, 0.02)]
    assert 0.015 < len(chosen) / len(ids) < 0.025
    assert chosen == [a for a in ids if selected(a, 0.02)]
    assert not any(selected(a, 0.0) for a in ids[:100])
    assert all(selected(a, 1.0) for a in ids[:100])


async def test_only_released_decisions_are_judged_once(sqlite: SQLiteStore) -> None:
    """Escalations are not sampled; a second run judges nothing new."""
    sqlite.write(*case())
    sqlite.write(*case(action=Action.escalate, findings=[finding(Code.LOW_CONFIDENCE)]))
    sqlite.write(*case(action=Action.rewrite))
    calls: list[str] = []

    def judge(c: SampleCase) -> list[ClaimVerdict]:
        calls.append(c.audit_id)
        return _consistent(c)

    first = await sample(sqlite, _kb(), FunctionJudge(judge))
    assert (first.considered, first.selected, first.judged) == (2, 2, 2)
    again = await sample(sqlite, _kb(), FunctionJudge(judge))
    assert (again.considered, again.judged) == (0, 0)
    assert len(calls) == 2


async def test_sources_are_fetched_as_they_were_at_as_of(sqlite: SQLiteStore) -> None:
    """A September interaction is judged against v2 (60 days), a November one against
    v3 (30 days), whatever version the agent cited."""
    sqlite.write(*case(as_of=BEFORE, text="60 days", sources=[("returns-policy", "2")]))
    sqlite.write(*case(as_of=AFTER, text="60 days", sources=[("returns-policy", "2")]))
    seen: dict[str, tuple[str | None, str, bool]] = {}

    def judge(c: SampleCase) -> list[ClaimVerdict]:
        src = c.sources[0]
        seen[c.as_of.strftime("%m")] = (src.version, src.text, src.stale)
        verdict = "CONSISTENT" if "60" in src.text else "INCONSISTENT"
        return [ClaimVerdict(text="60 days", verdict=verdict, reason="vs source")]

    report = await sample(sqlite, _kb(), FunctionJudge(judge))
    assert seen == {
        "09": ("2", "Returns within 60 days.", False),
        "11": ("3", "Returns within 30 days.", True),
    }
    assert report.hallucinated == 1
    assert len(sqlite.samples()) == 2


async def test_the_generator_never_judges_itself(sqlite: SQLiteStore) -> None:
    """A record drafted by the judge's own model (snapshot or prefix aside) is skipped."""
    sqlite.write(*case(model="openai/gpt-4o-2024-08-06"))
    sqlite.write(*case(model="claude-sonnet-4-5"))
    report = await sample(sqlite, _kb(), FunctionJudge(_consistent, model="gpt-4o"))
    assert report.skipped_same_model == 1 and report.judged == 1
    assert same_model("GPT-4o-latest", "gpt-4o") and not same_model("gpt-4o", "gpt-4o-mini")


async def test_a_failing_judge_leaves_the_record_for_a_later_run(sqlite: SQLiteStore) -> None:
    """Judge errors are counted, nothing is stored, and the next run retries them."""
    sqlite.write(*case())

    def broken(c: SampleCase) -> list[ClaimVerdict]:
        raise RuntimeError("provider down")

    report = await sample(sqlite, _kb(), FunctionJudge(broken))
    assert report.errors == 1 and report.judged == 0 and sqlite.samples() == []
    retry = await sample(sqlite, _kb(), FunctionJudge(_consistent))
    assert retry.judged == 1


async def test_the_rate_and_limit_bound_the_work(sqlite: SQLiteStore) -> None:
    """rate=0 judges nothing; limit caps one run."""
    for _ in range(5):
        sqlite.write(*case())
    assert (await sample(sqlite, _kb(), FunctionJudge(_consistent), rate=0.0)).selected == 0
    assert (await sample(sqlite, _kb(), FunctionJudge(_consistent), limit=2)).judged == 2


async def test_the_judge_sees_redacted_text_only(sqlite: SQLiteStore) -> None:
    """What the sampler hands a judge comes from the redacted record."""
    sqlite.write(*case(customer_text="I am jane@example.com", text="Mail sent to jane@example.com"))
    cases: list[SampleCase] = []

    async def judge(c: SampleCase) -> list[ClaimVerdict]:
        cases.append(c)
        return []

    await sample(sqlite, _kb(), FunctionJudge(judge))
    assert cases[0].question == ("I am <EMAIL>",) and cases[0].response == "Mail sent to <EMAIL>"


async def test_a_reviewer_can_be_the_judge(sqlite: SQLiteStore) -> None:
    """ReviewerJudge sends the review prompt (sources as in force at as_of) and returns
    the reviewer's per-claim verdicts."""
    from guardrail.models import ReviewAnswer
    from guardrail.review import ReviewReply, ReviewRequest

    prompts: list[str] = []

    class Reviewer:
        provider, model = "fake", "judge-model"

        async def review(self, request: ReviewRequest) -> ReviewReply:
            prompts.append(request.prompt)
            claim = ClaimVerdict(text="60 days", verdict="INCONSISTENT", reason="v3 says 30")
            answer = ReviewAnswer(verdict="escalate", reasoning="stale", claims=[claim])
            return ReviewReply(answer=answer)

        async def aclose(self) -> None:
            return None

    sqlite.write(*case(as_of=AFTER, text="60 days", sources=[("returns-policy", "2")]))
    report = await sample(sqlite, _kb(), ReviewerJudge(Reviewer(), _kb()))
    assert report.hallucinated == 1
    assert "Returns within 30 days." in prompts[0]
    rows = sqlite.samples()
    assert rows[0].claims[0].reason == "v3 says 30"


async def test_the_configured_judge_is_the_audit_judge_over_review(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``[audit] judge_*`` override ``[review]`` key by key: another provider gets its own
    key variable, and the judge wraps that provider's reviewer (no review layer)."""
    from guardrail.review import AnthropicReviewer

    monkeypatch.setenv("ANTHROPIC_API_KEY", "placeholder")
    config = TenantConfig.model_validate(
        {
            "tenant": {"id": "acme"},
            "review": {"provider": "openai", "model": "gpt-x", "api_key_env": "OPENAI_KEY"},
            "audit": {"judge_provider": "anthropic", "judge_model": "claude-x"},
        }
    )
    judge = judge_from_config(config, _kb())
    try:
        assert isinstance(judge.reviewer, AnthropicReviewer)
        assert judge.model == "claude-x" and judge.max_attempts == 3
    finally:
        await judge.aclose()


def test_a_judge_without_a_provider_or_key_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No provider anywhere, or a judge whose key variable is unset, is a ConfigError that
    says it is about the sampler's judge."""
    bare = TenantConfig.model_validate({"tenant": {"id": "acme"}})
    with pytest.raises(ConfigError, match="no judge for the sampler"):
        judge_from_config(bare, _kb())
    keyless = TenantConfig.model_validate(
        {"tenant": {"id": "acme"}, "audit": {"judge_provider": "openai", "judge_model": "m"}}
    )
    with pytest.raises(ConfigError, match=r"the sampler's judge .*OPENAI_API_KEY"):
        judge_from_config(keyless, _kb())


@pytest.mark.postgres
async def test_sampling_works_on_postgres(pg_dsn: str) -> None:
    """The sampler reads and writes verdicts through PostgreSQL too."""
    from .conftest import open_url

    store: SQLStore = open_url(pg_dsn, config=AuditConfig(sample_rate=1.0))
    try:
        store.write(*case(text="60 days"))
        report = await sample(store, _kb(), FunctionJudge(_consistent))
        assert report.judged == 1 and store.samples()[0].hallucinated is False
    finally:
        store.close()
