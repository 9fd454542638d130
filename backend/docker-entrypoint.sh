#!/bin/sh
# ContraVento backend container entrypoint.
#
#   docker-entrypoint.sh                      -> migrations (unless RUN_MIGRATIONS=false), then CMD
#   docker-entrypoint.sh gunicorn ...         -> same, then gunicorn
#   docker-entrypoint.sh migrate              -> only migrations + reference data, then exit
#   docker-entrypoint.sh alembic|python|sh .. -> run that command as-is (no automatic migration)
#
# Environment:
#   RUN_MIGRATIONS   true|false (default true). Set false when several replicas start at
#                    once (docker-compose.prod.yml, Kubernetes) and migrations run once,
#                    from deploy.sh or the k8s migration Job.
#   MIGRATION_RETRIES  attempts while the database is still starting (default 10, 3 s apart).
#   STORAGE_PATH     upload directory; created if missing.
set -eu

log() {
    printf '%s [entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

run_migrations() {
    attempts="${MIGRATION_RETRIES:-10}"
    n=1
    while :; do
        log "alembic upgrade head (attempt ${n}/${attempts})"
        if alembic upgrade head; then
            log "database schema is up to date"
            # reference data (achievements, cycling types); idempotent, no demo users
            python scripts/seed.py --no-users
            return 0
        fi
        if [ "${n}" -ge "${attempts}" ]; then
            log "migrations failed after ${attempts} attempts"
            return 1
        fi
        n=$((n + 1))
        sleep 3
    done
}

cd /app

if [ -n "${STORAGE_PATH:-}" ] && [ ! -d "${STORAGE_PATH}" ]; then
    mkdir -p "${STORAGE_PATH}"
fi

case "${1:-}" in
    migrate)
        run_migrations
        exit $?
        ;;
    gunicorn | uvicorn | "")
        case "${RUN_MIGRATIONS:-true}" in
            true | 1 | yes) run_migrations ;;
            *) log "RUN_MIGRATIONS=${RUN_MIGRATIONS}: skipping migrations" ;;
        esac
        ;;
esac

if [ "$#" -eq 0 ]; then
    set -- gunicorn -c gunicorn.conf.py src.main:app
fi

log "starting: $*"
exec "$@"
