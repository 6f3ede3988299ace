#!/usr/bin/env bash
# Release build, then the sandbox's overhead: a bare exec of /bin/true against the same program
# run through BubblewrapSandbox (warm slots). Needs root (namespaces, cgroups, slot uids).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product SandboxHelper
swift build -c release --product JudgeBench
.build/release/JudgeBench sandbox "$@"
