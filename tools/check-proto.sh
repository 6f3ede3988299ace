#!/usr/bin/env bash
# Fails when the committed generated code (Sources/CAlgoProto, Sources/AlgoProto/Generated) is not
# what tools/gen-proto.sh produces from proto/ today. Fix: run tools/gen-proto.sh and commit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

bash "$repo/tools/gen-proto.sh" "$tmp" >/dev/null

# The generated files only: hand-written files next to them are not compared.
list() {
    (
        cd "$1"
        [ -d Sources/CAlgoProto ] && find Sources/CAlgoProto -type f \
            \( -name '*.pb-c.c' -o -name '*.pb-c.h' \
            -o -path Sources/CAlgoProto/include/CAlgoProto.h -o -path Sources/CAlgoProto/include/module.modulemap \)
        [ -d Sources/AlgoProto/Generated ] && find Sources/AlgoProto/Generated -type f
    ) | LC_ALL=C sort
}

stale=()
while IFS= read -r f; do
    if [ ! -f "$repo/$f" ]; then
        stale+=("$f (missing)")
    elif ! cmp -s "$tmp/$f" "$repo/$f"; then
        stale+=("$f (differs)")
    fi
done < <(list "$tmp")
while IFS= read -r f; do
    [ -f "$tmp/$f" ] || stale+=("$f (no longer generated)")
done < <(list "$repo")

if [ "${#stale[@]}" -gt 0 ]; then
    echo "check-proto: generated code is stale; run tools/gen-proto.sh (make proto) and commit:" >&2
    printf '  %s\n' "${stale[@]}" >&2
    exit 1
fi
echo "check-proto: generated code is up to date"
