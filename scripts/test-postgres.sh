#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite, on loopback only (default port 5433),
# kept in a temporary folder so it never touches a real database. Usage: start | stop.
set -euo pipefail
PORT="${ZHENGTU_TEST_PG_PORT:-5433}"
DIR="${ZHENGTU_TEST_PG_DIR:-/tmp/zhengtu-test-pg-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (run scripts/system-packages.sh)"; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-start}" in
  start)
    if [ ! -s "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
      as_owner "'$BIN/initdb' -D '$DIR' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null"
      cat >> "$DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    if ! as_owner "'$BIN/pg_ctl' -D '$DIR' status" >/dev/null 2>&1; then
      as_owner "'$BIN/pg_ctl' -D '$DIR' -l '$DIR/server.log' -w start" >/dev/null
    fi
    as_owner "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='zhengtu'\"" | grep -q 1 \
      || as_owner "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres zhengtu"
    ;;
  stop)
    as_owner "'$BIN/pg_ctl' -D '$DIR' -m fast stop" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop"; exit 2 ;;
esac
