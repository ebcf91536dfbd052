#!/usr/bin/env bash
# Runs one job on the embedded default: builds the jar when the sources are newer, starts dynalite and
# cognito-local (scripts/emulators.sh), then the job through scripts/cruddur-batch (fast start).
#   scripts/run-local.sh                       # the CI set-up chain (ci-data-setup)
#   scripts/run-local.sh list-tables
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/cruddur-batch.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  mvn -q -B package -DskipTests
fi
scripts/emulators.sh start >&2
# Point the jobs at the emulators just started (also when DYNALITE_PORT/COGNITO_PORT moved them).
export AWS_ENDPOINT_URL_DYNAMODB=${AWS_ENDPOINT_URL_DYNAMODB:-http://127.0.0.1:${DYNALITE_PORT:-8000}}
export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=${AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER:-http://127.0.0.1:${COGNITO_PORT:-9229}}
[ $# -gt 0 ] || set -- ci-data-setup
exec scripts/cruddur-batch "$@"
