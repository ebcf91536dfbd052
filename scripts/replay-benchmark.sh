#!/usr/bin/env bash
# message-group-replay benchmark (on demand, not part of the test suite):
#   scripts/replay-benchmark.sh [groups=2000] [messages-per-group=100] [per-record-limit=all]
# Starts its own dynalite; prints records/s of the job and of a per-record consumer, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -Xmx2g -cp "$BENCH_CP" com.cruddur.batch.replay.ReplayBenchmark "$@"
