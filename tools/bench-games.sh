#!/usr/bin/env bash
# `make bench-games` (root): release build, then the harness's per-move round trip against a raw
# pipe round trip (same run, alternated), and Connect Four matches per second between C bots.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
for product in SandboxHelper JudgeBench; do
  tools/swift-release.sh --product "$product"
done
.build/release/JudgeBench games "${BENCH_MATCHES:-40}"
