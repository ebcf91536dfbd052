#!/usr/bin/env bash
# table-export vs a plain-SDK parallel Scan to files (the ceiling), on demand; not part of the test suite.
#   scripts/export-benchmark.sh items=200000 rounds=5 segments=8 threads=4   # warmup=1 round first, not counted
#   scripts/export-benchmark.sh items=1000000 rounds=0        # one export under -Xmx256m, heap figures
# Starts its own in-memory dynalite unless endpoint=http://host:port (and table=NAME to reuse a loaded table).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -Xmx256m -cp "$BENCH_CP" com.cruddur.batch.export.ExportBenchmark "$@"
