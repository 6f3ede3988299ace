#!/usr/bin/env bash
# `make bench-edge`: GET /api/v1/users/{username} through Edge → Users → PostgreSQL against a bare
# Hummingbird JSON route, with wrk (64 connections), release builds, on throwaway PostgreSQL and
# Redis. ROUNDS rounds of DURATION seconds per target, alternating, so that the machine's slow and
# fast phases hit both alike; prints every round, the medians, the paired ratio and the targets.
#   ROUNDS=3 DURATION=5 CONNECTIONS=64 SWIFT_BUILD_FLAGS="--scratch-path .build-bench" tools/bench-edge.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
duration="${DURATION:-5}"
rounds="${ROUNDS:-3}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
read -r -a build_flags <<< "${SWIFT_BUILD_FLAGS:-}"

tools/install-deps.sh wrk curl

echo "Building (release)…"
tools/swift-release.sh "${build_flags[@]}" --product Users
tools/swift-release.sh "${build_flags[@]}" --product Edge
tools/swift-release.sh "${build_flags[@]}" --product BareHTTP
bin="$(tools/swift-release.sh "${build_flags[@]}" --show-bin-path)"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d /tmp/algosports-bench.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tools/local-servers.sh stop "$work/servers" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

tools/local-servers.sh start "$work/servers" "$(free_port)" "$(free_port)"
# shellcheck disable=SC1091
. "$work/servers/env"

export RPC_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export LOG_LEVEL=warning
signing_key="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
public_key="$(JWT_SIGNING_KEY="$signing_key" "$bin/Users" print-public-key)"
users_port="$(free_port)"
edge_port="$(free_port)"
bare_port="$(free_port)"

DATABASE_URL="$DATABASE_URL_USERS" JWT_SIGNING_KEY="$signing_key" RPC_PORT="$users_port" ADMIN_PORT="$(free_port)" \
  "$bin/Users" > "$work/users.log" 2>&1 &
pids+=($!)
USERS_ADDR="127.0.0.1:$users_port" JWT_PUBLIC_KEY="$public_key" EDGE_PORT="$edge_port" RPC_PORT="$(free_port)" \
  ADMIN_PORT="$(free_port)" RATE_LIMIT_REGISTER_PER_IP=0 "$bin/Edge" > "$work/edge.log" 2>&1 &
pids+=($!)
"$bin/BareHTTP" "$bare_port" > "$work/bare.log" 2>&1 &
pids+=($!)

edge="http://127.0.0.1:$edge_port"
# Only Users and Redis run here: /readyz as a whole also wants Problems, Submissions and the judge.
users_ready() { curl -s "$edge/readyz" 2>/dev/null | grep -q '"name":"users","status":"SERVING"'; }
for _ in $(seq 100); do
  users_ready && curl -fs "http://127.0.0.1:$bare_port/hello" >/dev/null 2>&1 && break
  sleep 0.2
done
if ! users_ready; then
  echo "Edge did not become ready:" >&2
  tail -5 "$work/users.log" "$work/edge.log" >&2
  exit 1
fi

username="bench_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
curl -fs -X POST "$edge/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$username\",\"email\":\"$username@example.test\",\"password\":\"bench password 1\"}" >/dev/null
curl -fs "$edge/api/v1/users/$username" >/dev/null

# Runs wrk against URL; prints "requests_per_second p99_ms".
measure() {
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1" > "$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then
    echo "wrk saw errors against $1:" >&2
    cat "$work/wrk.out" >&2
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f\n", rps, p99 }
  ' "$work/wrk.out"
}

edge_url="$edge/api/v1/users/$username"
bare_url="http://127.0.0.1:$bare_port/hello"
# Warm-up: connections, caches, page faults.
wrk -t"$threads" -c"$connections" -d2s "$edge_url" >/dev/null
wrk -t"$threads" -c"$connections" -d2s "$bare_url" >/dev/null

echo "wrk: $threads threads, $connections connections, $rounds rounds of ${duration}s per target, alternating"
printf "\n%-8s %12s %10s %12s %10s %8s\n" "round" "Edge req/s" "p99 ms" "bare req/s" "p99 ms" "ratio"
: > "$work/rounds"
for round in $(seq "$rounds"); do
  read -r edge_rps edge_p99 <<< "$(measure "$edge_url")"
  read -r bare_rps bare_p99 <<< "$(measure "$bare_url")"
  echo "$edge_rps $edge_p99 $bare_rps $bare_p99" >> "$work/rounds"
  awk -v r="$round" -v er="$edge_rps" -v ep="$edge_p99" -v br="$bare_rps" -v bp="$bare_p99" \
    'BEGIN { printf "%-8s %12d %10.2f %12d %10.2f %8.2f\n", r, er, ep, br, bp, er / br }'
done

# Medians over the rounds; the ratio is the median of each round's ratio (both measured back to back).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
edge_rps="$(awk '{ print $1 }' "$work/rounds" | median)"
edge_p99="$(awk '{ print $2 }' "$work/rounds" | median)"
bare_rps="$(awk '{ print $3 }' "$work/rounds" | median)"
bare_p99="$(awk '{ print $4 }' "$work/rounds" | median)"
ratio="$(awk '{ print $1 / $3 }' "$work/rounds" | median)"

awk -v er="$edge_rps" -v ep="$edge_p99" -v br="$bare_rps" -v bp="$bare_p99" -v ratio="$ratio" 'BEGIN {
  printf "\n%-46s %12s %10s\n", "median", "req/s", "p99 ms"
  printf "%-46s %12d %10.2f\n", "Edge GET /api/v1/users/{username} (→ Users → PG)", er, ep
  printf "%-46s %12d %10.2f\n", "bare Hummingbird GET /hello", br, bp
  printf "\nratio Edge / bare: %.2f (target ≥ 0.30): %s\n", ratio, (ratio >= 0.3 ? "met" : "MISSED")
  printf "Edge p99: %.2f ms (target < 20 ms): %s\n", ep, (ep < 20 ? "met" : "MISSED")
}'
