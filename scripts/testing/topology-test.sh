#!/usr/bin/env bash
# ContraVento production topology test, natively on loopback (no Docker).
#
#   bash scripts/testing/topology-test.sh        (root: apt installs, PostgreSQL as `postgres`)
#
# Builds the prod topology of docker-compose.prod.yml out of real processes, every one of
# them bound to 127.0.0.1 on a free port:
#   PostgreSQL 15 (scripts/testing/pg.sh), Redis with a password, `alembic upgrade head` +
#   scripts/seed.py, an SMTP sink speaking STARTTLS (aiosmtpd), THREE backends
#   (`gunicorn -c gunicorn.conf.py src.main:app` from backend/, APP_ENV=production, uvicorn
#   workers) and nginx running nginx/prod/default.conf.template rendered for
#   contravento.test with a throw-away CA and certificate.
# Then it runs the post-deployment checklist of seed 001 ("8. Verify Deployment", Security,
# Monitoring) against nginx, kills one backend with SIGKILL in the middle of a read load and
# requires zero failed requests, and backs the database up with scripts/backup.sh and
# restores it with scripts/restore.sh (+ restore-drill.sh), comparing every table's row count.
#
# Prints one PASS/FAIL line per check (the log of a failed check is shown below it) and
# ends with "N passed, M failed"; exits 1 on any failure. Every process it starts and its
# temp directory are removed on exit (trap), also on Ctrl-C.
#
# Environment: TOPOLOGY_LOAD_SECONDS (40), TOPOLOGY_LOAD_CONCURRENCY (20),
# TOPOLOGY_WEB_CONCURRENCY (gunicorn workers per backend, 2), TOPOLOGY_KEEP=1 (keep the
# temp dir and its logs), TOPOLOGY_VENV (default backend/.venv).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BACKEND="$ROOT/backend"
VENV="${TOPOLOGY_VENV:-$BACKEND/.venv}"
PY="$VENV/bin/python"
LOAD_SECONDS="${TOPOLOGY_LOAD_SECONDS:-40}"
LOAD_CONCURRENCY="${TOPOLOGY_LOAD_CONCURRENCY:-20}"
WORKERS_PER_BACKEND="${TOPOLOGY_WEB_CONCURRENCY:-2}"
HOSTNAME_TEST="contravento.test"
ORIGIN_OK="https://$HOSTNAME_TEST"
ORIGIN_BAD="https://evil.example"
START_TS=$(date +%s)

WORK=$(mktemp -d /tmp/cv-topology.XXXXXX)
chmod 755 "$WORK" # nginx workers (nobody) read the SPA and uploads below it
LOGS="$WORK/logs"
RUN="$WORK/run" # one <name>.pid file per process started, read by cleanup
mkdir -p "$LOGS" "$RUN"
export PATH="$PATH:/usr/sbin:/sbin"

# ------------------------------------------------------------------------ cleanup ------
# signal_pidfile FILE SIGNAL: signal the process (or, for *.pgid, the process group) that
# FILE names; adds it to STOPPING when it was still alive.
STOPPING=()
signal_pidfile() {
    local file=$1 sig=$2 pid target
    [[ -s "$file" ]] || return 0
    pid=$(cat "$file")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    target=$pid
    [[ "$file" == *.pgid ]] && target="-$pid"
    kill "-$sig" -- "$target" 2>/dev/null && STOPPING+=("$target")
    return 0
}

cleanup() {
    local rc=$? f t alive
    set +e
    trap - EXIT INT TERM
    # Everything is asked to stop at once (nginx gracefully, gunicorn with TERM), then
    # whatever is still alive after 10 s is killed.
    signal_pidfile "$RUN/load.pid" KILL
    signal_pidfile "$RUN/nginx.pid" QUIT
    for f in "$RUN"/backend-*.pgid; do
        signal_pidfile "$f" TERM
    done
    signal_pidfile "$RUN/smtp.pid" TERM
    signal_pidfile "$RUN/tls-canary.pid" TERM
    signal_pidfile "$WORK/redis/redis.pid" TERM
    for _ in $(seq 1 50); do
        alive=0
        for t in "${STOPPING[@]}"; do kill -0 -- "$t" 2>/dev/null && alive=1; done
        [[ $alive -eq 0 ]] && break
        sleep 0.2
    done
    for t in "${STOPPING[@]}"; do kill -KILL -- "$t" 2>/dev/null; done
    [[ -d "$WORK/pg/data" ]] && "$ROOT/scripts/testing/pg.sh" stop "$WORK/pg" >/dev/null 2>&1
    if [[ "${TOPOLOGY_KEEP:-0}" == 1 ]]; then
        echo "(kept $WORK)"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
CHECK_PID=""
on_signal() {
    [[ -n "$CHECK_PID" ]] && kill -TERM "$CHECK_PID" 2>/dev/null
    echo "interrupted"
    exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

# ------------------------------------------------------------------------ helpers ------
PASSED=0
FAILED=0
ABORTED=""

# run_check NAME DESCRIPTION FUNCTION: runs FUNCTION in a subshell (set -e), its output in
# a log shown on failure. After a failed setup step the remaining checks are not run and
# are counted as failed.
run_check() {
    local name=$1 desc=$2 fn=$3 t0 rc dt
    if [[ -n "$ABORTED" ]]; then
        FAILED=$((FAILED + 1))
        printf 'FAIL  %-22s %s (not run: %s failed)\n' "$name" "$desc" "$ABORTED"
        return 1
    fi
    t0=$(date +%s.%N)
    # A background job + wait, so that INT/TERM are handled at once (see on_signal).
    (
        set -eo pipefail
        shopt -s inherit_errexit
        "$fn"
    ) >"$LOGS/$name.log" 2>&1 &
    CHECK_PID=$!
    wait "$CHECK_PID"
    rc=$?
    CHECK_PID=""
    dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [[ $rc -eq 0 ]]; then
        PASSED=$((PASSED + 1))
        printf 'PASS  %-22s %s (%ss)\n' "$name" "$desc" "$dt"
    else
        FAILED=$((FAILED + 1))
        printf 'FAIL  %-22s %s (%ss)\n' "$name" "$desc" "$dt"
        sed -e 's/^/      | /' "$LOGS/$name.log" | tail -n 40
    fi
    return "$rc"
}
setup_step() { run_check "$@" || ABORTED=${ABORTED:-$1}; }

say() { printf '%s\n' "$*"; }
fail() {
    say "$*"
    return 1
}

free_port() {
    local p
    for _ in $(seq 1 20); do
        p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
        if [[ " ${USED_PORTS:-} " != *" $p "* ]]; then
            USED_PORTS="${USED_PORTS:-} $p"
            echo "$p"
            return 0
        fi
    done
    return 1
}

wait_port() { # port [seconds]
    local tries=$((${2:-20} * 5))
    for _ in $(seq 1 "$tries"); do
        (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.2
    done
    fail "port $1 did not open within ${2:-20}s"
}

port_closed() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports and secrets are chosen here, in the main shell, so that every check sees them.
PG_PORT="" # set by the postgres step (pg.sh picks it)
REDIS_PORT=$(free_port)
SMTP_PORT=$(free_port)
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
BACKEND_PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
REDIS_PASSWORD=$(openssl rand -hex 16)
DB_PASSWORD=$(openssl rand -hex 24)
# 160 hex characters: no placeholder word can appear in it (config.py's guard).
SECRET_KEY=$(openssl rand -hex 80)
TLS="$WORK/tls"
CA="$TLS/ca.pem"
BASE="https://$HOSTNAME_TEST:$HTTPS_PORT"
CURL=(curl -sS --max-time 15 --cacert "$CA"
    --resolve "$HOSTNAME_TEST:$HTTPS_PORT:127.0.0.1" --resolve "$HOSTNAME_TEST:$HTTP_PORT:127.0.0.1")

# The settings of docker-compose.prod.yml's backend, for this loopback topology. The
# backends start from an empty environment plus these (nothing leaks in from the caller).
backend_env() { # port index
    printf '%s\n' \
        "PATH=$VENV/bin:/usr/local/bin:/usr/bin:/bin" "HOME=$WORK" "LANG=C.UTF-8" \
        "APP_ENV=production" "DEBUG=false" "SECRET_KEY=$SECRET_KEY" "BCRYPT_ROUNDS=12" \
        "DATABASE_URL=postgresql+asyncpg://contravento:$DB_PASSWORD@127.0.0.1:$PG_PORT/contravento" \
        "REDIS_URL=redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0" \
        "SMTP_HOST=127.0.0.1" "SMTP_PORT=$SMTP_PORT" "SMTP_TLS=true" \
        "SMTP_FROM=noreply@$HOSTNAME_TEST" "SSL_CERT_FILE=$CA" \
        "CORS_ORIGINS=$ORIGIN_OK" "ALLOWED_HOSTS=$HOSTNAME_TEST,www.$HOSTNAME_TEST,127.0.0.1" \
        "FORWARDED_ALLOW_IPS=127.0.0.1" "HSTS_ENABLED=true" "RATE_LIMIT_ENABLED=true" \
        "LOG_FORMAT=json" "LOG_LEVEL=INFO" "WEB_CONCURRENCY=$WORKERS_PER_BACKEND" \
        "BACKEND_URL=$ORIGIN_OK/api" "FRONTEND_URL=$ORIGIN_OK" \
        "STORAGE_PATH=$WORK/storage" "HOST=127.0.0.1" "PORT=${1:-8000}"
    # gunicorn.conf.py creates (empties) the multiprocess metrics directory of a server.
    [[ -z "${2:-}" ]] || echo "PROMETHEUS_MULTIPROC_DIR=$WORK/metrics-$2"
}
in_backend_env() { # command...: run from backend/ with the production settings
    local envs
    mapfile -t envs < <(backend_env)
    (cd "$BACKEND" && env -i "${envs[@]}" "$@")
}

psql_pg() { # database, sql
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# "route status" totals of http_requests_total scraped straight from one backend (what
# Prometheus does on the internal network).
health_count() { # backend port -> number of GET /health answered
    curl -sS --max-time 5 "http://127.0.0.1:$1/metrics" | "$PY" -c '
import re, sys
total = 0.0
for line in sys.stdin:
    m = re.match(r"http_requests_total\{([^}]*)\} ([0-9.e+]+)$", line.strip())
    if m and "route=\"/health\"" in m.group(1) and "method=\"GET\"" in m.group(1):
        total += float(m.group(2))
print(int(total))'
}

# =================================================================== setup steps =======
setup_tools() {
    local need=() sudo=()
    command -v redis-server >/dev/null || need+=(redis-server)
    command -v redis-cli >/dev/null || need+=(redis-tools)
    command -v nginx >/dev/null || need+=(nginx)
    command -v openssl >/dev/null || need+=(openssl)
    command -v curl >/dev/null || need+=(curl)
    command -v envsubst >/dev/null || need+=(gettext-base)
    command -v pg_dump >/dev/null || need+=(postgresql-client)
    command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
    if [[ ${#need[@]} -gt 0 ]]; then
        say "installing with apt: ${need[*]}"
        [[ $(id -u) -eq 0 ]] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
    if [[ ! -x "$PY" ]]; then
        say "creating $VENV"
        python3 -m venv "$VENV"
        "$PY" -m pip install -q --disable-pip-version-check --upgrade "pip>=25.1"
    fi
    if ! (cd "$BACKEND" && "$PY" -c 'import gunicorn, uvicorn, alembic, aiosmtpd, httpx, src.main'); then
        say "installing the backend into $VENV"
        "$PY" -m pip install -q --disable-pip-version-check -e "$BACKEND" --group "$BACKEND/pyproject.toml:dev"
    fi
    redis-server --version
    nginx -v 2>&1
    openssl version
    psql --version
    "$VENV/bin/gunicorn" --version
    [[ -e "$BACKEND/.env" ]] && say "note: backend/.env exists; the variables set here take precedence over it"
    return 0
}

setup_tls() {
    mkdir -p "$TLS"
    cd "$TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=ContraVento topology test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOSTNAME_TEST" -keyout privkey.pem -out leaf.csr 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:$HOSTNAME_TEST,DNS:www.$HOSTNAME_TEST,IP:127.0.0.1" \
        "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" >leaf.ext
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
        -extfile leaf.ext -out fullchain.pem 2>/dev/null
    openssl verify -CAfile ca.pem fullchain.pem
    # An OpenSSL configuration that *allows* TLS 1.0/1.1 (OpenSSL 3 refuses them below
    # security level 0): nginx runs with it, so a refused TLS 1.1 handshake proves that
    # nginx's own ssl_protocols refuses it, not the distribution's OpenSSL defaults.
    cat >legacy-openssl.cnf <<'EOF'
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
CipherString = DEFAULT:@SECLEVEL=0
MinProtocol = TLSv1
EOF
    say "CA + certificate for $HOSTNAME_TEST, www.$HOSTNAME_TEST, 127.0.0.1"
}

setup_postgres() {
    local port
    port=$("$ROOT/scripts/testing/pg.sh" start "$WORK/pg")
    echo "$port" >"$RUN/pg.port"
    PG_PORT=$port
    psql_pg postgres "CREATE ROLE contravento LOGIN PASSWORD '$DB_PASSWORD'"
    psql_pg postgres "CREATE DATABASE contravento OWNER contravento"
    psql_pg contravento "SELECT version()"
    say "PostgreSQL on 127.0.0.1:$port, database contravento owned by role contravento"
}

setup_redis() {
    mkdir -p "$WORK/redis"
    chmod 700 "$WORK/redis"
    cat >"$WORK/redis/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
requirepass $REDIS_PASSWORD
protected-mode yes
save ""
appendonly no
dir $WORK/redis
daemonize yes
pidfile $WORK/redis/redis.pid
logfile $WORK/redis/redis.log
EOF
    chmod 600 "$WORK/redis/redis.conf"
    redis-server "$WORK/redis/redis.conf"
    wait_port "$REDIS_PORT" 10
    local out
    out=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1 || true)
    [[ "$out" == *NOAUTH* ]] || fail "Redis answered without a password: $out"
    out=$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping)
    [[ "$out" == PONG ]] || fail "Redis ping with the password: $out"
    say "Redis on 127.0.0.1:$REDIS_PORT: NOAUTH without the password, PONG with it"
}

setup_database() {
    in_backend_env alembic upgrade head
    in_backend_env alembic current | tee "$WORK/alembic.current"
    grep -q '(head)' "$WORK/alembic.current" || fail "alembic current is not at head"
    in_backend_env python scripts/seed.py | tee "$WORK/seed.out"
    grep -q 'user testuser' "$WORK/seed.out"
    [[ "$(psql_pg contravento "SELECT count(*) FROM users WHERE username = 'testuser'")" == 1 ]]
}

setup_smtp() {
    # aiosmtpd with STARTTLS (and require_starttls): a message only arrives when the
    # backend really upgraded to TLS and trusted the certificate (SSL_CERT_FILE = our CA).
    PYTHONUNBUFFERED=1 setsid "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
        --tlscert "$TLS/fullchain.pem" --tlskey "$TLS/privkey.pem" \
        </dev/null >"$LOGS/smtp-sink.out" 2>&1 &
    echo $! >"$RUN/smtp.pid"
    wait_port "$SMTP_PORT" 60
    say "SMTP sink (STARTTLS required) on 127.0.0.1:$SMTP_PORT"
}

setup_backends() {
    local i port envs pid
    mkdir -p "$WORK/storage"
    for i in 0 1 2; do
        port=${BACKEND_PORTS[$i]}
        mapfile -t envs < <(backend_env "$port" "$((i + 1))")
        # Its own session/process group: the resilience check kills master and workers.
        (cd "$BACKEND" && exec setsid env -i "${envs[@]}" "$VENV/bin/gunicorn" -c gunicorn.conf.py src.main:app) \
            </dev/null >"$LOGS/backend-$((i + 1)).out" 2>&1 &
        pid=$!
        echo "$pid" >"$RUN/backend-$((i + 1)).pgid"
    done
    for i in 0 1 2; do
        port=${BACKEND_PORTS[$i]}
        for _ in $(seq 1 450); do # up to 90 s (a loaded CI machine imports slowly)
            curl -fsS --max-time 2 "http://127.0.0.1:$port/health" >"$WORK/h" 2>/dev/null && break
            kill -0 "$(cat "$RUN/backend-$((i + 1)).pgid")" 2>/dev/null || {
                tail -n 30 "$LOGS/backend-$((i + 1)).out"
                fail "backend $((i + 1)) exited"
            }
            sleep 0.2
        done
        grep -q '"status":"healthy"' "$WORK/h" || {
            tail -n 30 "$LOGS/backend-$((i + 1)).out"
            fail "backend $((i + 1)) on $port not healthy: $(cat "$WORK/h" 2>/dev/null)"
        }
        pid=$(cat "$RUN/backend-$((i + 1)).pgid")
        [[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" == "$pid" ]] || fail "backend $((i + 1)) is not a process group leader"
        say "backend $((i + 1)): gunicorn pid $pid, $(pgrep -g "$pid" | wc -l) processes, 127.0.0.1:$port healthy"
    done
}

# shellcheck disable=SC2016 # envsubst's variable list, literal on purpose
NGINX_VARS='${NGINX_SERVER_NAME} ${NGINX_LISTEN_HTTP} ${NGINX_LISTEN_HTTPS} ${NGINX_BACKEND_SERVERS} ${NGINX_SSL_CERTIFICATE} ${NGINX_SSL_CERTIFICATE_KEY} ${NGINX_SPA_ROOT} ${NGINX_STORAGE_ROOT} ${NGINX_ACME_ROOT}'
NGX="$WORK/nginx"

setup_nginx() {
    mkdir -p "$NGX/tmp" "$NGX/logs" "$WORK/spa" "$WORK/acme"
    cp -r "$ROOT/nginx/snippets" "$NGX/"
    if [[ -f "$ROOT/frontend/dist/index.html" ]]; then
        cp -r "$ROOT/frontend/dist/." "$WORK/spa/"
        say "SPA: frontend/dist"
    else
        printf '<!doctype html>\n<html><head><title>ContraVento</title></head><body><div id="root">ContraVento SPA stand-in</div></body></html>\n' >"$WORK/spa/index.html"
        say "SPA: stand-in index.html (frontend/dist is not built)"
    fi
    chmod -R a+rX "$WORK/spa" "$WORK/acme" "$WORK/storage"
    local servers="" p
    for p in "${BACKEND_PORTS[@]}"; do
        servers+="server 127.0.0.1:$p max_fails=3 fail_timeout=30s; "
    done
    NGINX_SERVER_NAME="$HOSTNAME_TEST www.$HOSTNAME_TEST" \
        NGINX_LISTEN_HTTP="127.0.0.1:$HTTP_PORT" NGINX_LISTEN_HTTPS="127.0.0.1:$HTTPS_PORT" \
        NGINX_BACKEND_SERVERS="$servers" \
        NGINX_SSL_CERTIFICATE="$TLS/fullchain.pem" NGINX_SSL_CERTIFICATE_KEY="$TLS/privkey.pem" \
        NGINX_SPA_ROOT="$WORK/spa" NGINX_STORAGE_ROOT="$WORK/storage" NGINX_ACME_ROOT="$WORK/acme" \
        envsubst "$NGINX_VARS" <"$ROOT/nginx/prod/default.conf.template" >"$NGX/site.conf"
    if grep -n 'NGINX_[A-Z_]*}' "$NGX/site.conf"; then fail "unrendered variable"; fi
    cat >"$NGX/nginx.conf" <<EOF
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstream '\$remote_addr "\$request" \$status upstream=\$upstream_addr upstream_status=\$upstream_status';
    access_log $NGX/logs/access.log upstream;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    include $NGX/site.conf;
}
EOF
    chmod -R a+rX "$NGX"
    nginx -t -c "$NGX/nginx.conf" -p "$NGX/" -e "$NGX/logs/error.log"
    OPENSSL_CONF="$TLS/legacy-openssl.cnf" setsid nginx -c "$NGX/nginx.conf" -p "$NGX/" \
        -e "$NGX/logs/error.log" -g 'daemon off;' </dev/null >"$LOGS/nginx.out" 2>&1 &
    echo $! >"$RUN/nginx.pid"
    wait_port "$HTTPS_PORT" 10
    wait_port "$HTTP_PORT" 10
    say "nginx (prod template) on 127.0.0.1:$HTTP_PORT (HTTP) and :$HTTPS_PORT (HTTPS), upstream: ${BACKEND_PORTS[*]}"
}

# =================================================================== checks ============
# (numbers refer to seed 001, "8. Verify Deployment")

check_health() { # 1. health check through the proxy
    local url out code
    for url in "$BASE/health" "$BASE/api/health"; do
        code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' "$url")
        out=$(cat "$WORK/body")
        say "$url -> $code $out"
        [[ "$code" == 200 ]] || fail "status $code"
        "$PY" - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["status"] == "healthy" and d["database"] == "connected", d
assert d["data"]["environment"] == "production", d
assert d["data"]["redis"] == "connected", d
PY
    done
}

check_replicas() { # 6. all replicas healthy, and nginx balances over all of them
    local p before=() after=() i
    for p in "${BACKEND_PORTS[@]}"; do
        "${CURL[@]}" -f "http://127.0.0.1:$p/health" | grep -q '"status":"healthy"' || fail "backend :$p unhealthy"
        before+=("$(health_count "$p")")
    done
    for _ in $(seq 1 30); do "${CURL[@]}" -f -o /dev/null "$BASE/health"; done
    for i in 0 1 2; do
        after+=("$(health_count "${BACKEND_PORTS[$i]}")")
        say "backend $((i + 1)) (:${BACKEND_PORTS[$i]}): served $((after[i] - before[i])) of 30 /health through nginx"
        [[ $((after[i] - before[i])) -gt 0 ]] || fail "backend $((i + 1)) got no traffic"
    done
}

check_redirect() { # 2. HTTP -> HTTPS
    local hdr
    hdr=$("${CURL[@]}" -o /dev/null -D - "http://$HOSTNAME_TEST:$HTTP_PORT/trips?page=2" | tr -d '\r')
    say "$hdr"
    grep -q '^HTTP/1.1 301' <<<"$hdr" || fail "not a 301"
    grep -qi "^location: https://$HOSTNAME_TEST/trips?page=2\$" <<<"$hdr" || fail "Location is not https://"
    hdr=$("${CURL[@]}" -o /dev/null -D - "http://$HOSTNAME_TEST:$HTTP_PORT/api/health" | tr -d '\r')
    grep -q '^HTTP/1.1 301' <<<"$hdr" || fail "the API answers on plain HTTP"
}

check_tls() { # 3. certificate valid (verified against the CA, no -k), HTTP/2
    local out
    out=$("${CURL[@]}" -f --http2 -o /dev/null -w '%{http_code} HTTP/%{http_version} verify=%{ssl_verify_result}' "$BASE/")
    say "$out"
    [[ "$out" == "200 HTTP/2 verify=0" ]] || fail "expected 200 over HTTP/2 with a verified certificate"
    # an unknown name gets no certificate at all (ssl_reject_handshake)
    if curl -sS --max-time 5 -k --resolve "unknown.example:$HTTPS_PORT:127.0.0.1" "https://unknown.example:$HTTPS_PORT/" -o /dev/null 2>"$WORK/err"; then
        fail "unknown SNI name got a TLS session"
    fi
    say "unknown SNI name refused: $(head -c 200 "$WORK/err")"
}

tls_handshake() { # version port -> 0 when a handshake with SNI contravento.test succeeds
    OPENSSL_CONF="$TLS/legacy-openssl.cnf" timeout 10 openssl s_client -connect "127.0.0.1:$2" \
        -servername "$HOSTNAME_TEST" "-$1" -cipher 'DEFAULT:@SECLEVEL=0' -CAfile "$CA" \
        </dev/null >"$WORK/s_client.$1" 2>&1 || return 1
    grep -q '^New, TLSv1' "$WORK/s_client.$1"
}

check_tls_versions() { # Security: TLS 1.2/1.3 only
    local v canary
    canary=$(free_port)
    # Canary: the same client reaches TLS 1.0 and 1.1 on a server that allows them, so a
    # refusal below really comes from nginx.
    OPENSSL_CONF="$TLS/legacy-openssl.cnf" setsid openssl s_server -accept "127.0.0.1:$canary" \
        -cert "$TLS/fullchain.pem" -key "$TLS/privkey.pem" -cipher 'DEFAULT:@SECLEVEL=0' -www \
        </dev/null >"$WORK/s_server.out" 2>&1 &
    echo $! >"$RUN/tls-canary.pid"
    wait_port "$canary" 10
    for v in tls1 tls1_1; do
        tls_handshake "$v" "$canary" || { cat "$WORK/s_client.$v"; fail "canary: the client cannot speak $v at all"; }
    done
    kill "$(cat "$RUN/tls-canary.pid")"
    say "canary: the client negotiates TLS 1.0 and 1.1 with a permissive server"
    for v in tls1 tls1_1; do
        if tls_handshake "$v" "$HTTPS_PORT"; then
            grep -E 'Protocol|Cipher is' "$WORK/s_client.$v"
            fail "nginx accepted $v"
        fi
        say "$v refused by nginx: $(grep -m1 -o 'alert [a-z ]*version' "$WORK/s_client.$v" || echo handshake failure)"
    done
    for v in tls1_2 tls1_3; do
        tls_handshake "$v" "$HTTPS_PORT" || { tail -n 20 "$WORK/s_client.$v"; fail "nginx refused $v"; }
        grep -q 'Verify return code: 0 (ok)' "$WORK/s_client.$v" || fail "$v: certificate not verified"
        say "$v ok: $(grep -m1 '^New, ' "$WORK/s_client.$v")"
    done
}

check_docs_hidden() { # 4. API docs hidden in production
    local p code
    for p in /api/docs /api/redoc /api/docs/oauth2-redirect; do
        code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' "$BASE$p")
        say "$p through nginx -> $code"
        [[ "$code" == 404 ]] || fail "$p answered $code"
    done
    for p in /docs /redoc; do
        code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${BACKEND_PORTS[0]}$p")
        say "$p on a backend directly -> $code"
        [[ "$code" == 404 ]] || fail "backend $p answered $code"
        # the public /docs and /redoc are client-side routes of the web app, not Swagger/ReDoc
        "${CURL[@]}" -o "$WORK/body" "$BASE$p"
        if grep -qiE 'swagger|redoc' "$WORK/body"; then fail "$p serves API documentation"; fi
    done
    code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/api/openapi.json")
    say "note: /api/openapi.json through nginx -> $code (the schema, not the docs UI)"
    echo "$code" >"$WORK/openapi.code"
}

check_cors() { # 5. CORS
    local hdr
    hdr=$("${CURL[@]}" -o /dev/null -D - -H "Origin: $ORIGIN_OK" "$BASE/api/health" | tr -d '\r')
    grep -qi "^access-control-allow-origin: $ORIGIN_OK\$" <<<"$hdr" || { say "$hdr"; fail "allowed origin not echoed"; }
    grep -qi '^access-control-allow-credentials: true' <<<"$hdr" || fail "no Access-Control-Allow-Credentials"
    say "GET from $ORIGIN_OK: $(grep -i '^access-control-allow-origin' <<<"$hdr")"
    hdr=$("${CURL[@]}" -o /dev/null -D - -H "Origin: $ORIGIN_BAD" "$BASE/api/health" | tr -d '\r')
    if grep -qi '^access-control-allow-origin' <<<"$hdr"; then say "$hdr"; fail "refused origin got Access-Control-Allow-Origin"; fi
    say "GET from $ORIGIN_BAD: no Access-Control-Allow-Origin header"
    hdr=$("${CURL[@]}" -o /dev/null -D - -X OPTIONS -H "Origin: $ORIGIN_OK" \
        -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type,authorization' \
        "$BASE/api/auth/me" | tr -d '\r')
    grep -qi "^access-control-allow-origin: $ORIGIN_OK\$" <<<"$hdr" || { say "$hdr"; fail "preflight from the allowed origin refused"; }
    hdr=$("${CURL[@]}" -o /dev/null -D - -X OPTIONS -H "Origin: $ORIGIN_BAD" \
        -H 'Access-Control-Request-Method: POST' "$BASE/api/auth/me" | tr -d '\r')
    if grep -qi '^access-control-allow-origin' <<<"$hdr"; then say "$hdr"; fail "preflight from a refused origin allowed"; fi
    say "preflight: allowed for $ORIGIN_OK, refused for $ORIGIN_BAD ($(head -n1 <<<"$hdr"))"
}

check_headers() { # Security: headers on the web app and on the API, through nginx
    local url hdr h n
    for url in "$BASE/" "$BASE/trips/42" "$BASE/api/health" "$BASE/api/achievements"; do
        hdr=$("${CURL[@]}" -o /dev/null -D - "$url" | tr -d '\r')
        for h in 'strict-transport-security: max-age=63072000; includeSubDomains' 'x-frame-options: DENY' \
            'x-content-type-options: nosniff' 'content-security-policy: ' \
            'referrer-policy: strict-origin-when-cross-origin' 'permissions-policy: '; do
            n=$(grep -ci "^$h" <<<"$hdr" || true)
            [[ "$n" -ge 1 ]] || { say "$hdr"; fail "$url: missing '$h'"; }
            # Sent once (the proxy hides the backend's copies), except the CSP: the API's
            # own "default-src 'none'" is kept next to the edge's, and both are enforced.
            if [[ "$n" -gt 1 && "$h" != content-security-policy* ]]; then
                say "$hdr"
                fail "$url: '${h%%:*}' sent $n times"
            fi
        done
        grep -qi '^server: nginx$' <<<"$hdr" || fail "$url: server version disclosed: $(grep -i '^server:' <<<"$hdr")"
        say "$url: HSTS, X-Frame-Options, X-Content-Type-Options, CSP, Referrer-Policy, Permissions-Policy; Server: nginx"
    done
}

check_metrics_private() { # Monitoring: metrics on the replicas only
    local p code
    for p in /metrics /api/metrics /API/Metrics /api//metrics /metrics/ /api/metrics?x=1; do
        code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' "$BASE$p")
        if [[ "$code" != 404 ]] || grep -q 'http_requests_total' "$WORK/body"; then
            fail "$p answered $code through nginx: $(head -c 200 "$WORK/body")"
        fi
    done
    say "/metrics and /api/metrics variants: 404 through nginx"
    code=$(curl -sS --max-time 5 -o "$WORK/body" -w '%{http_code}' "http://127.0.0.1:${BACKEND_PORTS[0]}/metrics")
    if [[ "$code" != 200 ]] || ! grep -q '^http_requests_total{' "$WORK/body"; then
        fail "a replica's own /metrics (Prometheus' target) answered $code"
    fi
    say "a replica's /metrics (internal scrape target): 200, $(grep -c '^http_requests_total{' "$WORK/body") http_requests_total series"
}

check_email() { # registration through nginx; the verification email is delivered over STARTTLS
    local code out
    code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -d '{"username": "topo_rider", "email": "topo_rider@example.com", "password": "TopoPass123!"}' \
        "$BASE/api/auth/register")
    say "POST /api/auth/register -> $code $(head -c 300 "$WORK/body")"
    [[ "$code" == 201 ]] || fail "registration failed"
    for _ in $(seq 1 300); do
        grep -q 'topo_rider@example.com' "$LOGS/smtp-sink.out" && break
        sleep 0.2
    done
    grep -q 'topo_rider@example.com' "$LOGS/smtp-sink.out" || {
        psql_pg contravento "SELECT status, attempts, last_error FROM email_outbox"
        fail "the verification email did not reach the SMTP sink within 60 s"
    }
    out=$(psql_pg contravento "SELECT status || ' ' || attempts FROM email_outbox WHERE to_address = 'topo_rider@example.com'")
    say "email_outbox: $out; sink received: $(grep -m1 -i '^Subject:' "$LOGS/smtp-sink.out")"
    [[ "$out" == "sent 1" ]] || fail "outbox row not sent on the first attempt"
}

check_login() { # the seeded testuser logs in through nginx
    local out token code
    code=$("${CURL[@]}" -o "$WORK/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -d '{"login": "testuser", "password": "TestPass123!"}' "$BASE/api/auth/login")
    out=$(cat "$WORK/body")
    [[ "$code" == 200 ]] || fail "POST /api/auth/login -> $code $out"
    token=$("$PY" -c 'import json, sys; print(json.loads(sys.argv[1])["data"]["access_token"])' "$out")
    out=$("${CURL[@]}" -f -H "Authorization: Bearer $token" "$BASE/api/auth/me")
    grep -q '"username":"testuser"' <<<"$out" || fail "/api/auth/me: $out"
    say "POST /api/auth/login 200 (access token), GET /api/auth/me -> testuser"
}

check_ratelimit_nginx() { # Security: the proxy's auth zone (5 r/min, burst 3) answers 429
    local i code codes=""
    for i in $(seq 1 8); do
        code=$("${CURL[@]}" -o "$WORK/body.$i" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
            -d '{"login": "nobody_topology", "password": "wrong-password"}' "$BASE/auth/login")
        codes+=" $code"
        if [[ "$code" == 429 ]] && grep -q '<center>nginx</center>' "$WORK/body.$i"; then
            say "POST /auth/login (no /api prefix, same zone):$codes (nginx's 429 page)"
            return 0
        fi
    done
    fail "no 429 from nginx after 8 rapid logins:$codes"
}

check_ratelimit_app() { # the app's RATE_LIMIT_LOGIN (5/15m per IP), counted in Redis by all replicas
    local i port code codes="" body keys
    for i in $(seq 1 9); do
        port=${BACKEND_PORTS[$((i % 3))]}
        code=$(curl -sS --max-time 10 -o "$WORK/body" -D "$WORK/hdr" -w '%{http_code}' -X POST \
            -H 'Content-Type: application/json' -d '{"login": "nobody_topology", "password": "wrong-password"}' \
            "http://127.0.0.1:$port/auth/login")
        codes+=" :$port=$code"
        if [[ "$code" == 429 ]]; then
            body=$(cat "$WORK/body")
            say "direct logins spread over the 3 replicas:$codes"
            say "429 body: $body"
            "$PY" - "$body" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["success"] is False and d["data"] is None and d["error"]["code"], d
PY
            grep -qi '^retry-after: [0-9]' "$WORK/hdr" || fail "no Retry-After"
            # 5 allowed per IP in total, not 5 per replica: the counters are shared in Redis.
            [[ $i -le 6 ]] || fail "429 only after $i attempts over 3 replicas (counters not shared?)"
            keys=$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern 'contravento-rl*' | wc -l)
            [[ "$keys" -gt 0 ]] || fail "no rate-limit keys in Redis"
            say "$keys rate-limit keys in Redis; 429 after $i attempts across replicas (shared budget)"
            return 0
        fi
    done
    fail "no 429 from the app after 9 logins:$codes"
}

LOAD_PY='
import asyncio, json, ssl, sys, time
import httpx

base, cacert, host, duration, conc, ready_file, out_file = sys.argv[1:8]
duration, conc = float(duration), int(conc)
stats = {"requests": 0, "ok": 0, "status": {}, "errors": {}, "by_second": {}, "paths": {}}
lat = []

async def main():
    ctx = ssl.create_default_context(cafile=cacert)
    limits = httpx.Limits(max_connections=conc + 1, max_keepalive_connections=conc + 1)
    async with httpx.AsyncClient(verify=ctx, limits=limits, timeout=20.0, headers={"Host": host}) as client:
        deadline = time.monotonic() + duration

        async def one(path):
            t0 = time.monotonic()
            try:
                r = await client.get(base + path, extensions={"sni_hostname": host})
                key = str(r.status_code)
                ok = r.status_code == 200 and (path != "/health" or b"\"healthy\"" in r.content)
            except httpx.HTTPError as exc:
                key, ok = None, False
                name = type(exc).__name__
                stats["errors"][name] = stats["errors"].get(name, 0) + 1
            lat.append(time.monotonic() - t0)
            stats["requests"] += 1
            stats["paths"][path] = stats["paths"].get(path, 0) + 1
            if key:
                stats["status"][key] = stats["status"].get(key, 0) + 1
            if ok:
                stats["ok"] += 1
                sec = str(int(time.time()))
                stats["by_second"][sec] = stats["by_second"].get(sec, 0) + 1

        async def health_worker():
            while time.monotonic() < deadline:
                await one("/health")

        async def api_worker():  # a real API read through /api/, paced under the rate limits
            while time.monotonic() < deadline:
                await one("/api/achievements")
                await asyncio.sleep(1.0)

        open(ready_file, "w").write(str(time.time()))
        await asyncio.gather(api_worker(), *(health_worker() for _ in range(conc)))

asyncio.run(main())
lat.sort()
stats["p50_ms"] = round(lat[len(lat) // 2] * 1000, 1) if lat else None
stats["p99_ms"] = round(lat[int(len(lat) * 0.99)] * 1000, 1) if lat else None
stats["max_ms"] = round(lat[-1] * 1000, 1) if lat else None
json.dump(stats, open(out_file, "w"))
'

check_resilience() { # 3 replicas behind nginx: SIGKILL one mid-load, zero failed requests
    local victim=2 vport vpgid i before=() mid=() after=() kill_at kill_ts rc
    vport=${BACKEND_PORTS[$((victim - 1))]}
    vpgid=$(cat "$RUN/backend-$victim.pgid")
    for i in 0 1 2; do before+=("$(health_count "${BACKEND_PORTS[$i]}")"); done
    printf '%s' "$LOAD_PY" >"$WORK/load.py"
    "$PY" "$WORK/load.py" "https://127.0.0.1:$HTTPS_PORT" "$CA" "$HOSTNAME_TEST" "$LOAD_SECONDS" \
        "$LOAD_CONCURRENCY" "$WORK/load.ready" "$WORK/load.json" >"$LOGS/load.out" 2>&1 &
    echo $! >"$RUN/load.pid"
    for _ in $(seq 1 600); do
        [[ -f "$WORK/load.ready" ]] && break
        sleep 0.1
    done
    [[ -f "$WORK/load.ready" ]] || fail "load client did not start: $(cat "$LOGS/load.out")"
    kill_at=$((LOAD_SECONDS * 2 / 5))
    sleep "$kill_at"
    for i in 0 1 2; do mid+=("$(health_count "${BACKEND_PORTS[$i]}")"); done
    kill_ts=$(date +%s)
    kill -KILL -- "-$vpgid"
    say "t=${kill_at}s: SIGKILL to backend $victim (process group $vpgid, port $vport)"
    for _ in $(seq 1 50); do
        pgrep -g "$vpgid" >/dev/null || break
        sleep 0.1
    done
    if pgrep -g "$vpgid" >/dev/null; then fail "backend $victim still has processes"; fi
    port_closed "$vport" || fail "port $vport still accepts connections"
    rc=0
    for _ in $(seq 1 $((LOAD_SECONDS * 10 + 600))); do
        kill -0 "$(cat "$RUN/load.pid")" 2>/dev/null || break
        sleep 0.1
    done
    wait "$(cat "$RUN/load.pid")" || rc=$?
    [[ $rc -eq 0 && -s "$WORK/load.json" ]] || { cat "$LOGS/load.out"; fail "load client failed (rc $rc)"; }
    for i in 0 1 2; do
        [[ $i -eq $((victim - 1)) ]] && { after+=(-); continue; }
        after+=("$(health_count "${BACKEND_PORTS[$i]}")")
    done
    for i in 0 1 2; do
        say "backend $((i + 1)): /health served before the kill: $((mid[i] - before[i]))$([[ ${after[i]} != - ]] && echo ", after: $((after[i] - mid[i]))")"
        [[ $((mid[i] - before[i])) -gt 0 ]] || fail "backend $((i + 1)) served nothing before the kill"
        if [[ ${after[i]} != - ]]; then
            [[ $((after[i] - mid[i])) -gt 0 ]] || fail "backend $((i + 1)) served nothing after the kill"
        fi
    done
    grep -E "upstream: \"http://127\.0\.0\.1:$vport/" "$NGX/logs/error.log" | sed -E 's/^[0-9/: ]+\[/[/' | cut -c1-170 | sort | uniq -c | sort -rn | head -n 5 || true
    grep -qE "127\.0\.0\.1:$vport" "$NGX/logs/error.log" || fail "nginx never saw the killed upstream fail (kill not exercised?)"
    "$PY" - "$WORK/load.json" "$kill_ts" "$LOAD_SECONDS" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); kill_ts = int(sys.argv[2]); duration = float(sys.argv[3])
after = sum(n for sec, n in s["by_second"].items() if int(sec) > kill_ts)
failed = s["requests"] - s["ok"]
print(f"load: {s['requests']} requests in {duration:.0f}s ({s['requests'] / duration:.0f}/s), ok {s['ok']}, "
      f"failed {failed}, status {s['status']}, errors {s['errors']}, paths {s['paths']}, "
      f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms; {after} ok after the kill")
assert failed == 0, f"{failed} failed requests"
assert after > 0, "no request completed after the kill"
assert s["paths"].get("/api/achievements", 0) >= 5, "the paced API reader did not run"
PY
}

table_counts() { # database -> "schema.table|rows" for every table, sorted
    local tables sql="" t
    tables=$(psql_pg "$1" "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")
    for t in $tables; do
        sql+="${sql:+ UNION ALL }SELECT '$t', count(*) FROM $t"
    done
    psql_pg "$1" "$sql ORDER BY 1" | LC_ALL=C sort
}

check_backup_restore() { # scripts/backup.sh -> scripts/restore.sh into a scratch db: same rows
    local u
    for u in rider_one rider_two; do
        in_backend_env python scripts/create_verified_user.py --username "topo_$u" \
            --email "topo_$u@example.com" --password 'TopoPass123!'
    done
    psql_pg contravento "INSERT INTO email_outbox (id, to_address, subject, body, status, attempts, next_attempt_at, created_at)
        SELECT gen_random_uuid()::text, 'archive' || g || '@example.com', 'archived', 'x', 'sent', 1, now(), now()
        FROM generate_series(1, 25) g"
    mkdir -p "$WORK/storage/topology"
    echo "upload marker" >"$WORK/storage/topology/marker.txt"
    table_counts contravento >"$WORK/counts.before"
    export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGDATABASE=contravento
    BACKUP_DIR="$WORK/backups" STORAGE_PATH="$WORK/storage" "$ROOT/scripts/backup.sh"
    table_counts contravento >"$WORK/counts.after-backup"
    cmp -s "$WORK/counts.before" "$WORK/counts.after-backup" ||
        fail "the database changed during the backup: $(diff "$WORK/counts.before" "$WORK/counts.after-backup")"
    ls -l "$WORK/backups"
    BACKUP_DIR="$WORK/backups" STORAGE_PATH="$WORK/restored-storage" \
        "$ROOT/scripts/restore.sh" --create --target-db contravento_restored --storage latest
    table_counts contravento_restored >"$WORK/counts.restored"
    if ! diff "$WORK/counts.before" "$WORK/counts.restored"; then fail "row counts differ (< live, > restored)"; fi
    diff -r "$WORK/storage/topology" "$WORK/restored-storage/topology"
    [[ "$(psql_pg contravento_restored 'SELECT version_num FROM alembic_version')" == "$(psql_pg contravento 'SELECT version_num FROM alembic_version')" ]]
    [[ "$(psql_pg contravento_restored "SELECT count(*) FROM users WHERE username IN ('testuser', 'topo_rider_one', 'topo_rider_two')")" == 3 ]] ||
        fail "the restored users table lacks the seeded/created accounts"
    BACKUP_DIR="$WORK/backups" "$ROOT/scripts/restore-drill.sh" >"$WORK/drill.out" 2>&1 || { cat "$WORK/drill.out"; fail "restore drill failed"; }
    grep -o 'PASSED: .*' "$WORK/drill.out"
    say "$(wc -l <"$WORK/counts.before") tables, $(awk -F'|' '{ n += $2 } END { print n }' "$WORK/counts.before") rows: identical after restore.sh; restore-drill.sh agrees; uploads restored"
    sed 's/^/  /' "$WORK/counts.restored"
}

check_logs() { # 8. logs: JSON, and no error in any replica
    local i f bad
    for i in 1 2 3; do
        f="$LOGS/backend-$i.out"
        "$PY" - "$f" "$i" <<'PY'
import json, sys
path, n = sys.argv[1:3]
records, problems = 0, []
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("{"):
        rec = json.loads(line)
        records += 1
        if rec.get("level") in ("ERROR", "CRITICAL") or "exception" in rec:
            problems.append(line[:300])
    elif "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line:
        problems.append(line[:300])
print(f"backend {n}: {records} JSON log records, {len(problems)} error(s)")
for p in problems[:10]:
    print("  ", p)
assert records > 0 and not problems
PY
    done
    bad=$(grep -cE '\[(emerg|alert|crit)\]' "$NGX/logs/error.log" || true)
    [[ "$bad" -eq 0 ]] || fail "nginx logged $bad critical errors"
    say "nginx error log: no emerg/alert/crit entries ($(grep -c '\[error\]' "$NGX/logs/error.log" || true) upstream errors, all from the killed backend)"
    if grep '\[error\]' "$NGX/logs/error.log" | grep -vqE "127\.0\.0\.1:${BACKEND_PORTS[1]}"; then
        grep '\[error\]' "$NGX/logs/error.log" | grep -vE "127\.0\.0\.1:${BACKEND_PORTS[1]}" | head -n 5
        fail "nginx errors not caused by the killed backend"
    fi
}

# =================================================================== main ==============
echo "== ContraVento production topology test (loopback; work dir $WORK)"
setup_step setup:tools "tools present (apt/pip install when missing)" setup_tools
setup_step setup:tls "throw-away CA and certificate for $HOSTNAME_TEST" setup_tls
setup_step setup:postgres "PostgreSQL 15 on loopback, role + database" setup_postgres
[[ -s "$RUN/pg.port" ]] && PG_PORT=$(cat "$RUN/pg.port")
setup_step setup:redis "redis-server with a password, daemonized" setup_redis
setup_step setup:database "alembic upgrade head + scripts/seed.py (production settings)" setup_database
setup_step setup:smtp "SMTP sink with STARTTLS (aiosmtpd)" setup_smtp
setup_step setup:backends "3 x gunicorn/uvicorn backends, APP_ENV=production" setup_backends
setup_step setup:nginx "nginx/prod template rendered and running" setup_nginx

run_check health "/health and /api/health via nginx: 200 healthy, database + redis connected" check_health
run_check replicas "each replica healthy; nginx balances /health over all 3" check_replicas
run_check https-redirect "HTTP -> 301 https:// (web app and API)" check_redirect
run_check tls "certificate verified against the CA, HTTP/2 200, unknown SNI refused" check_tls
run_check tls-versions "TLS 1.0/1.1 refused (canary-checked), TLS 1.2/1.3 accepted" check_tls_versions
run_check docs-hidden "/docs and /redoc 404 in production (proxy and replica)" check_docs_hidden
run_check cors "allowed origin gets Access-Control-Allow-Origin, refused origin none" check_cors
run_check security-headers "HSTS, X-Frame-Options, nosniff, CSP, Referrer-Policy on app + API" check_headers
run_check metrics-private "/metrics 404 through nginx; served by the replicas internally" check_metrics_private
run_check email "register via nginx; verification email delivered over STARTTLS" check_email
run_check login "seeded testuser logs in through nginx (/api/auth/login, /api/auth/me)" check_login
run_check ratelimit-nginx "nginx auth zone answers 429 (login without /api prefix)" check_ratelimit_nginx
run_check ratelimit-app "app RATE_LIMIT_LOGIN: 429 envelope + Retry-After, shared via Redis" check_ratelimit_app
run_check resilience "${LOAD_SECONDS}s read load, one backend SIGKILLed: zero failed requests" check_resilience
run_check backup-restore "backup.sh -> restore.sh/restore-drill.sh: identical row counts" check_backup_restore
run_check logs "JSON logs without errors on every replica; nginx errors only from the kill" check_logs

if [[ -s "$WORK/openapi.code" && "$(cat "$WORK/openapi.code")" == 200 ]]; then
    echo "note: the OpenAPI schema is public in production (/api/openapi.json answers 200); only the docs UIs are hidden"
fi
echo "   total time: $(($(date +%s) - START_TS))s"
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
