#!/usr/bin/env bash
# Web server, Celery worker and Celery beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT

"$BIN/celery" -A portal worker --loglevel=INFO --concurrency=2 --hostname="portal@%h" &
"$BIN/celery" -A portal beat --loglevel=INFO --schedule=var/celerybeat-schedule --pidfile= &
echo "Portal: http://127.0.0.1:${PORT}/  (Ctrl-C stops web server, worker and beat)"
"$BIN/python" manage.py runserver "127.0.0.1:${PORT}" &
wait -n
