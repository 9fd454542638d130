#!/bin/sh
# ContraVento backup: PostgreSQL dump (pg_dump -Fc) + uploads archive, GFS retention,
# optional copy to S3-compatible storage.
#
# Usage:
#   scripts/backup.sh              one backup set now, then prune (default, same as --once)
#   scripts/backup.sh --schedule   run forever: a set every BACKUP_INTERVAL_HOURS, aligned
#                                  on UTC (6 -> 00:00, 06:00, 12:00, 18:00); used by the
#                                  backup-cron service. Makes a first set at start when
#                                  BACKUP_DIR holds none.
#   scripts/backup.sh --prune-only apply the retention policy and exit
#   scripts/backup.sh --healthcheck  exit 0 while the scheduler is alive and the last run
#                                  did not fail (container HEALTHCHECK)
#   scripts/backup.sh --help
#
# Environment (all optional except the connection):
#   PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE   libpq connection (PGDATABASE required)
#   BACKUP_DIR                  where sets are written (default ./backups)
#   BACKUP_PREFIX               file name prefix (default contravento)
#   STORAGE_PATH                uploads directory; archived when it is a directory
#   BACKUP_RETENTION_DAILY      newest set of each of the N most recent days (default 7)
#   BACKUP_RETENTION_WEEKLY     ... of each of the N most recent ISO weeks (default 4)
#   BACKUP_RETENTION_MONTHLY    ... of each of the N most recent months (default 12)
#   BACKUP_KEEP_ALL_HOURS       every set this close to the newest one is kept (default 24)
#   BACKUP_INTERVAL_HOURS       --schedule period (default 6)
#   BACKUP_S3_BUCKET            when set, each set is uploaded to s3://BUCKET/PREFIX/ and
#                               pruned sets are deleted there too (`aws` CLI, or python3 +
#                               boto3 when aws is missing)
#   BACKUP_S3_PREFIX            key prefix (default contravento)
#   BACKUP_S3_ENDPOINT_URL      S3-compatible endpoint (MinIO, R2, ...)
#   AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION   S3 credentials
#
# A set is <prefix>_<YYYYmmddTHHMMSSZ>.dump, .storage.tar.gz (if any) and .sha256. Files
# are written under a temporary name and renamed when complete, so an interrupted run
# never leaves something that looks like a backup. Retention counts days/weeks/months
# that *have* a backup, so a week of failed backups never purges the older good ones.
set -eu

BACKUP_DIR="${BACKUP_DIR:-./backups}"
BACKUP_PREFIX="${BACKUP_PREFIX:-contravento}"
RETENTION_DAILY="${BACKUP_RETENTION_DAILY:-7}"
RETENTION_WEEKLY="${BACKUP_RETENTION_WEEKLY:-4}"
RETENTION_MONTHLY="${BACKUP_RETENTION_MONTHLY:-12}"
KEEP_ALL_HOURS="${BACKUP_KEEP_ALL_HOURS:-24}"
INTERVAL_HOURS="${BACKUP_INTERVAL_HOURS:-6}"
S3_PREFIX="${BACKUP_S3_PREFIX:-contravento}"

log() {
    printf '%s [backup] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

usage() {
    sed -n '2,/^set -eu$/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

is_uint() {
    case "$1" in
        '' | *[!0-9]*) return 1 ;;
        *) return 0 ;;
    esac
}

check_config() {
    for v in "$RETENTION_DAILY" "$RETENTION_WEEKLY" "$RETENTION_MONTHLY" "$KEEP_ALL_HOURS" "$INTERVAL_HOURS"; do
        is_uint "$v" || die "retention/interval values must be whole numbers (got '$v')"
    done
    [ "$INTERVAL_HOURS" -ge 1 ] || die "BACKUP_INTERVAL_HOURS must be >= 1"
    mkdir -p "$BACKUP_DIR"
}

# ---------------------------------------------------------------------------- S3 --------
s3_url() {
    printf 's3://%s/%s/%s' "$BACKUP_S3_BUCKET" "$S3_PREFIX" "$1"
}

s3_put() { # local-file
    name=$(basename "$1")
    if command -v aws >/dev/null 2>&1; then
        if [ -n "${BACKUP_S3_ENDPOINT_URL:-}" ]; then
            aws s3 cp --only-show-errors --endpoint-url "$BACKUP_S3_ENDPOINT_URL" "$1" "$(s3_url "$name")"
        else
            aws s3 cp --only-show-errors "$1" "$(s3_url "$name")"
        fi
    elif command -v python3 >/dev/null 2>&1; then
        python3 - "$1" "$BACKUP_S3_BUCKET" "$S3_PREFIX/$name" <<'PY'
import os, sys
import boto3
path, bucket, key = sys.argv[1:4]
endpoint = os.environ.get("BACKUP_S3_ENDPOINT_URL") or None
boto3.client("s3", endpoint_url=endpoint).upload_file(path, bucket, key)
PY
    else
        die "BACKUP_S3_BUCKET is set but neither the aws CLI nor python3 (boto3) is available"
    fi
}

s3_delete() { # file name
    if command -v aws >/dev/null 2>&1; then
        if [ -n "${BACKUP_S3_ENDPOINT_URL:-}" ]; then
            aws s3 rm --only-show-errors --endpoint-url "$BACKUP_S3_ENDPOINT_URL" "$(s3_url "$1")"
        else
            aws s3 rm --only-show-errors "$(s3_url "$1")"
        fi
    else
        python3 - "$BACKUP_S3_BUCKET" "$S3_PREFIX/$1" <<'PY'
import os, sys
import boto3
bucket, key = sys.argv[1:3]
endpoint = os.environ.get("BACKUP_S3_ENDPOINT_URL") or None
boto3.client("s3", endpoint_url=endpoint).delete_object(Bucket=bucket, Key=key)
PY
    fi
}

# ---------------------------------------------------------------------------- backup ----
LOCK_DIR=""

release_lock() {
    if [ -n "$LOCK_DIR" ]; then
        rm -rf "$LOCK_DIR"
        LOCK_DIR=""
    fi
}

take_lock() {
    lock="$BACKUP_DIR/.lock"
    if ! mkdir "$lock" 2>/dev/null; then
        other=$(cat "$lock/pid" 2>/dev/null || true)
        if [ -n "$other" ] && kill -0 "$other" 2>/dev/null; then
            die "another backup (pid $other) is running"
        fi
        log "removing stale lock of pid ${other:-?}"
        rm -rf "$lock"
        mkdir "$lock" || die "cannot take $lock"
    fi
    echo $$ >"$lock/pid"
    LOCK_DIR="$lock"
}

backup_once() {
    : "${PGDATABASE:?PGDATABASE must be set (database to back up)}"
    command -v pg_dump >/dev/null 2>&1 || die "pg_dump not found"
    trap release_lock EXIT
    take_lock
    ts=$(date -u +%Y%m%dT%H%M%SZ)
    base="$BACKUP_DIR/${BACKUP_PREFIX}_${ts}"
    [ ! -e "$base.dump" ] || die "$base.dump already exists"

    log "dumping database '$PGDATABASE' on ${PGHOST:-local socket}:${PGPORT:-5432}"
    pg_dump --format=custom --compress=6 --no-password --file="$base.dump.partial"
    # A dump that pg_restore cannot list is no backup.
    pg_restore --list "$base.dump.partial" >/dev/null || die "pg_restore cannot read the new dump"
    mv "$base.dump.partial" "$base.dump"
    files="${BACKUP_PREFIX}_${ts}.dump"

    if [ -n "${STORAGE_PATH:-}" ] && [ -d "${STORAGE_PATH}" ]; then
        log "archiving uploads from $STORAGE_PATH"
        tar -C "$STORAGE_PATH" -czf "$base.storage.tar.gz.partial" .
        mv "$base.storage.tar.gz.partial" "$base.storage.tar.gz"
        files="$files ${BACKUP_PREFIX}_${ts}.storage.tar.gz"
    else
        log "no uploads directory (STORAGE_PATH='${STORAGE_PATH:-}'), database only"
    fi

    # shellcheck disable=SC2086 # $files is a list of plain file names
    (cd "$BACKUP_DIR" && sha256sum $files) >"$base.sha256.partial"
    mv "$base.sha256.partial" "$base.sha256"

    if [ -n "${BACKUP_S3_BUCKET:-}" ]; then
        for f in $files "${BACKUP_PREFIX}_${ts}.sha256"; do
            log "uploading $f to $(s3_url "$f")"
            s3_put "$BACKUP_DIR/$f"
        done
    fi
    log "backup set ${BACKUP_PREFIX}_${ts} complete ($(du -k "$base.dump" | cut -f1) KiB dump)"
    prune
    release_lock
}

# ---------------------------------------------------------------------------- retention -
# Prints "keep TS" / "delete TS" for the timestamps on stdin (one per line, any order).
retention_plan() {
    sort -r -u | awk -v nd="$RETENTION_DAILY" -v nw="$RETENTION_WEEKLY" -v nm="$RETENTION_MONTHLY" \
        -v keepall="$KEEP_ALL_HOURS" '
        function days_from_civil(y, m, d,    era, yoe, doy, doe) {
            y -= (m <= 2)
            era = int((y >= 0 ? y : y - 399) / 400)
            yoe = y - era * 400
            doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
            doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
            return era * 146097 + doe - 719468
        }
        /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z$/ {
            y = substr($0, 1, 4) + 0; mo = substr($0, 5, 2) + 0; d = substr($0, 7, 2) + 0
            secs = substr($0, 10, 2) * 3600 + substr($0, 12, 2) * 60 + substr($0, 14, 2)
            days = days_from_civil(y, mo, d)
            t = days * 86400 + secs
            if (NR == 1) newest = t
            day = y * 10000 + mo * 100 + d
            week = int((days + 3) / 7)          # weeks start on Monday (1970-01-01 was a Thursday)
            month = y * 100 + mo
            keep = (newest - t <= keepall * 3600)
            if (!(day in seen_d))   { seen_d[day] = 1;     if (++cd <= nd) keep = 1 }
            if (!(week in seen_w))  { seen_w[week] = 1;    if (++cw <= nw) keep = 1 }
            if (!(month in seen_m)) { seen_m[month] = 1;   if (++cm <= nm) keep = 1 }
            print (keep ? "keep " : "delete ") $0
            next
        }
        { print "skip " $0 }
    '
}

list_sets() {
    for f in "$BACKUP_DIR/${BACKUP_PREFIX}_"*.dump; do
        [ -e "$f" ] || continue
        f=${f##*/}
        f=${f#"${BACKUP_PREFIX}_"}
        printf '%s\n' "${f%.dump}"
    done
}

prune() {
    kept=0
    deleted=0
    plan=$(list_sets | retention_plan)
    [ -n "$plan" ] || return 0
    doomed="$BACKUP_DIR/.prune.$$"
    : >"$doomed"
    while read -r action ts; do
        case "$action" in
            keep) kept=$((kept + 1)) ;;
            delete)
                deleted=$((deleted + 1))
                for suffix in dump storage.tar.gz sha256; do
                    f="${BACKUP_PREFIX}_${ts}.${suffix}"
                    if [ -e "$BACKUP_DIR/$f" ]; then
                        printf '%s\n' "$f" >>"$doomed"
                    fi
                done
                ;;
        esac
    done <<PLAN
$plan
PLAN
    # File names are generated by this script (no blanks), one per line.
    (cd "$BACKUP_DIR" && xargs rm -f <"$doomed")
    if [ -n "${BACKUP_S3_BUCKET:-}" ]; then
        while read -r f; do
            s3_delete "$f" || log "could not delete $f from S3 (bucket lifecycle rules are the backstop)"
        done <"$doomed"
    fi
    rm -f "$doomed"
    log "retention (${RETENTION_DAILY}d/${RETENTION_WEEKLY}w/${RETENTION_MONTHLY}m): kept $kept set(s), deleted $deleted"
}

# ---------------------------------------------------------------------------- schedule --
write_status() {
    printf '%s %s\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$BACKUP_DIR/.last_status"
}

run_and_record() {
    # Not `if (backup_once)`: inside an if condition `set -e` would be ignored.
    set +e
    (
        set -e
        backup_once
    )
    rc=$?
    set -e
    if [ "$rc" -eq 0 ]; then
        write_status ok
    else
        write_status failed
        log "backup FAILED (exit $rc); next attempt at the next slot"
    fi
}

schedule() {
    trap 'log "stopping scheduler"; exit 0' TERM INT
    interval=$((INTERVAL_HOURS * 3600))
    log "scheduler started: every ${INTERVAL_HOURS} h (UTC-aligned), sets in $BACKUP_DIR"
    touch "$BACKUP_DIR/.heartbeat"
    if [ -z "$(list_sets)" ]; then
        log "no backup yet: taking the first one now"
        run_and_record
    fi
    while :; do
        now=$(date -u +%s)
        next=$(((now / interval + 1) * interval))
        while [ "$(date -u +%s)" -lt "$next" ]; do
            touch "$BACKUP_DIR/.heartbeat"
            sleep 60 &
            wait $! || true
        done
        run_and_record
    done
}

healthcheck() {
    # A long dump in progress is healthy even if the heartbeat is not refreshed meanwhile.
    pid=$(cat "$BACKUP_DIR/.lock/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "backup in progress (pid $pid)"
        exit 0
    fi
    [ -n "$(find "$BACKUP_DIR/.heartbeat" -mmin -5 2>/dev/null)" ] || {
        echo "scheduler heartbeat missing or older than 5 minutes"
        exit 1
    }
    if [ -f "$BACKUP_DIR/.last_status" ] && grep -q '^failed' "$BACKUP_DIR/.last_status"; then
        echo "last backup failed: $(cat "$BACKUP_DIR/.last_status")"
        exit 1
    fi
    echo "ok"
}

trap release_lock EXIT

case "${1:---once}" in
    --once)
        check_config
        backup_once
        ;;
    --schedule)
        check_config
        schedule
        ;;
    --prune-only)
        check_config
        take_lock
        prune
        ;;
    --healthcheck)
        healthcheck
        ;;
    -h | --help)
        usage
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
