#!/usr/bin/env bash
# Benchmark of cognito-user-sync (not a test): N users (default 10000) in cognito-local synced into a
# real PostgreSQL, then the same updates one UPDATE + commit per user; prints both times and the ratio.
#   scripts/bench-cognito-sync.sh [users] [chunk-size]
# Runs on the app's table (no index on handle), then with the index the jobs' own DDL adds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -cp "$BENCH_CP" com.cruddur.batch.cognito.CognitoSyncBenchmark "$@"
