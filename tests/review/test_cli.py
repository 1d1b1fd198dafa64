"""Both providers end to end through the CLI: ``guardrail check`` with a tenant config
whose ``[review] base_url`` points at the loopback fake provider."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrail.cli import main
from guardrail.testing._fake_provider import FakeProvider, Step

from ..conftest import ACME
from .conftest import conversation, draft

KEY_ENV = "GUARDRAIL_TEST_REVIEW_KEY"


def write_tenant(tmp_path: Path, provider: str, url: str, **review: object) -> Path:
    lines = [
        "[tenant]",
        'id = "acme"',
        "[grounding]",
        f'golden_set = "{ACME / "policies.json"}"',
        f'knowledge_base = "{ACME / "knowledge"}"',
        "[review]",
        f'provider = "{provider}"',
        'model = "reviewer-model"',
        f'base_url = "{url}"',
        f'api_key_env = "{KEY_ENV}"',
        "timeout_s = 5.0",
        *(f"{k} = {json.dumps(v)}" for k, v in review.items()),
        "[audit]",
        'store = "none"',
    ]
    config = tmp_path / "guardrail.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def write_case(tmp_path: Path) -> Path:
    case = {
        "conversation": conversation("Thanks, that's all I needed!"),
        "draft": draft("You're welcome. Have a great day!"),
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
@pytest.mark.parametrize(
    ("step", "action", "code"),
    [
        (Step.answer("approve"), "release", None),
        (Step.answer("escalate", reasoning="Unsupported promise."), "escalate", "QA_REJECTED"),
        (Step.server_error(401), "escalate", "QA_UNAVAILABLE"),
    ],
    ids=["approve", "escalate", "fault"],
)
def test_cli_check_reviews_through_the_provider(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake: FakeProvider,
    provider: str,
    step: Step,
    action: str,
    code: str | None,
) -> None:
    """``guardrail check`` builds the configured reviewer from the toml, reaches the
    provider at base_url with the key from api_key_env, and prints its verdict."""
    monkeypatch.setenv(KEY_ENV, "cli-test-key")
    fake.script(step)
    config = write_tenant(tmp_path, provider, fake.url)
    status, decision, err = run(capsys, "check", "--config", str(config), str(write_case(tmp_path)))
    assert status == 0, err
    assert decision["action"] == action
    codes = [f["code"] for f in decision["findings"]]  # type: ignore[attr-defined]
    assert codes == ([code] if code else [])
    if code != "QA_UNAVAILABLE":
        assert decision["review"]["provider"] == provider  # type: ignore[index]
    (sent,) = fake.requests
    assert sent.provider == provider
    assert "cli-test-key" in (sent.headers.get("x-api-key", "") + sent.headers["authorization"])
    fake.assert_done()


def test_cli_missing_api_key_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake: FakeProvider
) -> None:
    """A configured provider whose key variable is unset exits 2 naming the variable."""
    config = write_tenant(tmp_path, "anthropic", fake.url)
    status, _, err = run(capsys, "check", "--config", str(config), str(write_case(tmp_path)))
    assert status == 2
    assert "config error" in err and KEY_ENV in err
    assert fake.requests == []
