#!/usr/bin/env bash
# The web app's checks, one PASS/FAIL line each:
#   npm ci, the API schema is current (re-exported from the backend), generated types are
#   current, lint, type-check, unit tests, production build, bundle budget, and the
#   end-to-end tests in Debian's Chromium: the UI against a fake API, then the rider's flow,
#   the other features (GPX, POIs, admin, photo, password, account deletion) and the
#   accessibility checks (axe, keyboard, 360 px) against the real backend (SQLite + SMTP sink).
# Needs backend/.venv (./run-tests.sh creates it).  Exits non-zero if any check failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRONTEND="$ROOT/frontend"
PY="$ROOT/backend/.venv/bin/python"
passed=0
failed=0
check() {
  local name=$1; shift
  echo "---- $name"
  if "$@"; then passed=$((passed + 1)); echo "PASS: $name"; else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "Chromium is required for the end-to-end tests (sudo apt-get install chromium)"
  fi
fi

cd "$FRONTEND" || exit 1
check "npm ci" npm ci --no-audit --no-fund --loglevel=error

schema_current() {
  local fresh
  fresh=$(mktemp)
  (cd "$ROOT/backend" && "$PY" scripts/export_openapi.py "$fresh") || return 1
  if ! diff -q "$fresh" src/api/openapi.json >/dev/null; then
    echo "frontend/src/api/openapi.json is stale: run 'npm run sync:api' in frontend/ and commit"
    diff -u src/api/openapi.json "$fresh" | head -40
    rm -f "$fresh"
    return 1
  fi
  rm -f "$fresh"
}
check "API schema matches the backend" schema_current
check "generated API types are current" npm run --silent check:api
check "lint" npm run --silent lint
check "type-check" npm run --silent type-check
check "unit tests" npm test --silent
built=0
build() { npm run --silent build && built=1; }
check "production build" build
check "bundle budget" npm run --silent check:bundle
# The end-to-end run serves dist/: reuse the build just checked instead of building again.
e2e_env=(E2E_STRICT=1 CI=true)
[ "$built" = 1 ] && e2e_env+=(E2E_SKIP_BUILD=1)
check "end-to-end (Chromium, real backend)" env "${e2e_env[@]}" npm run --silent test:e2e:local

echo "frontend: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
