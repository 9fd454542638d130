#!/usr/bin/env bash
# ContraVento load benchmark: one command.
#
#   bench/run.sh                 scales 1k,10k,100k (about 22 minutes on 2 cores at BENCH_DURATION=10)
#   bench/run.sh --quick         scale 1k, 5 s per scenario (about 5 minutes)
#   BENCH_SCALES=1k,100k bench/run.sh
#
# Other knobs: BENCH_DURATION (s per scenario, default 20), BENCH_WARMUP (3),
# BENCH_CONNECTIONS (50), BENCH_WORKERS (gunicorn workers, 2), BENCH_QUIET_WAIT (seconds to
# wait for a load average below 1.5 before starting, default 0), BENCH_RESULTS (output dir).
#
# It installs wrk (and hey) and redis-server with apt when missing, starts a throwaway
# PostgreSQL (scripts/testing/pg.sh initialises it; it is then restarted with durable,
# production-like settings) and Redis on 127.0.0.1, runs bench/bench.py, writes
# bench/results/latest.json and latest.md, and stops everything on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
VENV="$ROOT/backend/.venv"

if [ "${1:-}" = "--quick" ]; then
  export BENCH_QUICK=1
  export BENCH_SCALES=${BENCH_SCALES:-1k}
fi
export BENCH_SCALES=${BENCH_SCALES:-1k,10k,100k}

need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v hey >/dev/null 2>&1 || need_apt+=(hey)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need_apt[*]} (sudo apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null; }
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT/backend" \
    --group "$ROOT/backend/pyproject.toml:dev"
fi
PY="$VENV/bin/python"

WORK=$(mktemp -d /tmp/cv-bench.XXXXXX)
chmod 755 "$WORK"
export BENCH_WORK="$WORK"
REDIS_PID=""

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  set +e
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null; fi
  "$ROOT/scripts/testing/pg.sh" stop "$WORK/pg" >/dev/null 2>&1
  if [ "${BENCH_KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT INT TERM

# PostgreSQL: pg.sh creates the cluster (initdb as the postgres user when root); it starts it
# without fsync for the test suite, so it is restarted here with the defaults a production
# server keeps (fsync, synchronous_commit, full_page_writes on) and a production-sized cache.
port=$("$ROOT/scripts/testing/pg.sh" start "$WORK/pg")
"$ROOT/scripts/testing/pg.sh" stop "$WORK/pg"
pg_ctl=$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | head -1)
as_postgres "$pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $WORK/pg -c max_connections=200 -c shared_buffers=1GB -c effective_cache_size=8GB -c work_mem=16MB -c maintenance_work_mem=256MB" \
  start >/dev/null
export BENCH_PG_PORT="$port"
"$PY" - "$port" <<'PYEOF'
import asyncio, sys
import asyncpg
async def main() -> None:
    conn = await asyncpg.connect(host="127.0.0.1", port=int(sys.argv[1]), user="postgres", database="postgres")
    await conn.execute("CREATE DATABASE contravento_bench")
    await conn.close()
asyncio.run(main())
PYEOF

# Redis, as in production: password, no persistence needed for the cache.
redis_port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis_pass=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
mkdir -p "$WORK/redis"
redis-server --bind 127.0.0.1 --port "$redis_port" --requirepass "$redis_pass" --save '' \
  --appendonly no --dir "$WORK/redis" --logfile "$WORK/redis/redis.log" &
REDIS_PID=$!
export BENCH_REDIS_URL="redis://:$redis_pass@127.0.0.1:$redis_port/0"

# A production-grade secret (APP_ENV=production wants >= 128 characters, no placeholder).
BENCH_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_hex(64))')
export BENCH_SECRET_KEY

# Schema and reference data through the project's own tools.
(
  cd "$WORK" &&
  DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/contravento_bench" \
  SECRET_KEY="$BENCH_SECRET_KEY" PYTHONPATH="$ROOT/backend" \
    "$PY" -m alembic -c "$ROOT/backend/alembic.ini" upgrade head >/dev/null 2>&1 &&
  DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/contravento_bench" \
  SECRET_KEY="$BENCH_SECRET_KEY" PYTHONPATH="$ROOT/backend:$ROOT/backend/scripts" \
    "$PY" "$ROOT/backend/scripts/seed.py" --no-users
)

"$PY" "$BENCH/bench.py"
