#!/usr/bin/env bash
# Validates the OpenAPI 3.1 document Edge serves (docs/openapi.json, which an EdgeTests test keeps
# identical to `Edge print-openapi`) with openapi-spec-validator from PyPI.
# Uses the validator on PATH if there is one, else installs it into .build-tools/openapi-venv.
#   tools/check-openapi.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
document="${1:-docs/openapi.json}"
version="0.9.0"

if command -v openapi-spec-validator >/dev/null 2>&1; then
  validator=openapi-spec-validator
else
  venv=.build-tools/openapi-venv
  if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    echo "Installing openapi-spec-validator $version into $venv…"
    tools/install-deps.sh python3-venv  # Debian's python3 has no ensurepip without it
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$version"
  fi
  validator="$venv/bin/openapi-spec-validator"
fi

"$validator" "$document"
