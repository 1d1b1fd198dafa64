"""Many writer processes, and a writer killed mid-run: no record lost or duplicated."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guardrail.audit import SQLiteStore

from . import writer
from .conftest import ROOT, open_url

PROCESSES = 8
PER_PROCESS = 500


def _writer(url: str, count: int, prefix: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.audit.writer", url, "acme", str(count), prefix],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _run_writers(url: str) -> None:
    """Eight writer processes at once. A fork server that has imported guardrail once
    forks them, so the test times the writes rather than eight interpreter start-ups."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.audit.writer"])
    procs = [
        ctx.Process(target=writer.main, args=(url, "acme", PER_PROCESS, f"p{n}", False))
        for n in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0


def _check_exactly_once(url: str) -> None:
    store = open_url(url)
    try:
        ids = [r["audit_id"] for r in store.records()]
        expected = {f"p{n}-{i}" for n in range(PROCESSES) for i in range(PER_PROCESS)}
        assert len(ids) == PROCESSES * PER_PROCESS == store.count()
        assert set(ids) == expected
        # every fifth decision escalated: its handoff is queued exactly once
        assert len(store.handoffs("waiting", limit=10_000)) == PROCESSES * PER_PROCESS // 5
    finally:
        store.close()


def test_eight_processes_write_one_sqlite_file(tmp_path: Path) -> None:
    """8 processes × 500 decisions into one SQLite file → exactly 4,000 records."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    open_url(url).close()  # create the schema once (writers would race to, safely)
    _run_writers(url)
    _check_exactly_once(url)


@pytest.mark.postgres
def test_eight_processes_write_one_postgres_database(pg_dsn: str) -> None:
    """8 processes × 500 decisions into PostgreSQL → exactly 4,000 records."""
    _run_writers(pg_dsn)  # the writers also race to migrate the empty schema
    _check_exactly_once(pg_dsn)


def _kill_mid_run(url: str) -> int:
    """Start a writer, SIGKILL it after some commits; return how many it acknowledged."""
    proc = _writer(url, 100_000, "k")
    assert proc.stdout is not None
    acknowledged = 0
    deadline = time.monotonic() + 120  # a safety net: a live writer gets there in ~1 s
    while acknowledged < 300 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged += line.startswith("ok ")
    os.kill(proc.pid, signal.SIGKILL)
    # read the rest through the same buffered reader: communicate() would read the raw
    # pipe and lose the lines readline() had already buffered (an undercount, flaky)
    rest = proc.stdout.read()
    proc.wait(timeout=60)
    assert proc.stderr is not None
    proc.stderr.close()
    proc.stdout.close()
    acknowledged += rest.count("ok ")
    assert proc.returncode == -signal.SIGKILL
    assert acknowledged >= 300
    return acknowledged


def test_a_killed_sqlite_writer_loses_at_most_the_decision_in_flight(tmp_path: Path) -> None:
    """After SIGKILL mid-run the file opens cleanly, passes integrity_check, and holds
    every acknowledged decision plus at most the one in flight."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    acknowledged = _kill_mid_run(url)
    store = SQLiteStore(tmp_path / "audit.db", "acme")
    try:
        assert store.integrity_ok()
        assert acknowledged <= store.count() <= acknowledged + 1
        ids = {r["audit_id"] for r in store.records()}
        assert {f"k-{i}" for i in range(acknowledged)} <= ids
    finally:
        store.close()


@pytest.mark.postgres
def test_a_killed_postgres_writer_loses_at_most_the_decision_in_flight(pg_dsn: str) -> None:
    """After SIGKILL mid-run PostgreSQL holds every acknowledged decision plus at most
    the one in flight, and the store opens and writes again."""
    acknowledged = _kill_mid_run(pg_dsn)
    store = open_url(pg_dsn)
    try:
        assert acknowledged <= store.count() <= acknowledged + 1
        ids = {r["audit_id"] for r in store.records()}
        assert {f"k-{i}" for i in range(acknowledged)} <= ids
    finally:
        store.close()
