"""The HTML report renders in a real browser (Debian's headless Chromium)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from guardrail.testing import FakeProvider

from .conftest import SAMPLE, run_eval

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI") != "true":  # CI installs it (scripts/test)
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None, "CI must install Debian's chromium (scripts/test)"
    profile = tmp_path / "profile"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _distinct_colours(png: bytes) -> int:
    """How many distinct RGB colours the (8-bit RGB/RGBA, non-interlaced) PNG holds."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, bpp = zlib.decompress(idat), 3 if ctype == 2 else 4
    stride, seen, prev = width * bpp, set(), bytearray(width * bpp)
    for y in range(height):
        filt, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            seen.add(bytes(line[x : x + 3]))
        prev = line
    return len(seen)


def test_report_renders_with_its_charts(fake: FakeProvider, tmp_path: Path) -> None:
    """Chromium lays out the report: its DOM holds the charts and the responses, and a
    screenshot is a real picture (many colours), not a blank page."""
    out = tmp_path / "out"
    run_eval(fake, SAMPLE, out)
    page = (out / "dev-report.html").resolve()
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    for chart in ('id="distribution"', 'id="intents"', 'id="gate-vs-judge"', 'id="responses"'):
        assert chart in dom
    assert dom.count("<svg") >= 2
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    png = shot.read_bytes()
    assert len(png) > 10_000
    assert _distinct_colours(png) > 8
