#!/usr/bin/env bash
# ContraVento - local development without Docker (SQLite).
#
#   ./run-local-dev.sh            the API on http://localhost:8000 and the web app on
#                                 http://localhost:5173 (sets everything up on first run)
#   ./run-local-dev.sh --api-only only the API
#   ./run-local-dev.sh --setup    (re)install dependencies, create backend/.env, migrate, seed
#   ./run-local-dev.sh --reset    delete the local database and uploads, then set up again
#   ./run-local-dev.sh --help     this help
#
# Demo riders: testuser / TestPass123!  and  maria_garcia / SecurePass456!
# Ports: PORT (API, 8000) and WEB_PORT (web app, 5173).  The web app needs Node.js 20+.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
BACKEND="$ROOT/backend"
VENV="$BACKEND/.venv"
ENV_FILE="$BACKEND/.env"
DB_FILE="$BACKEND/contravento_dev.db"
FRONTEND="$ROOT/frontend"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_PORT=${WEB_PORT:-5173}
WEB_PID=""

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

python_bin() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 or newer is required" >&2
  return 1
}

install_deps() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "Creating the virtual environment in backend/.venv"
    "$(python_bin)" -m venv "$VENV"
  fi
  log "Installing the backend and its dependencies"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
  # the application only; ./run-tests.sh adds the test tools (the `dev` group)
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$BACKEND"
}

write_env() {
  if [ -f "$ENV_FILE" ]; then
    log "Keeping the existing backend/.env"
    return
  fi
  log "Creating backend/.env from backend/.env.dev.example with a new SECRET_KEY"
  local key
  key=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')
  sed "s|^SECRET_KEY=.*|SECRET_KEY=$key|" "$BACKEND/.env.dev.example" >"$ENV_FILE"
  chmod 600 "$ENV_FILE"
}

migrate_and_seed() {
  log "Applying migrations (alembic upgrade head)"
  (cd "$BACKEND" && "$VENV/bin/alembic" upgrade head)
  log "Loading achievements, cycling types and demo users"
  (cd "$BACKEND" && "$VENV/bin/python" scripts/seed.py)
}

setup() {
  install_deps
  write_env
  migrate_and_seed
  touch "$VENV/.contravento-setup-done"
}

start_web() {
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: starting the API only (install Node.js 20+ for the web app)"
    return
  fi
  if [ ! -d "$FRONTEND/node_modules" ] || [ "$FRONTEND/package-lock.json" -nt "$FRONTEND/node_modules" ]; then
    log "Installing the web app's dependencies (npm ci)"
    (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
  (cd "$FRONTEND" && VITE_API_PROXY_TARGET="http://127.0.0.1:$PORT" \
    exec ./node_modules/.bin/vite --host 127.0.0.1 --port "$WEB_PORT" --strictPort) &
  WEB_PID=$!
  log "ContraVento web app: http://localhost:$WEB_PORT  (API calls go to /api -> :$PORT)"
}

start() {
  local with_web=$1
  if [ ! -f "$VENV/.contravento-setup-done" ] || [ ! -f "$ENV_FILE" ]; then
    setup
  else
    # keep the schema current after a git pull
    (cd "$BACKEND" && "$VENV/bin/alembic" upgrade head >/dev/null)
  fi
  if [ "$with_web" = yes ]; then start_web; fi
  log "ContraVento API: http://localhost:$PORT  (docs: http://localhost:$PORT/docs)"
  log "Log in as testuser / TestPass123!  -  press Ctrl+C to stop"
  cd "$BACKEND"
  if [ -z "$WEB_PID" ]; then
    exec "$VENV/bin/uvicorn" src.main:app --reload --reload-dir src --host "$HOST" --port "$PORT"
  fi
  # Both in the background and waited for, so that Ctrl+C or a TERM stops both at once.
  "$VENV/bin/uvicorn" src.main:app --reload --reload-dir src --host "$HOST" --port "$PORT" &
  API_PID=$!
  trap 'kill "$API_PID" "$WEB_PID" 2>/dev/null; wait; exit 0' INT TERM
  wait "$API_PID"
  kill "$WEB_PID" 2>/dev/null || true
}

case "${1:-}" in
  "") start yes ;;
  --api-only) start no ;;
  --setup) setup; log "Setup complete. Start the API with ./run-local-dev.sh" ;;
  --reset)
    log "Deleting the local database and uploads"
    rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm"
    rm -rf "$BACKEND/storage"
    if [ ! -x "$VENV/bin/python" ]; then install_deps; fi
    write_env
    migrate_and_seed
    touch "$VENV/.contravento-setup-done"
    log "Reset complete. Start the API with ./run-local-dev.sh"
    ;;
  --help|-h) usage ;;
  *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
esac
