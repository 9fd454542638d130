#!/usr/bin/env bash
# ContraVento - local development without Docker (SQLite).
#
#   ./run-local-dev.sh            start the API on http://localhost:8000 (sets up on first run)
#   ./run-local-dev.sh --setup    (re)install dependencies, create backend/.env, migrate, seed
#   ./run-local-dev.sh --reset    delete the local database and uploads, then set up again
#   ./run-local-dev.sh --help     this help
#
# Demo riders: testuser / TestPass123!  and  maria_garcia / SecurePass456!
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
BACKEND="$ROOT/backend"
VENV="$BACKEND/.venv"
ENV_FILE="$BACKEND/.env"
DB_FILE="$BACKEND/contravento_dev.db"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
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
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$BACKEND" \
    --group "$BACKEND/pyproject.toml:dev"
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

start() {
  if [ ! -f "$VENV/.contravento-setup-done" ] || [ ! -f "$ENV_FILE" ]; then
    setup
  else
    # keep the schema current after a git pull
    (cd "$BACKEND" && "$VENV/bin/alembic" upgrade head >/dev/null)
  fi
  log "ContraVento API: http://localhost:$PORT  (docs: http://localhost:$PORT/docs)"
  log "Log in as testuser / TestPass123!  -  press Ctrl+C to stop"
  cd "$BACKEND"
  exec "$VENV/bin/uvicorn" src.main:app --reload --reload-dir src --host "$HOST" --port "$PORT"
}

case "${1:-}" in
  "") start ;;
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
