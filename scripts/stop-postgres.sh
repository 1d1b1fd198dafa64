#!/usr/bin/env bash
# Stop the cluster scripts/start-postgres.sh started and delete its data.
#   bash scripts/stop-postgres.sh [DATA_DIR]     (default: $GUARDRAIL_TEST_POSTGRES_DATA)
set -euo pipefail
DATA="${1:-${GUARDRAIL_TEST_POSTGRES_DATA:-}}"
if [ -z "$DATA" ] || [ ! -d "$DATA/db" ]; then
  echo "stop-postgres: no cluster data directory given or found" >&2
  exit 1
fi
case "$(basename "$DATA")" in
  guardrail-pg.*) ;;
  *) echo "stop-postgres: $DATA is not a start-postgres.sh cluster; refusing" >&2; exit 1 ;;
esac
BINDIR="${GUARDRAIL_TEST_POSTGRES_BIN:-$(dirname "$(readlink -f "$(command -v pg_ctl)")")}"
if [ "$(id -u)" = "0" ]; then
  (cd "$DATA" && runuser -u postgres -- "$BINDIR/pg_ctl" -D "$DATA/db" -m immediate -w stop >&2) || true
else
  (cd "$DATA" && "$BINDIR/pg_ctl" -D "$DATA/db" -m immediate -w stop >&2) || true
fi
rm -rf "$DATA"
echo "stop-postgres: stopped and removed $DATA" >&2
