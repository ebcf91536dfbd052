#!/usr/bin/env bash
# The whole test suite: installs the pinned emulators (npm ci) and Debian's prometheus-pushgateway when
# missing, then mvn verify.
# Tests start their own dynalite, cognito-local, s3rver, Pushgateway and embedded PostgreSQL on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/dynalite ] || [ ! -x node_modules/.bin/cognito-local ] || [ ! -x node_modules/.bin/s3rver ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# A real Prometheus Pushgateway for launch/PushgatewayTest (Debian's package; the test starts it).
if ! command -v prometheus-pushgateway >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus-pushgateway
fi
exec mvn -B verify "$@"
