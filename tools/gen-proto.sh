#!/usr/bin/env bash
# Regenerates the protoc-c C code (Sources/CAlgoProto) and the Swift code
# (Sources/AlgoProto/Generated) from proto/. Stale outputs are deleted first.
#
#   tools/gen-proto.sh            # regenerate in place (what `make proto` runs)
#   tools/gen-proto.sh OUT_ROOT   # write the same tree under OUT_ROOT (used by check-proto.sh)
#
# Needs: protoc-c (Debian protobuf-c-compiler) and python3-protobuf for /usr/bin/python3
# (override with PYTHON=...). Everything is generated into a temporary directory first, so that a
# failing .proto or generator leaves the committed outputs untouched.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_root="${1:-$repo}"
python="${PYTHON:-/usr/bin/python3}"

die() { echo "gen-proto: $*" >&2; exit 1; }
command -v protoc-c >/dev/null || die "protoc-c not found (apt-get install protobuf-c-compiler)"
[ -x "$python" ] || python="$(command -v python3 || true)"
[ -n "$python" ] && "$python" -c 'import google.protobuf' 2>/dev/null \
    || die "${python:-python3} cannot import google.protobuf (apt-get install python3-protobuf)"

cd "$repo/proto"
mapfile -t protos < <(find . -name '*.proto' -type f | sed 's|^\./||' | LC_ALL=C sort)
[ "${#protos[@]}" -gt 0 ] || die "no .proto files under proto/"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/protoc-c" "$work/c/include" "$work/swift"

protoc-c --proto_path=. --c_out="$work/protoc-c" \
    --descriptor_set_out="$work/descriptors.pb" --include_imports --include_source_info \
    "${protos[@]}"

for proto in "${protos[@]}"; do
    base="${proto%.proto}"
    mkdir -p "$work/c/include/$(dirname "$base")" "$work/c/$(dirname "$base")"
    # The .c includes "<proto path>.pb-c.h", which resolves through the target's public include/.
    mv "$work/protoc-c/$base.pb-c.h" "$work/c/include/$base.pb-c.h"
    mv "$work/protoc-c/$base.pb-c.c" "$work/c/$base.pb-c.c"
done

"$python" "$repo/tools/protoc-gen-swiftpbc" \
    --descriptor-set "$work/descriptors.pb" \
    --out "$work/swift" \
    --umbrella-header "$work/c/include/CAlgoProto.h" \
    "${protos[@]}"

c_dir="$out_root/Sources/CAlgoProto"
swift_dir="$out_root/Sources/AlgoProto/Generated"

# Delete every previous output, including those of .proto files that no longer exist; other
# files next to them (e.g. Sources/CAlgoProto/placeholder.c) are left alone.
if [ -d "$c_dir" ]; then
    find "$c_dir" -type f \( -name '*.pb-c.c' -o -name '*.pb-c.h' \) -delete
    rm -f "$c_dir/include/CAlgoProto.h" "$c_dir/include/module.modulemap"
    find "$c_dir" -mindepth 1 -type d -empty -delete
fi
rm -rf "$swift_dir"
mkdir -p "$c_dir" "$swift_dir"
cp -R "$work/c/." "$c_dir/"
cp -R "$work/swift/." "$swift_dir/"

echo "gen-proto: ${#protos[@]} proto files -> Sources/CAlgoProto, Sources/AlgoProto/Generated"
