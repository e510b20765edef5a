#!/usr/bin/env bash
# `make backup`: back up the database (pgBackRest) and the uploaded files (restic) on one machine.
#
#   scripts/backup.sh [full|diff|incr]   database backup of that type (default diff), then the files
#   scripts/backup.sh media              only the uploaded files (hourly, deploy/cron/portal-backup)
#   scripts/backup.sh verify             read back the pgBackRest repository and a tenth of restic's data
#   scripts/backup.sh info               what the repositories hold
#
# Configuration: /etc/pgbackrest/pgbackrest.conf (deploy/pgbackrest/) and the restic variables of
# /etc/portal/restic.env (deploy/restic/restic.env.example; PORTAL_BACKUP_ENV to point elsewhere).
# Run as root (pgBackRest runs as postgres). Restoring: README, "Restore from backup".
set -euo pipefail
ENV_FILE="${PORTAL_BACKUP_ENV:-/etc/portal/restic.env}"
if [ -r "$ENV_FILE" ]; then set -a; . "$ENV_FILE"; set +a; fi
STANZA="${PGBACKREST_STANZA:-portal}"
KEEP="${RESTIC_KEEP:---keep-hourly 48 --keep-daily 14 --keep-weekly 8 --keep-monthly 12}"
KIND="${1:-diff}"
log() { echo "[backup $(date -u +%FT%TZ)] $*"; }
pgbr() { if [ "$(id -un)" = postgres ]; then pgbackrest --stanza="$STANZA" "$@"; else su postgres -s /bin/bash -c "pgbackrest --stanza=$STANZA $*"; fi; }

media() {
  : "${MEDIA_ROOT:?MEDIA_ROOT is not set (in $ENV_FILE)}" "${RESTIC_REPOSITORY:?RESTIC_REPOSITORY is not set}"
  restic cat config >/dev/null 2>&1 || restic init
  log "media: restic backup $MEDIA_ROOT"
  restic backup --quiet --tag media "$MEDIA_ROOT"
  # shellcheck disable=SC2086 (KEEP is a list of options)
  restic forget --quiet --tag media --prune $KEEP
}

case "$KIND" in
  full | diff | incr)
    log "database: pgBackRest $KIND backup"
    pgbr backup --type="$KIND"   # expires old backups by repo1-retention-* afterwards
    media
    ;;
  media) media ;;
  verify)
    pgbr verify
    restic check --read-data-subset=1/10
    ;;
  info)
    pgbr info
    restic snapshots --tag media --compact
    ;;
  *) echo "usage: $0 [full|diff|incr|media|verify|info]" >&2; exit 2 ;;
esac
log "done: $KIND"
