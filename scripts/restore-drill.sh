#!/bin/sh
# ContraVento restore drill: prove that a backup can be restored.
#
# Usage:
#   scripts/restore-drill.sh [SOURCE]      SOURCE as for restore.sh (default: latest)
#
# 1. restores SOURCE (with scripts/restore.sh) into a scratch database
#    (DRILL_DATABASE, default <PGDATABASE>_restore_drill_<pid>), created for the drill;
# 2. compares, table by table, the row counts of the scratch database with the source
#    database PGDATABASE (every table outside pg_catalog / information_schema);
# 3. drops the scratch database (unless DRILL_KEEP=1) and exits 1 on any difference:
#    a table missing on either side, or a different row count.
#
# Compare against a source that did not change since the backup (a quiet staging
# database, or run it right after backup.sh); on a busy production database, restore
# the set into staging and drill there instead.
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE (the role needs CREATEDB),
# BACKUP_DIR, BACKUP_PREFIX, DRILL_DATABASE, DRILL_KEEP.
set -eu

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
SOURCE="${1:-latest}"
: "${PGDATABASE:?PGDATABASE must be set (the source database)}"
DRILL_DB="${DRILL_DATABASE:-${PGDATABASE}_restore_drill_$$}"

log() {
    printf '%s [drill] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

case "$SOURCE" in
    -h | --help)
        sed -n '2,/^set -eu$/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
esac

[ "$DRILL_DB" != "$PGDATABASE" ] || {
    log "ERROR: DRILL_DATABASE must differ from PGDATABASE"
    exit 2
}

psql_at() { # database, sql
    psql --no-password --no-psqlrc -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

CREATED=0
WORK=$(mktemp -d)
cleanup() {
    if [ "$CREATED" -eq 1 ] && [ "${DRILL_KEEP:-0}" != 1 ]; then
        dropdb --no-password --if-exists "$DRILL_DB" || log "could not drop $DRILL_DB"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if psql_at postgres "SELECT 1 FROM pg_database WHERE datname = '$DRILL_DB'" | grep -q 1; then
    log "ERROR: scratch database '$DRILL_DB' already exists"
    exit 2
fi
createdb --no-password "$DRILL_DB"
CREATED=1
log "scratch database '$DRILL_DB' created"

"$SCRIPT_DIR/restore.sh" --target-db "$DRILL_DB" "$SOURCE"

TABLES_SQL="SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
            FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
              AND schemaname NOT LIKE 'pg_toast%'
            ORDER BY 1"

psql_at "$PGDATABASE" "$TABLES_SQL" >"$WORK/source.tables"
psql_at "$DRILL_DB" "$TABLES_SQL" >"$WORK/restored.tables"
# comm needs both lists in the same (byte) order, whatever the database collation is.
LC_ALL=C sort -o "$WORK/source.tables" "$WORK/source.tables"
LC_ALL=C sort -o "$WORK/restored.tables" "$WORK/restored.tables"

# One query per database that counts every table: "table|count" lines.
count_rows() { # database, tables-file, output
    sql=""
    while IFS= read -r t; do
        [ -n "$t" ] || continue
        q=$(printf '%s' "$t" | sed "s/'/''/g")
        part="SELECT '$q' AS t, count(*) AS n FROM $t"
        if [ -z "$sql" ]; then sql=$part; else sql="$sql UNION ALL $part"; fi
    done <"$2"
    if [ -n "$sql" ]; then
        psql_at "$1" "$sql ORDER BY 1" >"$3"
    else
        : >"$3"
    fi
}

count_rows "$PGDATABASE" "$WORK/source.tables" "$WORK/source.counts"
LC_ALL=C comm -12 "$WORK/source.tables" "$WORK/restored.tables" >"$WORK/common.tables"
count_rows "$DRILL_DB" "$WORK/common.tables" "$WORK/restored.counts"

status=0
tables=0
printf '%-48s %12s %12s  %s\n' "table" "source" "restored" "result"
while IFS='|' read -r t n; do
    [ -n "$t" ] || continue
    tables=$((tables + 1))
    r=$(awk -F'|' -v t="$t" '$1 == t { print $2 }' "$WORK/restored.counts")
    if [ -z "$r" ]; then
        printf '%-48s %12s %12s  %s\n' "$t" "$n" "-" "MISSING"
        status=1
    elif [ "$r" != "$n" ]; then
        printf '%-48s %12s %12s  %s\n' "$t" "$n" "$r" "MISMATCH"
        status=1
    else
        printf '%-48s %12s %12s  %s\n' "$t" "$n" "$r" "ok"
    fi
done <"$WORK/source.counts"

extra=$(LC_ALL=C comm -13 "$WORK/source.tables" "$WORK/restored.tables")
if [ -n "$extra" ]; then
    for t in $extra; do
        printf '%-48s %12s %12s  %s\n' "$t" "-" "?" "ONLY IN BACKUP"
    done
    status=1
fi

if [ "$tables" -eq 0 ]; then
    log "FAILED: the source database has no tables to compare"
    exit 1
fi
if [ "$status" -ne 0 ]; then
    log "FAILED: the restored backup differs from '$PGDATABASE'"
    exit 1
fi
log "PASSED: $tables table(s) restored with identical row counts"
