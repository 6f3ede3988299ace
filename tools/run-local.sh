#!/usr/bin/env bash
# `make run`: builds release, starts PostgreSQL and Redis under ./.run/ (data kept between runs),
# then every service as its own process. Prints the Edge URL and the first admin's credentials.
# Ctrl-C stops everything cleanly. Ports: EDGE_PORT (8080), PG_PORT (54329), REDIS_PORT (63799).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

RUN_DIR="${RUN_DIR:-$PWD/.run}"
EDGE_PORT="${EDGE_PORT:-8080}"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/secrets"
chmod 755 "$RUN_DIR"        # the postgres user must reach its data directory below
chmod 700 "$RUN_DIR/secrets"

secret() {  # secret NAME BYTES: a hex secret kept between runs
  local file="$RUN_DIR/secrets/$1"
  [ -s "$file" ] || { head -c "$2" /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file"; chmod 600 "$file"; }
}
secret rpc-secret 32
secret jwt-signing-key 32
secret admin-password 9

echo "Building (release)…"
tools/swift-release.sh
BIN="$(tools/swift-release.sh --show-bin-path)"

pids=()
stop() {
  trap '' INT TERM  # a second Ctrl-C must not cut the clean-up short
  echo
  echo "Stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tools/local-servers.sh stop "$RUN_DIR/servers"
  echo "Stopped. Data is kept in $RUN_DIR."
  exit 0
}
trap stop INT TERM

echo "Starting PostgreSQL (port $PG_PORT) and Redis (port $REDIS_PORT)…"
tools/local-servers.sh start "$RUN_DIR/servers" "$PG_PORT" "$REDIS_PORT"
# shellcheck disable=SC1091
. "$RUN_DIR/servers/env"

export RPC_SECRET_FILE="$RUN_DIR/secrets/rpc-secret" LOG_FORMAT=json
export JWT_SIGNING_KEY_FILE="$RUN_DIR/secrets/jwt-signing-key"
JWT_PUBLIC_KEY="$("$BIN/Users" print-public-key)"
ADMIN_USER="${ALGOSPORTS_ADMIN_USER:-admin}"
ADMIN_PASSWORD="$(cat "$RUN_DIR/secrets/admin-password")"

start() {  # start NAME RPC_PORT [VAR=value …]
  local name="$1" port="$2"
  shift 2
  env RPC_PORT="$port" "$@" "$BIN/$name" >> "$RUN_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
  echo "  $name  rpc 127.0.0.1:$port  admin 127.0.0.1:$((port + 2000))  log .run/logs/$name.log"
}
start Users 7101 DATABASE_URL="$DATABASE_URL_USERS" ALGOSPORTS_ADMIN_USER="$ADMIN_USER" \
  ALGOSPORTS_ADMIN_PASSWORD="$ADMIN_PASSWORD" MIGRATIONS_DIR="$PWD/Sources/Users/Migrations"
# PROBLEMS_SEED_DEMO: a newcomer finds A+B, a float-checker problem and an interactive one.
start Problems 7102 DATABASE_URL="$DATABASE_URL_PROBLEMS" MIGRATIONS_DIR="$PWD/Sources/Problems/Migrations" PROBLEMS_SEED_DEMO=1
start Submissions 7103 DATABASE_URL="$DATABASE_URL_SUBMISSIONS" REDIS_URL="$REDIS_URL" PROBLEMS_ADDR=127.0.0.1:7102 \
  MIGRATIONS_DIR="$PWD/Sources/Submissions/Migrations"
# The sandbox needs root (namespaces, cgroups, one uid per slot): docs/sandbox.md.
start JudgeService 7104 REDIS_URL="$REDIS_URL" PROBLEMS_ADDR=127.0.0.1:7102 SUBMISSIONS_ADDR=127.0.0.1:7103 \
  JUDGE_WORK_DIR="$RUN_DIR/judge"
start Edge 7100 EDGE_PORT="$EDGE_PORT" USERS_ADDR=127.0.0.1:7101 PROBLEMS_ADDR=127.0.0.1:7102 \
  SUBMISSIONS_ADDR=127.0.0.1:7103 JUDGE_ADDR=127.0.0.1:7104 REDIS_URL="$REDIS_URL" JWT_PUBLIC_KEY="$JWT_PUBLIC_KEY"

sleep 1
names=(Users Problems Submissions JudgeService Edge)
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "${names[$i]} failed to start; the end of its log:" >&2
    tail -5 "$RUN_DIR/logs/${names[$i]}.log" >&2
    stop
  fi
done
# The shipped games (games/), created through Edge as the admin; existing ones are left alone.
python3 tools/seed-games.py "http://127.0.0.1:$EDGE_PORT" "$ADMIN_USER" "$ADMIN_PASSWORD" >> "$RUN_DIR/logs/seed-games.log" 2>&1 &
cat <<MSG

AlgoSports is running.
  Edge:        http://127.0.0.1:$EDGE_PORT   (OpenAPI: http://127.0.0.1:$EDGE_PORT/openapi.json)
  First admin: $ADMIN_USER / $ADMIN_PASSWORD
Press Ctrl-C to stop.
MSG
wait
# Every service has exited (a signal reached them directly, or they failed): stop the servers too.
stop
