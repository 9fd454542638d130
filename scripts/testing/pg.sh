#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server on 127.0.0.1 for the test suite.
#   scripts/testing/pg.sh start DIR   -> prints the port on stdout
#   scripts/testing/pg.sh stop DIR
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
# The server trades durability for speed (fsync, synchronous_commit and full_page_writes
# off) unless PG_DURABLE=1, which keeps PostgreSQL's defaults: the hostile-input suite
# restarts the server, crash included, and checks that no acknowledged write is lost.
set -euo pipefail

action=${1:?start|stop}
dir=${2:?data directory}

find_bin() {
  local name=$1 candidate
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for candidate in /usr/lib/postgresql/*/bin/"$name" /usr/local/pgsql/bin/"$name"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  echo "PostgreSQL binary '$name' not found (install postgresql)" >&2
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$action" in
  start)
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
      chown -R postgres:postgres "$dir"
    fi
    port=$(free_port)
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $durability -c max_connections=200" \
      start >/dev/null
    echo "$port" >"$dir/port"
    echo "$port"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    if [ -d "$dir/data" ]; then
      as_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
