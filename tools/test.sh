#!/usr/bin/env bash
# Runs every test. Service executables are built first: the service tests start them as real processes.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift build --build-tests
swift test --skip-build "$@"
