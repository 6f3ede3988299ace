#!/usr/bin/env bash
# Installs the Debian packages AlgoSports needs, only those that are missing (idempotent).
# Usage: tools/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
  pkg-config
  protobuf-c-compiler libprotobuf-c-dev python3-protobuf  # contracts: protoc-c and our generator
  libpq-dev postgresql                                    # PostgreSQL client library and server
  libhiredis-dev redis-server                             # Redis client library and server
  libsodium-dev                                           # HMAC, argon2id, Ed25519
  valgrind                                                # leak check of the generated code
  zlib1g-dev                                              # test data zips (Problems)
  bubblewrap libseccomp-dev                               # the judge's sandbox
  gcc g++ python3 nodejs default-jdk-headless             # the judge's languages
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run as root, or: apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq
${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
