#!/usr/bin/env bash
# table-export to S3 (a local s3rver) vs to local files, same table, same JVM, same run; on demand, not
# part of the test suite. Prints the medians and the ratio S3 time / local time.
#   scripts/s3-export-benchmark.sh items=200000 rounds=3 segments=8 threads=4   # warmup=1 round first, not counted
#   scripts/s3-export-benchmark.sh items=1000000 rounds=0      # one export to S3 under -Xmx256m, heap figures
# Starts its own in-memory dynalite and s3rver (temp folder) from node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -Xmx256m -cp "$BENCH_CP" com.cruddur.batch.export.S3ExportBenchmark "$@"
