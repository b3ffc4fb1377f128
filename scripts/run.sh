#!/usr/bin/env bash
# `make run`: SQLite and kombu's filesystem broker under ./var, the demo township, the web app, one worker with beat.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.local
BIN=.venv/bin
PORT=${PORT:-8000}

mkdir -p var/broker/out var/broker/processed var/broker/control var/media
$BIN/python manage.py migrate --no-input -v 0
[ -f locale/zh_Hans/LC_MESSAGES/django.mo ] || $BIN/python manage.py compilemessages --ignore=.venv -v 0 || true
$BIN/python manage.py seed_demo --if-empty --townships 3
$BIN/python manage.py demo_logins --url "http://127.0.0.1:${PORT}/"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A config worker --beat --pool=solo --loglevel=INFO \
  --schedule var/celerybeat-schedule --hostname "local@%h" >var/worker.log 2>&1 &
pids+=($!)
echo "Celery worker with beat started (log: var/worker.log)."
$BIN/python manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait -n "${pids[@]}"
