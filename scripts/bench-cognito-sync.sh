#!/usr/bin/env bash
# Benchmark of cognito-user-sync (not a test): N users (default 10000) in cognito-local synced into a
# real PostgreSQL, then the same updates one UPDATE + commit per user; prints both times and the ratio.
#   scripts/bench-cognito-sync.sh [users]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  com.cruddur.batch.cognito.CognitoSyncBenchmark "$@"
