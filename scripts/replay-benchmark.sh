#!/usr/bin/env bash
# message-group-replay benchmark (on demand, not part of the test suite):
#   scripts/replay-benchmark.sh [groups=2000] [messages-per-group=100] [per-record-limit=all] [job parameters ...]
# (job parameters such as chunk-size=25000 concurrency=16 go to message-group-replay, to compare settings)
# Starts its own dynalite; the records are shuffled and 10 % of them delivered twice. Prints records/s of
# the job and of a per-record consumer, the ratio and how many group rows each left right.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -Xmx2g -cp "$BENCH_CP" com.cruddur.batch.replay.ReplayBenchmark "$@"
