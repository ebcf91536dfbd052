#!/usr/bin/env bash
# Every comparison of the performance page in one run, side by side, one table at the end (issue 12):
#   scripts/bench.sh [quick] [key=value ...] [only=seed,export,replay,cognito,startup]
# Sizes (default / quick):
#   seed-messages=50000/20000 seed-groups=500/200 seed-rounds=1/1         conversation-seed vs raw-SDK loader
#   export-items=100000/20000 export-rounds=3/1                           table-export vs raw-SDK parallel Scan
#   replay-groups=400/200 replay-per-group=50/50 replay-per-record=2000/1000
#                                    message-group-replay vs per-record consumer (shuffled, 10 % redelivered)
#   cognito-users=10000/2000          cognito-user-sync vs UPDATE+commit per user (app's table, then indexed)
#   startup-rounds=3/1                                                    start-up (scripts/startup-bench.sh)
# Runs the existing programs (src/bench/java, each with its own emulators) and scripts/startup-bench.sh
# (with its own dynalite on a free port, the jar built when older than the sources); each program prints one
# BENCH line, gathered here. Full logs in target/bench-logs/. Ratios are ours over the reference's
# throughput (higher is better); "job" is the job alone, "whole" the whole launch (for the Java programs,
# Spring start-up included in the benchmark's warm JVM; for start-up, the whole process). CPU s per 100k
# items: this JVM's CPU (all threads) while our side ran, against the same for the reference program.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A size=([seed-messages]=50000 [seed-groups]=500 [seed-rounds]=1 [export-items]=100000 [export-rounds]=3
  [replay-groups]=400 [replay-per-group]=50 [replay-per-record]=2000 [cognito-users]=10000 [startup-rounds]=3
  [only]=seed,export,replay,cognito,startup)
for arg in "$@"; do
  case "$arg" in
    quick) size=([seed-messages]=20000 [seed-groups]=200 [seed-rounds]=1 [export-items]=20000 [export-rounds]=1
      [replay-groups]=200 [replay-per-group]=50 [replay-per-record]=1000 [cognito-users]=2000 [startup-rounds]=1
      [only]=${size[only]}) ;;
    *=*) key=${arg%%=*}; [ -n "${size[$key]+x}" ] || { echo "unknown argument: $arg" >&2; exit 2; }
      size[$key]=${arg#*=} ;;
    *) echo "usage: $0 [quick] [key=value ...]" >&2; exit 2 ;;
  esac
done
wants() { [[ ",${size[only]}," == *",$1,"* ]]; }
source scripts/bench-classpath.sh
logs=target/bench-logs
mkdir -p "$logs"
rows=()
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

program() { # name heap class args...
  local name=$1 heap=$2 class=$3
  shift 3
  echo "-- $name: $class $* (log $logs/$name.log; load $(cut -d' ' -f1-3 /proc/loadavg))"
  if java "-Xmx$heap" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" "$class" "$@" >"$logs/$name.log" 2>&1; then
    local lines
    mapfile -t lines < <(grep '^BENCH' "$logs/$name.log" || true)
    [ "${#lines[@]}" -gt 0 ] && rows+=("${lines[@]}") || rows+=("BENCH	$name: no result line, see $logs/$name.log")
  else
    rows+=("BENCH	$name: FAILED (exit $?), see $logs/$name.log")
  fi
}

wants seed && program seed 1g com.cruddur.batch.seed.SeedBenchmark "${size[seed-messages]}" "${size[seed-groups]}" \
  "${size[seed-rounds]}" 8
wants export && program export 256m com.cruddur.batch.export.ExportBenchmark "items=${size[export-items]}" \
  "rounds=${size[export-rounds]}" segments=8 threads=4
wants replay && program replay 2g com.cruddur.batch.replay.ReplayBenchmark "${size[replay-groups]}" \
  "${size[replay-per-group]}" "${size[replay-per-record]}"
wants cognito && program cognito 1g com.cruddur.batch.cognito.CognitoSyncBenchmark "${size[cognito-users]}"

if wants startup; then
  echo "-- startup: scripts/startup-bench.sh ${size[startup-rounds]} (log $logs/startup.log; load $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ ! -f target/cruddur-batch.jar ] || [ -n "$(find src/main pom.xml -newer target/cruddur-batch.jar -print -quit)" ]; then
    mvn -q -B package -DskipTests >"$logs/package.log" 2>&1 || { echo "mvn package failed: $logs/package.log" >&2; exit 1; }
  fi
  data=$(mktemp -d "${TMPDIR:-/tmp}/bench-emulators.XXXXXX")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DYNALITE_PORT=$port CRUDDUR_DATA=$data scripts/emulators.sh start >"$logs/emulators.log" 2>&1 || true
  if DYNALITE_PORT=$port scripts/startup-bench.sh "${size[startup-rounds]}" >"$logs/startup.log" 2>&1; then
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    for job in list-tables ci-data-setup; do
      reference=$([ "$job" = list-tables ] && echo 0.8 || echo "${REFERENCE_S:-1.1}")
      what=$([ "$job" = list-tables ] && echo "target time" || echo "old Python scripts")
      fast=$(awk -F'|' -v j=" $job " '$2 == j && $3 ~ /cruddur-batch/ {gsub(/ /, "", $4); print $4}' "$logs/startup.log")
      plain=$(awk -F'|' -v j=" $job " '$2 == j && $3 ~ /java -jar/ {gsub(/ /, "", $4); print $4}' "$logs/startup.log")
      rows+=("$(printf 'BENCH\tstart-up %s, whole process (scripts/cruddur-batch; plain java -jar %s s) vs %s\t\t%s s\t%s s\t\t%s\t>= 1.00\t%s whole\t\t\t%s' \
        "$job" "$plain" "$what" "$fast" "$reference" "$(awk -v r="$reference" -v f="$fast" 'BEGIN {printf "%.2f", r/f}')" \
        "$(awk -v r="$reference" -v f="$fast" 'BEGIN {print (r/f >= 1 ? "yes" : "no")}')" "$load")")
    done
  else
    rows+=("BENCH	start-up: FAILED, see $logs/startup.log")
  fi
  DYNALITE_PORT=$port CRUDDUR_DATA=$data scripts/emulators.sh stop >>"$logs/emulators.log" 2>&1 || true
  rm -rf "$data"
fi

echo
echo "| what | ours, job only | ours, whole launch | reference | ratio job | ratio whole | target | met | CPU s/100k items ours | CPU s/100k reference | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}" | awk -F'\t' '{line = "|"; for (i = 2; i <= 12; i++) line = line " " $i " |"; print line}'
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$bench_copy"
