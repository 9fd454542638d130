#!/usr/bin/env bash
# ContraVento: run every test suite.  Installs what it needs, starts and stops the servers
# the suites use (PostgreSQL on 127.0.0.1), and exits non-zero if any suite fails.
#
#   ./run-tests.sh            everything
#   ./run-tests.sh --quick    backend on SQLite only (no servers)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
BACKEND="$ROOT/backend"
VENV="$BACKEND/.venv"
ARTIFACTS="$ROOT/test-artifacts"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d /tmp/contravento-tests.XXXXXX)
chmod 755 "$WORK"
passed=0
failed=0
failures=()

SQLITE_PID=""
cleanup() {
  if [ -n "$SQLITE_PID" ]; then kill "$SQLITE_PID" 2>/dev/null; wait "$SQLITE_PID" 2>/dev/null; fi
  "$ROOT/scripts/testing/pg.sh" stop "$WORK/pg" || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

step() { printf '\n==== %s ====\n' "$1"; }
record() {
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1)); echo "PASS: $1"
  else
    failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1"
  fi
}

step "system packages (redis-server for the runtime tests)"
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null ||
      { echo "could not install redis-server"; exit 1; }
  else
    echo "redis-server is required (sudo apt-get install redis-server)"; exit 1
  fi
fi

step "installing the backend"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || { echo "cannot create $VENV"; exit 1; }
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1" >/dev/null || exit 1
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$BACKEND" --group "$BACKEND/pyproject.toml:dev" || {
  echo "backend install failed"; exit 1; }
PY="$VENV/bin/python"

cd "$BACKEND" || exit 1

step "ruff"
"$PY" -m ruff check . && "$PY" -m ruff format --check .
record "ruff (lint + format)" $?

step "mypy"
"$PY" -m mypy
record "mypy" $?

sqlite_tests() {
  "$PY" -m pytest -q -p no:cacheprovider --junitxml="$ARTIFACTS/backend-sqlite.xml"
}

if [ "$QUICK" -eq 1 ]; then
  step "backend tests on SQLite"
  sqlite_tests
  record "backend tests (SQLite)" $?
else
  # The two database passes run side by side, one core each: they share nothing (their own
  # database, temporary directory and ephemeral ports).  Back to back they took 7.4 + 8.5
  # minutes in CI; side by side both were done in 4.2 minutes on the same 2-core machine.
  # Each writes to its own log, printed whole when both are done.
  step "backend tests on SQLite and on PostgreSQL (side by side)"
  sqlite_tests >"$WORK/sqlite.log" 2>&1 &
  SQLITE_PID=$!
  pg_rc=1
  if port=$("$ROOT/scripts/testing/pg.sh" start "$WORK/pg"); then
    createdb_url="postgresql+asyncpg://postgres@127.0.0.1:$port/contravento_test"
    "$PY" - "$port" <<'PYEOF'
import asyncio, sys
import asyncpg
async def main() -> None:
    conn = await asyncpg.connect(host="127.0.0.1", port=int(sys.argv[1]), user="postgres", database="postgres")
    await conn.execute("CREATE DATABASE contravento_test")
    await conn.close()
asyncio.run(main())
PYEOF
    TEST_DATABASE_URL="$createdb_url" "$PY" -m pytest -q -p no:cacheprovider \
      --junitxml="$ARTIFACTS/backend-postgres.xml" >"$WORK/postgres.log" 2>&1
    pg_rc=$?
  else
    echo "could not start PostgreSQL" >"$WORK/postgres.log"
  fi
  wait "$SQLITE_PID"
  sqlite_rc=$?
  SQLITE_PID=""
  step "backend tests on SQLite"
  cat "$WORK/sqlite.log"
  record "backend tests (SQLite)" "$sqlite_rc"
  step "backend tests on PostgreSQL"
  cat "$WORK/postgres.log"
  record "backend tests (PostgreSQL)" "$pg_rc"
fi

if [ "$QUICK" -eq 0 ]; then
  # Once, on its own throwaway PostgreSQL (durable settings, restarted by the suite) and
  # Redis: schemathesis over every operation, a 3-minute memory soak, PostgreSQL restarts.
  step "backend hostile-input suite (production server on PostgreSQL + Redis)"
  "$ROOT/scripts/testing/hostile.sh" -q --junitxml="$ARTIFACTS/backend-hostile.xml"
  record "backend hostile-input suite" $?
fi

if [ "$QUICK" -eq 0 ]; then
  step "web app (npm ci, schema, lint, types, unit, build, bundle, end-to-end)"
  "$ROOT/scripts/testing/frontend.sh"
  record "web app" $?
fi

if [ "$QUICK" -eq 0 ]; then
  step "run-local-dev.sh smoke test (fresh copy)"
  "$ROOT/scripts/testing/local-dev-smoke.sh"
  record "run-local-dev.sh smoke test" $?
fi

if [ "$QUICK" -eq 0 ]; then
  # Both install what they miss (apt as root, as in CI) and never skip.
  step "deployment config checks"
  bash "$ROOT/scripts/ci/check-deploy.sh"
  record "deployment config checks" $?

  step "production topology test"
  bash "$ROOT/scripts/testing/topology-test.sh"
  record "production topology test" $?
fi

echo
echo "==== summary ===="
for f in "${failures[@]}"; do echo "failed: $f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
