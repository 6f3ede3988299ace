#!/usr/bin/env bash
# `make test`: starts a throwaway PostgreSQL and Redis, runs every test against them, stops them.
# Service executables are built first: the service tests start them as real processes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

servers="$(mktemp -d /tmp/algosports-test.XXXXXX)"
chmod 755 "$servers"
cleanup() { tools/local-servers.sh stop "$servers" || true; rm -rf "$servers"; }
trap cleanup EXIT
tools/local-servers.sh start "$servers" "$(free_port)" "$(free_port)"
# shellcheck disable=SC1091
. "$servers/env"

# COVERAGE=1 (make coverage) instruments the build so that llvm-cov can report on it.
coverage=()
[ "${COVERAGE:-0}" = 1 ] && coverage=(--enable-code-coverage)
swift build "${coverage[@]}"
swift build --build-tests "${coverage[@]}"
# One suite at a time: judge suites compile and run real programs, and on 2 cores parallel suites
# starve each other into time-outs.
swift test --skip-build --no-parallel "${coverage[@]}" "$@"
