#!/usr/bin/env bash
# Starts (or stops) a PostgreSQL cluster and a Redis server under DIR for tests or local runs.
#   tools/local-servers.sh start DIR PG_PORT REDIS_PORT   → writes DIR/env (DATABASE_URL_*, REDIS_URL)
#   tools/local-servers.sh stop DIR
# Data in DIR is kept between runs; the cluster is created and bootstrapped on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN=/usr/lib/postgresql/15/bin
action="$1"; dir="$(mkdir -p "$2" && cd "$2" && pwd)"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "$action" in
start)
  pg_port="$3"; redis_port="$4"
  mkdir -p "$dir/pg" "$dir/redis"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir" "$dir/pg"
  if [ ! -s "$dir/passwords" ]; then
    for svc in users problems submissions; do
      echo "$svc=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    done > "$dir/passwords"
    chmod 600 "$dir/passwords"
  fi
  # shellcheck disable=SC1091
  . "$dir/passwords"
  if [ ! -s "$dir/pg/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb -D '$dir/pg' -U postgres -A scram-sha-256 --pwfile=<(echo postgres-local) >/dev/null"
    # Local superuser access over the socket only; services use TCP with their own passwords.
    printf 'local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$dir/pg/pg_hba.conf"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pg/pg_hba.conf"
  fi
  # Idempotent: a server left running by an interrupted run is reused.
  if ! as_postgres "$PG_BIN/pg_ctl -D '$dir/pg' status >/dev/null 2>&1"; then
    as_postgres "$PG_BIN/pg_ctl -D '$dir/pg' -l '$dir/pg.log' -w -o \"-p $pg_port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null"
  fi
  PGOPTIONS="-c client_min_messages=warning" psql -h "$dir" -p "$pg_port" -U postgres -d postgres -q -v users_password="$users" \
    -v problems_password="$problems" -v submissions_password="$submissions" -f tools/db-bootstrap.sql >/dev/null
  if ! { [ -s "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; }; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no
  fi
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  cat > "$dir/env" <<ENV
export DATABASE_URL_USERS=postgres://users_svc:$users@127.0.0.1:$pg_port/algosports
export DATABASE_URL_PROBLEMS=postgres://problems_svc:$problems@127.0.0.1:$pg_port/algosports
export DATABASE_URL_SUBMISSIONS=postgres://submissions_svc:$submissions@127.0.0.1:$pg_port/algosports
export DATABASE_ADMIN_URL='postgresql:///algosports?host=$dir&port=$pg_port&user=postgres'
export REDIS_URL=redis://127.0.0.1:$redis_port
ENV
  ;;
stop)
  [ -s "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  [ -s "$dir/pg/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl -D '$dir/pg' -m fast stop >/dev/null" || true
  ;;
*) echo "usage: $0 start DIR PG_PORT REDIS_PORT | stop DIR" >&2; exit 2 ;;
esac
