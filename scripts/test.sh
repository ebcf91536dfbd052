#!/usr/bin/env bash
# The whole test suite: installs the pinned emulators (npm ci) when missing, then mvn verify.
# Tests start their own dynalite, cognito-local and embedded PostgreSQL on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/dynalite ] || [ ! -x node_modules/.bin/cognito-local ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec mvn -B verify "$@"
