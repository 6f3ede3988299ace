#!/usr/bin/env bash
# Builds ProtoLeakCheck (debug) and runs it under valgrind: fails when any allocation is
# "definitely lost" or valgrind reports any other error (invalid read/write, double free).
# The Swift runtime's "possibly lost" and "still reachable" blocks are expected and ignored.
#
#   tools/leak-check.sh [ITERATIONS]                  # default 300
#   SCRATCH_PATH=.build-x tools/leak-check.sh         # build directory (default .build-leakcheck)
#
# Debian 12's valgrind 3.19 cannot read DWARF 5, which Swift 6 and clang emit by default
# ("unhandled dwarf2 abbrev form code 0x25 ... Giving up"), so the binary is built with DWARF 4.
# Different flags mean a different build, hence a scratch path of its own: sharing .build would
# rebuild every dependency each time one switches between this and a normal build.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scratch="${SCRATCH_PATH:-.build-leakcheck}"
command -v valgrind >/dev/null || { echo "leak-check: valgrind not found (apt-get install valgrind)" >&2; exit 1; }

swift build --scratch-path "$scratch" --product ProtoLeakCheck -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4
valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
    "$scratch/debug/ProtoLeakCheck" "$@"
echo "leak-check: no definite leaks and no memory errors"
