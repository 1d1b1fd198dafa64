"""The docs a user gets with the repository are self-contained."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _tracked_markdown() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        files = [ROOT / line for line in out.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        files = [p for p in ROOT.rglob("*.md") if ".venv" not in p.parts]
    return [f for f in files if f.is_file()]


def test_no_tracked_doc_links_outside_the_repository() -> None:
    """Every relative link in a tracked Markdown file resolves to a file inside the repo."""
    bad: list[str] = []
    docs = _tracked_markdown()
    assert any(p.name == "formats.md" for p in docs)
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a URL or an anchor on the same page
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                bad.append(f"{doc.relative_to(ROOT)} -> {target}")
        if re.search(r"\.\./shared/|shared/DESIGN\.md", text):
            bad.append(f"{doc.relative_to(ROOT)} mentions a file outside the repository")
    assert bad == []
