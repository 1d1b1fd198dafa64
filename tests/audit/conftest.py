"""Fixtures: stores on SQLite (a temp file) and on a real PostgreSQL server.

PostgreSQL: ``GUARDRAIL_TEST_POSTGRES_DSN`` names a server (``.ci/run`` starts one with
``scripts/start-postgres.sh``); otherwise the session starts a throwaway cluster with that
script (without installing anything). If none can be had the PostgreSQL tests skip with
the reason — unless ``CI`` is set, where they fail instead.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrail.audit import AuditConfig, PostgresStore, SQLiteStore, SQLStore

ROOT = Path(__file__).resolve().parents[2]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A DSN for a live PostgreSQL server (started for the session if need be)."""
    dsn = os.environ.get("GUARDRAIL_TEST_POSTGRES_DSN")
    if dsn:
        yield dsn
        return
    env = {**os.environ, "GUARDRAIL_PG_NO_INSTALL": "1"}
    try:
        started = subprocess.run(
            ["bash", str(ROOT / "scripts" / "start-postgres.sh")],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"scripts/start-postgres.sh could not run ({exc})")
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["(no output)"])[-1]
        _unavailable(f"scripts/start-postgres.sh failed: {last}")
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in started.stdout.splitlines()
        if line.startswith("export ")
    )
    values = {k: v.strip("'") for k, v in exports.items()}
    try:
        yield values["GUARDRAIL_TEST_POSTGRES_DSN"]
    finally:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "stop-postgres.sh")],
            env={**os.environ, **values},
            capture_output=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def pg_dsn(postgres_server: str) -> Iterator[str]:
    """A DSN whose search_path is a fresh, empty schema (dropped after the test): as
    good as a new database for the store, and far quicker to make."""
    import psycopg

    name = f"gr_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    sep = "&" if "?" in postgres_server else "?"
    try:
        yield f"{postgres_server}{sep}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL for each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    dsn: str = request.getfixturevalue("pg_dsn")
    return dsn


def open_url(url: str, tenant: str = "acme", config: AuditConfig | None = None) -> SQLStore:
    cfg = config or AuditConfig()
    if url.startswith("sqlite:///"):
        return SQLiteStore(url.removeprefix("sqlite:///"), tenant, cfg)
    return PostgresStore(url, tenant, cfg)


@pytest.fixture
def store(backend: str) -> Iterator[SQLStore]:
    """The acme tenant's store on each backend."""
    opened = open_url(backend)
    yield opened
    opened.close()
