#!/usr/bin/env bash
# `make bench-judge` (root): release build, then
#  1. the sandbox's overhead: a bare exec of /bin/true against the same program run through
#     BubblewrapSandbox (warm slots);
#  2. end to end: C A+B submissions with 20 tests judged per second through the queue, with
#     Problems, Submissions and JudgeService as processes on a throwaway PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
for product in SandboxHelper JudgeBench Problems Submissions JudgeService; do
  tools/swift-release.sh --product "$product"
done
BIN=.build/release
"$BIN/JudgeBench" sandbox "$@"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
servers="$(mktemp -d /tmp/algosports-bench.XXXXXX)"
chmod 755 "$servers"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tools/local-servers.sh stop "$servers" >/dev/null || true
  rm -rf "$servers"
}
trap cleanup EXIT
tools/local-servers.sh start "$servers" "$(free_port)" "$(free_port)" >/dev/null
# shellcheck disable=SC1091
. "$servers/env"
export RPC_SECRET="bench-judge-secret-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" LOG_LEVEL=warning
problems_port="$(free_port)" submissions_port="$(free_port)"
RPC_PORT="$problems_port" ADMIN_PORT=0 DATABASE_URL="$DATABASE_URL_PROBLEMS" \
  MIGRATIONS_DIR="$PWD/Sources/Problems/Migrations" "$BIN/Problems" > "$servers/problems.log" 2>&1 &
pids+=($!)
RPC_PORT="$submissions_port" ADMIN_PORT=0 DATABASE_URL="$DATABASE_URL_SUBMISSIONS" REDIS_URL="$REDIS_URL" \
  PROBLEMS_ADDR="127.0.0.1:$problems_port" MIGRATIONS_DIR="$PWD/Sources/Submissions/Migrations" \
  "$BIN/Submissions" > "$servers/submissions.log" 2>&1 &
pids+=($!)
RPC_PORT=0 ADMIN_PORT=0 REDIS_URL="$REDIS_URL" PROBLEMS_ADDR="127.0.0.1:$problems_port" \
  SUBMISSIONS_ADDR="127.0.0.1:$submissions_port" JUDGE_WORK_DIR="$servers/judge" JUDGE_WORKERS=2 \
  JUDGE_SANDBOX_CGROUP_PARENT="algosports-judge/bench-$$" "$BIN/JudgeService" > "$servers/judge.log" 2>&1 &
pids+=($!)
sleep 3  # migrations and the judge's language probes
echo
"$BIN/JudgeBench" e2e "$problems_port" "$submissions_port" "${BENCH_SUBMISSIONS:-60}"
