#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the audit-store tests.
#
#   eval "$(bash scripts/start-postgres.sh)"     # exports GUARDRAIL_TEST_POSTGRES_DSN
#   bash scripts/stop-postgres.sh                # stops it and deletes its data
#
# stdout carries only `export ...` lines (so eval is safe); progress goes to stderr.
# If no PostgreSQL server binaries are found and we are root on a Debian/Ubuntu
# machine, installs the `postgresql` package (set GUARDRAIL_PG_NO_INSTALL=1 to forbid).
# The cluster lives in a temporary directory, listens on 127.0.0.1 on a free port and
# runs with fsync off: it is for tests only. initdb refuses to run as root, so as root
# the server runs as the `postgres` user (created if missing).
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }

find_bindir() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  if [ "${GUARDRAIL_PG_NO_INSTALL:-}" = "1" ]; then
    log "no PostgreSQL server binaries found (and GUARDRAIL_PG_NO_INSTALL=1)"
    exit 1
  fi
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    log "no PostgreSQL server binaries found; install PostgreSQL (needs root and apt-get)"
    exit 1
  fi
  log "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BINDIR="$(find_bindir || true)"
  if [ -z "$BINDIR" ]; then
    log "PostgreSQL was installed but pg_ctl/initdb are still not found"
    exit 1
  fi
fi
log "using $BINDIR"

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    echo $((20000 + RANDOM % 20000))
  fi
}

PORT="${GUARDRAIL_PG_PORT:-$(free_port)}"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/guardrail-pg.XXXXXX")"
RUN=()
if [ "$(id -u)" = "0" ]; then
  if ! id postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  chown postgres "$DATA"
  chmod 700 "$DATA"
  if command -v runuser >/dev/null 2>&1; then
    RUN=(runuser -u postgres --)
  else
    RUN=(su postgres -s /bin/sh -c)
  fi
fi

as_server() {
  # run a server binary as the cluster's owner, from a directory it can read
  if [ "${#RUN[@]}" -eq 0 ]; then
    (cd "$DATA" && "$@")
  elif [ "${RUN[0]}" = "su" ]; then
    (cd "$DATA" && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
  else
    (cd "$DATA" && "${RUN[@]}" "$@")
  fi
}

log "initdb in $DATA"
as_server "$BINDIR/initdb" -D "$DATA/db" -U postgres -A trust -E UTF8 --locale=C --no-sync >&2
OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off"
OPTS="$OPTS -c full_page_writes=off -c max_connections=200"
if ! as_server "$BINDIR/pg_ctl" -D "$DATA/db" -o "$OPTS" -l "$DATA/server.log" -w -t 60 start >&2; then
  log "the server did not start; its log follows"
  cat "$DATA/server.log" >&2 || true
  exit 1
fi
as_server "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres guardrail_test >&2
log "PostgreSQL is up on 127.0.0.1:$PORT (data in $DATA)"

echo "export GUARDRAIL_TEST_POSTGRES_DSN='postgresql://postgres@127.0.0.1:$PORT/guardrail_test'"
echo "export GUARDRAIL_TEST_POSTGRES_DATA='$DATA'"
echo "export GUARDRAIL_TEST_POSTGRES_BIN='$BINDIR'"
