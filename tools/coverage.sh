#!/usr/bin/env bash
# Runs the tests with coverage and prints llvm-cov's line-coverage report for our sources.
set -euo pipefail
cd "$(dirname "$0")/.."
COVERAGE=1 tools/test.sh "$@"  # the tests need their throwaway PostgreSQL and Redis
BIN="$(swift build --show-bin-path)"
PROFILE="$BIN/codecov/default.profdata"
TESTS="$(find "$BIN" -maxdepth 1 -name '*PackageTests.xctest' | head -1)"
LLVM_COV="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-cov"
"$LLVM_COV" report "$TESTS" -instr-profile="$PROFILE" \
  -ignore-filename-regex='(\.build|/Tests/|/Generated/|/checkouts/)' \
  | sed 's#'"$PWD"'/##'
