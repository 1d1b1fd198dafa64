"""``guardrail check`` and config loading: the Decision JSON on success; exit 2 with one
line naming the field on bad input; never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guardrail import ConfigError, Decision, Guardrail
from guardrail.cli import MAX_INPUT_BYTES, main

CASE = {
    "conversation": {
        "tenant": "t1",
        "id": "c-1",
        "customer_id": "u-9",
        "as_of": "2026-11-20T10:00:00Z",
        "messages": [{"role": "customer", "text": "Hello"}],
    },
    "draft": {"text": "Hi there, how can I help?", "confidence": 0.9},
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A minimal tenant config with no golden set, tools, review or audit."""
    path = tmp_path / "guardrail.toml"
    path.write_text('[tenant]\nid = "t1"\n[audit]\nstore = "none"\n', encoding="utf-8")
    return path


def run(
    config: Path, payload: bytes, capsys: pytest.CaptureFixture[str], tmp: Path
) -> tuple[int, str, str]:
    case = tmp / "case.json"
    case.write_bytes(payload)
    code = main(["check", "--config", str(config), str(case)])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_one_decision_json(
    config: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A good case prints exactly one Decision JSON object and exits 0."""
    code, out, err = run(config, json.dumps(CASE).encode(), capsys, tmp_path)
    assert code == 0, err
    assert out.count("\n") == 1
    decision = Decision.model_validate_json(out)
    assert decision.conversation_id == "c-1"
    assert decision.action.value == "release"


def _with(path: str, value: object) -> bytes:
    case = json.loads(json.dumps(CASE))
    *parents, last = path.split(".")
    node = case
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return json.dumps(case).encode()


BAD_INPUTS = [
    ("malformed JSON", b'{"conversation": ', "malformed JSON"),
    ("not an object", b"[1, 2]", "JSON object"),
    ("missing draft", json.dumps({"conversation": CASE["conversation"]}).encode(), "draft"),
    ("missing as_of", _with("conversation.as_of", KeyError), "conversation.as_of"),
    ("missing text", _with("draft.text", KeyError), "draft.text"),
    ("mistyped confidence", _with("draft.confidence", "high"), "draft.confidence"),
    ("mistyped messages", _with("conversation.messages", "hello"), "conversation.messages"),
    (
        "bad role",
        _with("conversation.messages", [{"role": "bot", "text": "x"}]),
        "conversation.messages.0.role",
    ),
    ("naive timestamp", _with("conversation.as_of", "2026-11-20T10:00:00"), "conversation.as_of"),
    ("not a timestamp", _with("conversation.as_of", "yesterday"), "conversation.as_of"),
    ("NaN", json.dumps(CASE).replace("0.9", "NaN").encode(), "NaN"),
    ("unknown top-level key", _with("extra", 1), "extra"),
    ("not UTF-8", json.dumps(CASE).encode().replace(b"Hello", b"H\xe9llo"), "UTF-8"),
    ("oversized", b" " * (MAX_INPUT_BYTES + 1), "larger than"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "nested"),
]


@pytest.mark.parametrize(("label", "payload", "names"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line_naming_the_problem(
    label: str,
    payload: bytes,
    names: str,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Each kind of bad input exits 2 with a single stderr line that names the field."""
    code, out, err = run(config, payload, capsys, tmp_path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert names in err


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[tenant]\nid = "t"\n[review]\ntimeout = 3\n', "[review] timeout: unknown key"),
        ('[tenant]\nid = "t"\n[review]\ntimeout_s = "fast"\n', "[review] timeout_s"),
        (
            '[tenant]\nid = "t"\n[routing]\nconfidence_threshold = 2\n',
            "[routing] confidence_threshold",
        ),
        ('[tenant]\nid = "t"\n[review]\nprovider = "gemini"\n', "[review] provider"),
        ('[tenant]\nid = "t"\n[nonsense]\nx = 1\n', "[nonsense]"),
        ("[grounding]\n", "[tenant]"),
        ('[tenant\nid = "t"\n', "not valid TOML"),
        ('[tenant]\nid = "t"\n[grounding]\ngolden_set = "missing.json"\n', "missing.json"),
    ],
)
def test_config_errors_name_the_key(
    toml: str, names: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown key, a wrong type or a missing file is a config error naming it (exit 2)."""
    path = tmp_path / "guardrail.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=names.replace("[", r"\[").replace("]", r"\]")):
        Guardrail.from_config(str(path))
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    assert main(["check", "--config", str(path), str(case)]) == 2
    assert "config error" in capsys.readouterr().err


def test_console_script_reads_stdin_and_never_prints_a_traceback(config: Path) -> None:
    """The installed `guardrail` command reads '-' from stdin; bad input is one line."""
    exe = shutil.which("guardrail") or str(Path(sys.executable).parent / "guardrail")
    good = subprocess.run(
        [exe, "check", "--config", str(config), "-"],
        input=json.dumps(CASE).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["action"] == "release"
    bad = subprocess.run(
        [exe, "check", "--config", str(config), "-"],
        input=b"{nope",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1
    assert b"Traceback" not in bad.stderr
