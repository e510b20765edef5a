#!/usr/bin/env bash
# Restore drill: the backups are proven by a restore. Run as root on one machine (CI runs it on a fresh one):
#
#   1. a PostgreSQL cluster of its own (port DRILL_PORT) archiving WAL to an encrypted pgBackRest repository
#      (repo1-cipher-type=aes-256-cbc), MEDIA_ROOT backed up to an encrypted restic repository
#   2. the production shape on it: migrations, reference data, demo data; a full backup
#   3. activity A (a case with an uploaded file, a training registration, through the portal's services);
#      a differential backup and a media snapshot
#   4. activity B1; a media snapshot (the schedule's next run); the restore target T; activity B2
#   5. the disk is lost: the cluster's data directory and MEDIA_ROOT are deleted
#   6. restore: pgBackRest to the point in time T, restic's latest snapshot to MEDIA_ROOT
#   7. proof: A and B1 are there, B2 is not; every file a row names is there with its checksum from before
#      the loss; `make serve` on the restored data serves every demo role's pages; a restored case file
#      downloads through its permission-checked view with the same bytes
#
# Prints the restore time and the RPO (what a loss at that moment would have cost).
# Needs: postgresql, pgbackrest, restic (Debian packages), Redis at REDIS_URL, the project's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PORT="${DRILL_PORT:-5499}"
WORK="${DRILL_DIR:-/var/tmp/portal-restore-drill}"
CLUSTER=drill
STANZA=portal
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/7}"

PGVER=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
DATA=/var/lib/postgresql/$PGVER/$CLUSTER
say() { echo "[drill $(date -u +%H:%M:%S)] $*"; }
as_pg() { su postgres -s /bin/bash -c "$*"; }
psql_drill() { as_pg "psql -p $PORT -X -q -t -A -c \"$1\""; }

cleanup() {
  pg_ctlcluster "$PGVER" "$CLUSTER" stop -m immediate 2>/dev/null || true
  pg_dropcluster "$PGVER" "$CLUSTER" 2>/dev/null || true
}
trap cleanup EXIT

say "fresh cluster $PGVER/$CLUSTER on port $PORT, work folder $WORK"
cleanup
rm -rf "$WORK"
mkdir -p "$WORK/repo" "$WORK/log" "$WORK/media" "$WORK/var"
chown -R postgres:postgres "$WORK/repo" "$WORK/log"
chmod 700 "$WORK/repo"

# The repository's passphrase, the restic password: generated per drill, as they are per site.
CIPHER_PASS=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
cat >"$WORK/pgbackrest.conf" <<EOF
[global]
repo1-path=$WORK/repo
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=$CIPHER_PASS
repo1-retention-full=2
repo1-retention-diff=6
archive-async=n
compress-type=zst
log-path=$WORK/log
log-level-console=warn
log-level-file=info
start-fast=y

[$STANZA]
pg1-path=$DATA
pg1-port=$PORT
pg1-socket-path=/var/run/postgresql
EOF
chown postgres:postgres "$WORK/pgbackrest.conf"
chmod 600 "$WORK/pgbackrest.conf"
BR="pgbackrest --config=$WORK/pgbackrest.conf --stanza=$STANZA"

pg_createcluster "$PGVER" "$CLUSTER" --port "$PORT" >/dev/null
cat >"/etc/postgresql/$PGVER/$CLUSTER/conf.d/backup.conf" <<EOF
# WAL archiving for point-in-time recovery (deploy/postgresql/backup.conf)
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$WORK/pgbackrest.conf --stanza=$STANZA archive-push %p'
archive_timeout = 60
max_wal_senders = 3
listen_addresses = '127.0.0.1'
EOF
pg_ctlcluster "$PGVER" "$CLUSTER" start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
psql_drill "CREATE ROLE portal LOGIN PASSWORD 'portal'"
psql_drill "CREATE DATABASE portal OWNER portal"
as_pg "$BR stanza-create"
as_pg "$BR check"

# The backups are taken by `make backup` (scripts/backup.sh), configured as a site configures it.
export PORTAL_BACKUP_ENV="$WORK/backup.env"
{
  echo "MEDIA_ROOT=$WORK/media"
  echo "RESTIC_REPOSITORY=$WORK/restic"
  echo "RESTIC_PASSWORD=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
  echo "PGBACKREST_CONFIG=$WORK/pgbackrest.conf"
  echo "PGBACKREST_STANZA=$STANZA"
} >"$PORTAL_BACKUP_ENV"
chmod 600 "$PORTAL_BACKUP_ENV"
backup() { bash scripts/backup.sh "$@" | sed 's/^/  /'; }

SECRET=$(head -c 64 /dev/urandom | base64 | tr -d '/+=\n')
export DJANGO_SETTINGS_MODULE=portal.settings.production \
  DATABASE_URL="postgres://portal:portal@127.0.0.1:$PORT/portal" \
  MEDIA_ROOT="$WORK/media" PORTAL_VAR_DIR="$WORK/var" \
  SECRET_KEY="$SECRET" \
  MFA_ENCRYPTION_KEYS="$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  ALLOWED_HOSTS=127.0.0.1 EMAIL_URL="smtp://127.0.0.1:2525" SITE_URL="https://127.0.0.1" \
  LOG_LEVEL=WARNING
redis-cli -u "$REDIS_URL" flushdb >/dev/null

say "production shape: migrate, reference data, demo data"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_reference_data >/dev/null
"$PY" manage.py seed_demo --i-know-this-is-not-production >/dev/null
backup full
say "full backup: $(as_pg "$BR info" | grep -c 'full backup') full backup in the repository"

"$PY" scripts/drill_portal.py write A "$WORK/state.json"
backup diff
say "differential backup and media snapshot after activity A"

"$PY" scripts/drill_portal.py write B1 "$WORK/state.json"
backup media
sleep 1.1
TARGET=$(psql_drill "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1.1
say "restore target T = $TARGET"
"$PY" scripts/drill_portal.py write B2 "$WORK/state.json"
"$PY" scripts/drill_portal.py files "$WORK/files.json"

# The WAL segment holding B2 is archived (archive_timeout does this within 60 s in production).
SWITCHED=$(psql_drill "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 120); do
  ARCHIVED=$(psql_drill "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [[ "$ARCHIVED" == "$SWITCHED" || "$ARCHIVED" > "$SWITCHED" ]] && break
  sleep 0.5
done
say "WAL archived up to $ARCHIVED"

say "the disk is lost: the database cluster and MEDIA_ROOT are deleted"
LOSS_EPOCH=$(date +%s.%N)
DB_RPO=$(psql_drill "SELECT round(extract(epoch FROM clock_timestamp() - last_archived_time)::numeric, 1) FROM pg_stat_archiver")
set -a; . "$PORTAL_BACKUP_ENV"; set +a
MEDIA_LAST=$(restic snapshots --json --latest 1 | "$PY" -c 'import json,sys,datetime as d; print(d.datetime.fromisoformat(json.load(sys.stdin)[-1]["time"].replace("Z","+00:00")).timestamp())')
pg_ctlcluster "$PGVER" "$CLUSTER" stop -m immediate
find "$DATA" -mindepth 1 -delete
rm -rf "$WORK/media"
test -z "$(ls -A "$DATA")" && test ! -e "$WORK/media"

say "restore: pgBackRest to $TARGET, restic's latest media snapshot"
START=$(date +%s.%N)
as_pg "$BR restore --type=time '--target=$TARGET' --target-action=promote"
restic restore latest --quiet --target / >/dev/null
pg_ctlcluster "$PGVER" "$CLUSTER" start
for _ in $(seq 1 120); do
  [ "$(psql_drill "SELECT pg_is_in_recovery()" 2>/dev/null)" = "f" ] && break
  sleep 0.5
done
[ "$(psql_drill "SELECT pg_is_in_recovery()")" = "f" ]
RESTORED=$(date +%s.%N)
say "recovery ended: $(grep -h 'recovery stopping\|last completed transaction' /var/log/postgresql/postgresql-"$PGVER"-"$CLUSTER".log | tail -n 2 | sed 's/.*LOG: *//' | tr '\n' ' ')"

say "proof: rows before T present, rows after T absent, every stored file's checksum"
"$PY" scripts/drill_portal.py verify "$WORK/state.json" "$WORK/files.json" A,B1 B2

say "proof: make serve on the restored data serves every demo role's pages"
"$PY" scripts/serve_smoke.py --existing-data --download-case "$(
  "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["A"]; print(s["case"], s["attachment"], s["sha256"])' "$WORK/state.json"
)"

python3 - "$START" "$RESTORED" "$LOSS_EPOCH" "$MEDIA_LAST" "$DB_RPO" <<'EOF'
import sys
start, restored, loss, media_last, db_rpo = (float(x) for x in sys.argv[1:])
print(f"RESTORE TIME: {restored - start:.1f} s (pgBackRest point-in-time restore + WAL replay + restic media restore)")
print(f"RPO: database {db_rpo:.1f} s (commits after the last archived WAL segment; bounded by archive_timeout = 60 s)")
print(f"RPO: uploaded files {loss - media_last:.1f} s (files since the last restic snapshot; bounded by its schedule)")
EOF
say "restore drill passed"
