#!/bin/sh
# ContraVento restore: load a backup set written by scripts/backup.sh.
#
# Usage:
#   scripts/restore.sh [options] <SOURCE>
#
# SOURCE
#   path/to/contravento_YYYYmmddTHHMMSSZ.dump   a local set
#   latest                                      newest .dump in BACKUP_DIR
#   s3://bucket/prefix/contravento_...dump      downloaded first (aws CLI)
#
# Options
#   --target-db NAME  database to restore into (default: PGDATABASE)
#   --create          create the target database first (it must not exist)
#   --storage         also unpack the set's uploads archive into STORAGE_PATH
#   --yes             confirm overwriting PGDATABASE itself (required for that case)
#   -h, --help
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE (libpq), BACKUP_DIR (default
# ./backups), BACKUP_PREFIX (default contravento), STORAGE_PATH, BACKUP_S3_ENDPOINT_URL.
#
# The checksum file of the set is verified when present. The database is restored with
# pg_restore --clean --if-exists --no-owner --no-privileges in a single transaction: it
# either fully succeeds or leaves the target untouched. Uploads are extracted over
# STORAGE_PATH (existing files with the same name are replaced, others are left).
set -eu

BACKUP_DIR="${BACKUP_DIR:-./backups}"
BACKUP_PREFIX="${BACKUP_PREFIX:-contravento}"

log() {
    printf '%s [restore] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

usage() {
    sed -n '2,/^set -eu$/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

TARGET_DB=""
CREATE=0
WITH_STORAGE=0
CONFIRMED=0
SOURCE=""

while [ "$#" -gt 0 ]; do
    case "$1" in
        --target-db)
            [ "$#" -ge 2 ] || die "--target-db needs a name"
            TARGET_DB=$2
            shift 2
            ;;
        --target-db=*)
            TARGET_DB=${1#*=}
            shift
            ;;
        --create)
            CREATE=1
            shift
            ;;
        --storage)
            WITH_STORAGE=1
            shift
            ;;
        --yes)
            CONFIRMED=1
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*)
            die "unknown option $1 (see --help)"
            ;;
        *)
            [ -z "$SOURCE" ] || die "only one SOURCE may be given"
            SOURCE=$1
            shift
            ;;
    esac
done

[ -n "$SOURCE" ] || {
    usage >&2
    exit 2
}
: "${PGDATABASE:?PGDATABASE must be set}"
TARGET_DB="${TARGET_DB:-$PGDATABASE}"
command -v pg_restore >/dev/null 2>&1 || die "pg_restore not found"

WORK=""
cleanup() {
    if [ -n "$WORK" ]; then
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# -------------------------------------------------------------------- locate the set --
case "$SOURCE" in
    latest)
        DUMP=""
        for f in "$BACKUP_DIR/${BACKUP_PREFIX}_"*.dump; do
            [ -e "$f" ] && DUMP=$f # glob order is lexical = chronological
        done
        [ -n "$DUMP" ] || die "no ${BACKUP_PREFIX}_*.dump in $BACKUP_DIR"
        ;;
    s3://*)
        command -v aws >/dev/null 2>&1 || die "the aws CLI is needed to restore from S3"
        WORK=$(mktemp -d)
        base=${SOURCE%.dump}
        for suffix in dump sha256 storage.tar.gz; do
            if [ -n "${BACKUP_S3_ENDPOINT_URL:-}" ]; then
                set -- --endpoint-url "$BACKUP_S3_ENDPOINT_URL"
            else
                set --
            fi
            if ! aws s3 cp --only-show-errors "$@" "$base.$suffix" "$WORK/" 2>/dev/null; then
                [ "$suffix" != dump ] || die "cannot download $SOURCE"
            fi
        done
        DUMP="$WORK/$(basename "$base").dump"
        ;;
    *)
        DUMP=$SOURCE
        ;;
esac
[ -f "$DUMP" ] || die "no such backup: $DUMP"

SET_DIR=$(cd "$(dirname "$DUMP")" && pwd)
SET_BASE=$(basename "$DUMP" .dump)
ARCHIVE="$SET_DIR/$SET_BASE.storage.tar.gz"

if [ -f "$SET_DIR/$SET_BASE.sha256" ]; then
    log "verifying checksums of $SET_BASE"
    (cd "$SET_DIR" && sha256sum -c "$SET_BASE.sha256") >/dev/null || die "checksum mismatch in $SET_BASE"
else
    log "no checksum file for $SET_BASE, skipping verification"
fi
pg_restore --list "$DUMP" >/dev/null || die "$DUMP is not a readable pg_dump archive"

if [ "$TARGET_DB" = "$PGDATABASE" ] && [ "$CONFIRMED" -ne 1 ]; then
    die "restoring into the live database '$PGDATABASE' replaces its data: add --yes (or --target-db NAME)"
fi

# -------------------------------------------------------------------- database --------
if [ "$CREATE" -eq 1 ]; then
    log "creating database '$TARGET_DB'"
    createdb --no-password "$TARGET_DB"
fi

log "restoring $SET_BASE into database '$TARGET_DB'"
pg_restore --no-password --dbname="$TARGET_DB" --clean --if-exists --no-owner --no-privileges \
    --single-transaction --exit-on-error "$DUMP"

# -------------------------------------------------------------------- uploads ---------
if [ "$WITH_STORAGE" -eq 1 ]; then
    [ -n "${STORAGE_PATH:-}" ] || die "--storage needs STORAGE_PATH"
    if [ -f "$ARCHIVE" ]; then
        mkdir -p "$STORAGE_PATH"
        log "unpacking uploads into $STORAGE_PATH"
        tar -C "$STORAGE_PATH" -xzf "$ARCHIVE"
    else
        die "set $SET_BASE has no uploads archive"
    fi
fi

log "restore of $SET_BASE into '$TARGET_DB' complete"
