#!/usr/bin/env bash
# table-export with local threads, 1 remote worker and 2 remote workers, side by side, on demand; not part
# of the test suite. Needs this machine's RabbitMQ (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432, user
# postgres) up, as scripts/test.sh starts them; starts its own dynalite and worker JVMs.
#   scripts/remote-benchmark.sh items=200000 rounds=3 segments=8 threads=4 worker-concurrency=4
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-classpath.sh
exec java -Xmx512m -cp "$BENCH_CP" com.cruddur.batch.export.RemotePartitioningBenchmark "$@"
