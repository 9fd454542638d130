#!/usr/bin/env bash
# ContraVento deployment script (Linux/macOS). Windows: deploy.ps1.
#
# Usage:
#   ./deploy.sh <env> [command] [extra docker compose arguments]
#   ./deploy.sh --help
#
# Environments:
#   local-minimal   PostgreSQL + backend (hot reload)
#   local           + Redis, mail catcher (MailHog UI), pgAdmin
#   dev             production images + Redis + nginx (HTTP), real SMTP
#   staging         production mirror: HTTPS, Prometheus + Grafana, backups
#   prod            3 backend replicas, Let's Encrypt, monitoring + exporters, backups
#
# Commands:
#   up (default)    check .env.<env>, build, start the databases, run the migrations
#                   (alembic upgrade head), start everything, wait until every service
#                   is healthy, print the access points
#   down            stop and remove the containers (volumes are kept; `down -v` is
#                   refused for staging/prod unless CONFIRM_DESTROY=yes)
#   logs            follow the logs (e.g. ./deploy.sh dev logs backend)
#   ps              list the containers and their health
#   restart         restart the services (all, or those named) and wait for health
#   config          print the merged Compose configuration
#
# Environment variables:
#   COMPOSE_BIN            Compose v2 command (default "docker compose")
#   SKIP_BUILD=1           do not build images (use what is there / was pulled)
#   PULL=1                 `docker compose pull` before starting (registry images)
#   SKIP_PREDEPLOY_CHECK=1 skip scripts/deployment/pre-deploy-check.sh (not for prod)
#   WAIT_TIMEOUT           seconds to wait for health (default 300)
#   DEPLOY_ENV_FILE        env file to use instead of ./.env.<env>
#
# The env file .env.<env> must exist (cp .env.<env>.example .env.<env>) and must not
# contain CHANGE_ME placeholders; dev, staging and prod must also pass
# scripts/deployment/pre-deploy-check.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENVS="local-minimal local dev staging prod"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-300}"

if [[ -t 1 ]]; then
    C_OK=$'\033[32m' C_ERR=$'\033[31m' C_WARN=$'\033[33m' C_OFF=$'\033[0m'
else
    C_OK="" C_ERR="" C_WARN="" C_OFF=""
fi
info() { printf '%s==>%s %s\n' "$C_OK" "$C_OFF" "$*"; }
warn() { printf '%sWARNING:%s %s\n' "$C_WARN" "$C_OFF" "$*" >&2; }
die() {
    printf '%sERROR:%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2
    exit 1
}
usage() {
    sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# ------------------------------------------------------------------ arguments ---------
case "${1:-}" in
    "" | -h | --help | help)
        usage
        [[ -n "${1:-}" ]] && exit 0
        exit 2
        ;;
esac
ENV_NAME=$1
shift
[[ " $ENVS " == *" $ENV_NAME "* ]] || die "unknown environment '$ENV_NAME' (one of: $ENVS; see --help)"
COMMAND="${1:-up}"
[[ $# -gt 0 ]] && shift
case "$COMMAND" in
    up | down | logs | ps | restart | config) ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown command '$COMMAND' (up, down, logs, ps, restart, config)" ;;
esac

# DEPLOY_ENV_FILE lets the env file live outside the checkout (e.g. /etc/contravento/.env.prod).
ENV_FILE="${DEPLOY_ENV_FILE:-$ROOT/.env.$ENV_NAME}"
COMPOSE_FILES=(-f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.$ENV_NAME.yml")

# ------------------------------------------------------------------ helpers -----------
env_get() { # key: value in the env file (parsed, never sourced)
    awk -v k="$1" '
        /^[[:space:]]*#/ { next }
        {
            eq = index($0, "="); if (eq == 0) next
            key = substr($0, 1, eq - 1); gsub(/[[:space:]]/, "", key)
            if (key != k) next
            val = substr($0, eq + 1); sub(/[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/ || val ~ /^\047.*\047$/) val = substr(val, 2, length(val) - 2)
            out = val
        }
        END { print out }
    ' "$ENV_FILE"
}

find_compose() {
    if [[ -n "${COMPOSE_BIN:-}" ]]; then
        read -r -a COMPOSE_CMD <<<"$COMPOSE_BIN"
    elif docker compose version >/dev/null 2>&1; then
        COMPOSE_CMD=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1 && docker-compose version 2>/dev/null | grep -q 'v2\.'; then
        COMPOSE_CMD=(docker-compose)
    else
        die "Docker Compose v2 is required (docker compose version). Install Docker 24+."
    fi
    "${COMPOSE_CMD[@]}" version >/dev/null 2>&1 || die "'${COMPOSE_CMD[*]} version' failed"
}

compose() {
    "${COMPOSE_CMD[@]}" -p "contravento-$ENV_NAME" "${COMPOSE_FILES[@]}" \
        --env-file "$ENV_FILE" --profile "$ENV_NAME" "$@"
}

require_env_file() {
    [[ -f "$ENV_FILE" ]] || die "$ENV_FILE not found. Create it from the template:
    cp .env.$ENV_NAME.example .env.$ENV_NAME && chmod 600 .env.$ENV_NAME
then replace every CHANGE_ME_... value (see docs/DEPLOYMENT.md)."
    local left
    left=$(grep -nEi 'CHANGE_?ME|<[A-Za-z0-9_ -]+>|your[_-](password|secret|key|token)' "$ENV_FILE" |
        grep -Ev '^[0-9]+:[[:space:]]*#' || true)
    if [[ -n "$left" ]]; then
        die "$ENV_FILE still holds placeholder values; refusing to start:
$(printf '%s\n' "$left" | sed -E 's/^([0-9]+):([A-Za-z0-9_]+)=.*/    line \1: \2/')"
    fi
}

services_of_profile() {
    compose config --services
}

# Staging serves the certificate found in nginx/certs/. Without one, a self-signed pair
# lets the stack start; replace it with a real certificate.
ensure_staging_certs() {
    local dir="$ROOT/nginx/certs" domain
    domain=$(env_get DOMAIN)
    if [[ -s "$dir/fullchain.pem" && -s "$dir/privkey.pem" ]]; then
        return 0
    fi
    command -v openssl >/dev/null 2>&1 || die "nginx/certs/{fullchain,privkey}.pem missing and openssl not found to create a temporary pair"
    warn "no certificate in nginx/certs/: creating a self-signed one for $domain (browsers will warn)"
    (
        umask 077
        openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=$domain" \
            -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
    )
    chmod 644 "$dir/fullchain.pem" # the key stays 0600: nginx's master reads it as root
}

# Production: nginx needs a certificate to start and certbot needs nginx to answer the
# ACME challenge. A throw-away self-signed certificate breaks the loop; it is replaced
# by the Let's Encrypt one right after nginx is up.
ensure_prod_bootstrap_cert() {
    local domain
    domain=$(env_get DOMAIN)
    if compose run --rm --no-deps --entrypoint /bin/sh certbot -c \
        "test -s /etc/letsencrypt/live/$domain/fullchain.pem" >/dev/null 2>&1; then
        return 0
    fi
    info "no certificate for $domain yet: creating a temporary self-signed one"
    compose run --rm --no-deps --entrypoint /bin/sh certbot -c \
        "mkdir -p /etc/letsencrypt/live/$domain && openssl req -x509 -nodes -newkey rsa:2048 -days 2 \
         -subj /CN=$domain -keyout /etc/letsencrypt/live/$domain/privkey.pem \
         -out /etc/letsencrypt/live/$domain/fullchain.pem && touch /etc/letsencrypt/live/$domain/.bootstrap"
}

obtain_prod_cert() {
    local domain email
    domain=$(env_get DOMAIN)
    email=$(env_get SSL_EMAIL)
    if ! compose run --rm --no-deps --entrypoint /bin/sh certbot -c \
        "test -f /etc/letsencrypt/live/$domain/.bootstrap" >/dev/null 2>&1; then
        return 0
    fi
    info "requesting a Let's Encrypt certificate for $domain and www.$domain"
    if compose run --rm --no-deps --entrypoint /bin/sh certbot -c \
        "rm -rf /etc/letsencrypt/live/$domain /etc/letsencrypt/archive/$domain /etc/letsencrypt/renewal/$domain.conf &&
         certbot certonly --webroot -w /var/www/certbot -d $domain -d www.$domain \
           --email $email --agree-tos --no-eff-email --non-interactive --rsa-key-size 4096"; then
        compose exec -T nginx nginx -s reload
        info "certificate installed and nginx reloaded"
    else
        warn "Let's Encrypt issuance failed (DNS pointing here? ports 80/443 open?). Restoring the temporary certificate; run ./deploy.sh prod again once fixed."
        ensure_prod_bootstrap_cert
    fi
}

run_migrations() {
    info "running database migrations and loading reference data (entrypoint 'migrate')"
    compose run --rm --no-deps backend migrate
}

print_health() {
    local out
    if out=$(compose exec -T backend python -c \
        "import os, urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=5).read().decode())" 2>&1); then
        info "backend /health: $out"
    else
        die "backend /health did not answer 200: $out"
    fi
}

print_access_points() {
    local domain
    domain=$(env_get DOMAIN)
    echo
    info "ContraVento $ENV_NAME is up. Access points:"
    case "$ENV_NAME" in
        local-minimal | local)
            echo "  API           http://localhost:$(env_get BACKEND_PORT)   (docs: /docs, health: /health)"
            echo "  Web app       cd frontend && npm run dev  ->  http://localhost:5173"
            echo "  PostgreSQL    localhost:$(env_get POSTGRES_PORT)  (user $(env_get POSTGRES_USER), db $(env_get POSTGRES_DB))"
            if [[ "$ENV_NAME" == local ]]; then
                echo "  Redis         localhost:$(env_get REDIS_PORT)"
                echo "  Mail catcher  http://localhost:$(env_get MAILHOG_UI_PORT)"
                echo "  pgAdmin       http://localhost:$(env_get PGADMIN_PORT)  (server: postgres:5432)"
            fi
            ;;
        dev)
            echo "  Web app       http://${domain:-localhost}:$(env_get NGINX_HTTP_PORT)/"
            echo "  API           http://${domain:-localhost}:$(env_get NGINX_HTTP_PORT)/api/   (docs: /api/docs)"
            echo "  Health        http://${domain:-localhost}:$(env_get NGINX_HTTP_PORT)/health"
            ;;
        staging | prod)
            echo "  Web app       https://$domain/"
            echo "  API           https://$domain/api/"
            echo "  Health        https://$domain/health"
            echo "  Grafana       http://127.0.0.1:$(env_get GRAFANA_PORT)   (on the server; ssh -L $(env_get GRAFANA_PORT):127.0.0.1:$(env_get GRAFANA_PORT) ...)"
            echo "  Prometheus    http://127.0.0.1:$(env_get PROMETHEUS_PORT)"
            echo "  Backups       volume contravento-${ENV_NAME}_backups (backup-cron, every 6 h)"
            ;;
    esac
}

# ------------------------------------------------------------------ commands ----------
cmd_up() {
    if [[ "$ENV_NAME" == dev || "$ENV_NAME" == staging || "$ENV_NAME" == prod ]]; then
        if [[ "${SKIP_PREDEPLOY_CHECK:-0}" == 1 && "$ENV_NAME" != prod ]]; then
            warn "SKIP_PREDEPLOY_CHECK=1: pre-deployment checks skipped"
        else
            info "pre-deployment checks"
            COMPOSE_BIN="${COMPOSE_CMD[*]}" "$ROOT/scripts/deployment/pre-deploy-check.sh" "$ENV_NAME" --env-file "$ENV_FILE" ||
                die "pre-deployment checks failed: fix the FAIL lines above"
        fi
    fi
    info "validating the Compose configuration"
    compose config -q

    local services datastores=(postgres)
    services=$(services_of_profile)
    grep -qx redis <<<"$services" && datastores+=(redis)

    if [[ "$ENV_NAME" == staging ]]; then
        ensure_staging_certs
    fi
    if [[ "${PULL:-0}" == 1 ]]; then
        info "pulling images"
        compose pull --ignore-buildable
    fi
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        info "building images"
        compose build
    fi

    info "starting ${datastores[*]}"
    compose up -d --wait --wait-timeout "$WAIT_TIMEOUT" "${datastores[@]}"
    run_migrations

    if [[ "$ENV_NAME" == prod ]]; then
        ensure_prod_bootstrap_cert
    fi
    info "starting all services and waiting until they are healthy (timeout ${WAIT_TIMEOUT}s)"
    compose up -d --remove-orphans --wait --wait-timeout "$WAIT_TIMEOUT"
    if [[ "$ENV_NAME" == prod ]]; then
        obtain_prod_cert
    fi
    print_health
    compose ps
    print_access_points
}

cmd_down() {
    local a
    for a in "$@"; do
        if [[ "$a" == -v || "$a" == --volumes ]] && [[ "$ENV_NAME" == staging || "$ENV_NAME" == prod ]] &&
            [[ "${CONFIRM_DESTROY:-}" != yes ]]; then
            die "'down $a' deletes the $ENV_NAME database and uploads; set CONFIRM_DESTROY=yes if you really mean it"
        fi
    done
    info "stopping $ENV_NAME"
    compose down "$@"
}

cmd_restart() {
    info "restarting ${*:-all services}"
    compose restart "$@"
    compose up -d --no-build --no-recreate --wait --wait-timeout "$WAIT_TIMEOUT" "$@"
    compose ps
}

cd "$ROOT"
# Refuse early (before looking for Docker) when the env file is missing or unfinished.
case "$COMMAND" in
    up | restart) require_env_file ;;
esac
find_compose
case "$COMMAND" in
    up) cmd_up ;;
    down) cmd_down "$@" ;;
    logs) compose logs -f --tail="${TAIL:-200}" "$@" ;;
    ps) compose ps "$@" ;;
    restart) cmd_restart "$@" ;;
    config) compose config "$@" ;;
esac
