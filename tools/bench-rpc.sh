#!/usr/bin/env bash
# Release build, then our RPC against a raw SwiftNIO echo in the same run (ratios printed).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product RPCBench
.build/release/RPCBench "$@"
