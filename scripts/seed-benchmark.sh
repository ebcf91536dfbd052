#!/usr/bin/env bash
# Seeding benchmark and memory check (not tests; run on demand).
#   scripts/seed-benchmark.sh bench  [messages=200000] [groups=2000] [rounds=3] [concurrency=8]
#   scripts/seed-benchmark.sh memory [messages=1000000] [groups=2000] [heap=256m]
# Both start their own dynalite (from node_modules) on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-bench}"; shift || true
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# A private copy of the classes, so a build during a long run cannot change them under it.
copy="target/bench-$$"
mkdir -p "$copy" && cp -r target/classes "$copy/classes" && cp -r target/test-classes "$copy/test-classes"
cp="$copy/test-classes:$copy/classes:$(cat target/test-classpath.txt)"
case "$mode" in
  bench) exec java -cp "$cp" com.cruddur.batch.seed.SeedBenchmark "$@" ;;
  memory) exec java -cp "$cp" com.cruddur.batch.seed.SeedMemoryCheck "$@" ;;
  *) echo "usage: $0 bench|memory [args]" >&2; exit 2 ;;
esac
