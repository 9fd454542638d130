#!/usr/bin/env bash
# The backend's hostile-input suite (backend/tests/hostile), once, against PostgreSQL and Redis
# with the production server command (gunicorn + uvicorn workers):
#   * schemathesis over every operation of the OpenAPI schema, anonymous, as a rider and as
#     an admin: no response >= 500, none outside its documented schema;
#   * a 3-minute soak at moderate mixed load: the workers' memory stops growing;
#   * PostgreSQL restarted (fast, then a crash-like immediate stop) during writes: the API
#     recovers by itself and every acknowledged write is in the database.
# It starts its own throwaway PostgreSQL server (scripts/testing/pg.sh with PG_DURABLE=1, so
# commits really are durable) and its own Redis; extra arguments go to pytest.
#   scripts/testing/hostile.sh [-k soak] [--junitxml=FILE]
# Needs backend/.venv with the dev group (./run-tests.sh creates it) and redis-server.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY="$ROOT/backend/.venv/bin/python"
WORK=$(mktemp -d /tmp/contravento-hostile.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  "$ROOT/scripts/testing/pg.sh" stop "$WORK/pg" || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if ! port=$(PG_DURABLE=1 "$ROOT/scripts/testing/pg.sh" start "$WORK/pg"); then
  echo "could not start PostgreSQL"
  exit 1
fi
"$PY" - "$port" <<'PYEOF' || exit 1
import asyncio, sys
import asyncpg
async def main() -> None:
    conn = await asyncpg.connect(host="127.0.0.1", port=int(sys.argv[1]), user="postgres", database="postgres")
    await conn.execute("CREATE DATABASE contravento_hostile")
    await conn.close()
asyncio.run(main())
PYEOF

cd "$ROOT/backend" || exit 1
TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/contravento_hostile" \
HOSTILE_PG_DATA="$WORK/pg/data" \
  "$PY" -m pytest tests/hostile -p no:cacheprovider -rA "$@"
