#!/usr/bin/env bash
# Seeding benchmark and memory check (not tests; run on demand).
#   scripts/seed-benchmark.sh bench  [messages=200000] [groups=2000] [rounds=3] [concurrency=8]
#   scripts/seed-benchmark.sh memory [messages=1000000] [groups=2000] [heap=256m]
# Both start their own dynalite (from node_modules) on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-bench}"; shift || true
source scripts/bench-classpath.sh
case "$mode" in
  bench) exec java ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" com.cruddur.batch.seed.SeedBenchmark "$@" ;;
  memory) exec java ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" com.cruddur.batch.seed.SeedMemoryCheck "$@" ;;
  *) echo "usage: $0 bench|memory [args]" >&2; exit 2 ;;
esac
