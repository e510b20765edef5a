#!/usr/bin/env bash
# Web server, Celery worker and Celery beat together; Ctrl-C (or any one of them exiting) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var

pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
}
trap stop INT TERM EXIT

"$BIN/celery" -A portal worker --loglevel=INFO --concurrency=2 --hostname="portal@%h" &
pids+=($!)
"$BIN/celery" -A portal beat --loglevel=INFO --schedule=var/celerybeat-schedule --pidfile= &
pids+=($!)
"$BIN/python" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
echo "Portal: http://127.0.0.1:${PORT}/  (Ctrl-C stops the web server, the Celery worker and beat)"
wait -n
