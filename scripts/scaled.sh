#!/usr/bin/env bash
# `make scaled`: the scaled shape on this one machine — PostgreSQL and Redis, then the web process,
# the device gateway, ZHENGTU_INGEST_WRITERS ingest writers and the job worker from deploy/Procfile
# (with honcho; Ctrl-C stops them all). docs/operations.md, "The scaled shape on one machine".
#
# Defaults suit a trial on a closed machine (HTTP, a throw-away PostgreSQL on 127.0.0.1:5433, keys
# made once in $ZHENGTU_VAR_DIR/keys); a real installation sets every variable from its secret
# store and runs the units of deploy/systemd/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"

export DJANGO_SETTINGS_MODULE=zhengtu.settings.scaled
export ZHENGTU_VAR_DIR="${ZHENGTU_VAR_DIR:-$PWD/var/scaled}"
export ZHENGTU_KEY_DIR="${ZHENGTU_KEY_DIR:-$ZHENGTU_VAR_DIR/keys}"
export ZHENGTU_REDIS_PORT="${ZHENGTU_REDIS_PORT:-6379}"
export ZHENGTU_REDIS_URL="${ZHENGTU_REDIS_URL:-redis://127.0.0.1:$ZHENGTU_REDIS_PORT/0}"
export ZHENGTU_DB_HOST="${ZHENGTU_DB_HOST:-127.0.0.1}"
export ZHENGTU_DB_PORT="${ZHENGTU_DB_PORT:-5433}"
export ZHENGTU_DB_USER="${ZHENGTU_DB_USER:-postgres}"
export ZHENGTU_DB_NAME="${ZHENGTU_DB_NAME:-zhengtu_scaled}"
export ZHENGTU_HTTPS="${ZHENGTU_HTTPS:-0}"   # plain HTTP on a closed machine only; 1 behind TLS
export ZHENGTU_INGEST_WRITERS="${ZHENGTU_INGEST_WRITERS:-2}"
export ZHENGTU_WEB_PORT="${ZHENGTU_WEB_PORT:-8000}"
mkdir -p "$ZHENGTU_VAR_DIR/redis" "$ZHENGTU_KEY_DIR"

# Keys: from the environment or the key folder; a trial gets its own, made once.
for name in django-secret field-key; do
  if [ ! -s "$ZHENGTU_KEY_DIR/$name" ]; then
    (umask 077 && "$BIN/python" -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' \
      > "$ZHENGTU_KEY_DIR/$name")
    echo "Made a new key $ZHENGTU_KEY_DIR/$name (a trial installation; keep real keys in your secret store)"
  fi
done

# PostgreSQL: the throw-away test cluster when pointed at it, then this installation's database.
if [ "$ZHENGTU_DB_HOST:$ZHENGTU_DB_PORT" = "127.0.0.1:${ZHENGTU_TEST_PG_PORT:-5433}" ]; then
  bash scripts/test-postgres.sh start
fi
"$BIN/python" - <<'PY'
import os

import psycopg

settings = {"host": os.environ["ZHENGTU_DB_HOST"], "port": int(os.environ["ZHENGTU_DB_PORT"])}
with psycopg.connect(**settings, user=os.environ["ZHENGTU_DB_USER"], dbname="postgres", autocommit=True) as db:
    name = os.environ["ZHENGTU_DB_NAME"]
    if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        db.execute(f'CREATE DATABASE "{name}"')
        print(f"Created the database {name}")
PY

# Redis (append-only file on: what a gateway handed over survives a restart), unless one is given.
STARTED_REDIS=""
if [ -z "${ZHENGTU_EXTERNAL_REDIS:-}" ]; then
  if ! redis-cli -p "$ZHENGTU_REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$ZHENGTU_REDIS_PORT" --bind 127.0.0.1 --dir "$ZHENGTU_VAR_DIR/redis" \
      --appendonly yes --appendfsync everysec --save "" --daemonize yes \
      --pidfile "$ZHENGTU_VAR_DIR/redis/redis.pid" --logfile "$ZHENGTU_VAR_DIR/redis/redis.log"
    STARTED_REDIS=1
    for _ in $(seq 50); do redis-cli -p "$ZHENGTU_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
fi
stop_redis() {
  if [ -n "$STARTED_REDIS" ]; then redis-cli -p "$ZHENGTU_REDIS_PORT" shutdown >/dev/null 2>&1 || true; fi
}
trap stop_redis EXIT

"$BIN/python" manage.py compile_catalogues >/dev/null
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py load_workdays >/dev/null
"$BIN/python" manage.py collectstatic --noinput --verbosity 0

processes="web gateway jobs"
for n in $(seq 0 $((ZHENGTU_INGEST_WRITERS - 1))); do
  grep -q "^writer$n:" deploy/Procfile || { echo "deploy/Procfile has no line writer$n: add one"; exit 1; }
  processes="$processes writer$n"
done
echo "Zhengtu (scaled shape): http://127.0.0.1:$ZHENGTU_WEB_PORT/ — $processes"
"$BIN/honcho" -f deploy/Procfile -d . start $processes
