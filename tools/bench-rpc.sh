#!/usr/bin/env bash
# Release build, then our RPC against a raw SwiftNIO echo in the same run (ratios printed).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/swift-release.sh --product RPCBench
.build/release/RPCBench "$@"
