#!/usr/bin/env bash
# Smoke test of ./run-local-dev.sh in a pristine copy of the checkout: the first plain run
# sets everything up by itself, serves the API, and testuser can log in.  Then --reset.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/contravento-localdev.XXXXXX)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cd "$ROOT"
git ls-files -z --cached --others --exclude-standard | tar -C "$ROOT" --null -T - -cf - | tar -C "$WORK" -xf -
cd "$WORK"
test ! -e backend/.env
test ! -e backend/.venv

./run-local-dev.sh --help | grep -q -- "--reset"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
WEB_PORT=$(free_port)
export PORT WEB_PORT
./run-local-dev.sh >"$WORK/run.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$PID" 2>/dev/null; then cat "$WORK/run.log"; echo "run-local-dev.sh exited"; exit 1; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/health" | grep -q '"database":"connected"'
login=$(curl -fs -X POST "http://127.0.0.1:$PORT/auth/login" -H 'Content-Type: application/json' \
  -d '{"login": "testuser", "password": "TestPass123!"}')
echo "$login" | grep -q '"access_token"'
token=$(echo "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')
curl -fs "http://127.0.0.1:$PORT/auth/me" -H "Authorization: Bearer $token" | grep -q '"username":"testuser"'
# the web app answers and proxies /api to the API
for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$WEB_PORT/" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$WEB_PORT/" | grep -qi '<div id="root"'
curl -fs "http://127.0.0.1:$WEB_PORT/api/health" | grep -q '"status":"healthy"'
grep -q "web app: http://localhost:$WEB_PORT" "$WORK/run.log"
grep -q '^SECRET_KEY=' backend/.env
! grep -q '__GENERATED' backend/.env
test -f backend/contravento_dev.db
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
sleep 1
if curl -fs "http://127.0.0.1:$WEB_PORT/" >/dev/null 2>&1; then
  echo "the web app kept running after run-local-dev.sh stopped"; exit 1
fi

./run-local-dev.sh --reset >"$WORK/reset.log" 2>&1
grep -q "Reset complete" "$WORK/reset.log"
echo "local-dev smoke test: OK (API and web app served, testuser logged in, reset works)"
