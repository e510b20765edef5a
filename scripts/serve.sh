#!/usr/bin/env bash
# `make serve`: the production shape on one machine. gunicorn (2 x CPUs + 1 workers), a Celery
# worker and Celery beat, with portal.settings.production: PostgreSQL and Redis from DATABASE_URL
# and REDIS_URL, and every other setting from the environment (README, "Production"); nothing is
# defaulted. Migrates, loads the reference data and collects the static files first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE=portal.settings.production
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"

# gunicorn's workers add up their request and query counters for /metrics in this folder (emptied at start)
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-${PORTAL_VAR_DIR:-var}/prometheus}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

"$BIN/python" manage.py check --deploy --fail-level ERROR
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py load_reference_data
"$BIN/python" manage.py collectstatic --noinput -v0

pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
}
trap stop INT TERM EXIT

"$BIN/celery" -A portal worker --loglevel=WARNING --concurrency=2 --hostname="portal@%h" &
pids+=($!)
"$BIN/celery" -A portal beat --loglevel=WARNING --schedule="${PORTAL_VAR_DIR:-var}/celerybeat-schedule" --pidfile= &
pids+=($!)
"$BIN/gunicorn" portal.wsgi:application --workers "$WORKERS" --bind "${BIND:-127.0.0.1}:${PORT}" \
  --forwarded-allow-ips="${FORWARDED_ALLOW_IPS:-127.0.0.1}" --access-logfile - --log-level warning &
pids+=($!)
echo "Portal (production settings): http://${BIND:-127.0.0.1}:${PORT}/ behind your TLS proxy; ${WORKERS} web workers"
wait -n
