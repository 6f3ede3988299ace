#!/usr/bin/env bash
# `make run`: builds release and runs every service as its own process; Ctrl-C stops them cleanly.
# State (the shared RPC secret, logs) lives under ./.run/ and is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

RUN_DIR="${RUN_DIR:-$PWD/.run}"
mkdir -p "$RUN_DIR/logs"
chmod 700 "$RUN_DIR"

if [ ! -s "$RUN_DIR/rpc-secret" ]; then
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$RUN_DIR/rpc-secret"
  chmod 600 "$RUN_DIR/rpc-secret"
fi

echo "Building (release)…"
swift build -c release
BIN="$(swift build -c release --show-bin-path)"

services=(Users:7101 Problems:7102 Submissions:7103 JudgeService:7104 Edge:7100)
pids=()
stop() {
  trap - INT TERM
  echo
  echo "Stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped."
  exit 0
}
trap stop INT TERM

for entry in "${services[@]}"; do
  name="${entry%%:*}"
  port="${entry##*:}"
  RPC_SECRET_FILE="$RUN_DIR/rpc-secret" RPC_PORT="$port" LOG_FORMAT=json \
    "$BIN/$name" >> "$RUN_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
  echo "  $name  rpc 127.0.0.1:$port  (log: .run/logs/$name.log)"
done

sleep 1
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "${services[$i]%%:*} failed to start; see its log:" >&2
    tail -5 "$RUN_DIR/logs/${services[$i]%%:*}.log" >&2
    stop
  fi
done
echo "AlgoSports is running. Press Ctrl-C to stop."
wait
