#!/usr/bin/env bash
# Web server, Celery worker and Celery beat together; Ctrl-C (or any one of them exiting) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
VAR="${PORTAL_VAR_DIR:-var}"
mkdir -p "$VAR"

pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null
  # A worker finishing a task gets 10 seconds; then everything still running is stopped for good.
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

"$BIN/celery" -A portal worker --loglevel=INFO --concurrency=2 --hostname="portal@%h" &
pids+=($!)
"$BIN/celery" -A portal beat --loglevel=INFO --schedule="$VAR/celerybeat-schedule" --pidfile= &
pids+=($!)
"$BIN/python" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
echo "Portal: http://127.0.0.1:${PORT}/  (Ctrl-C stops the web server, the Celery worker and beat)"
wait -n
