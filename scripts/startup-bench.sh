#!/usr/bin/env bash
# Start-up benchmark: whole-process time of a launch as a user runs it, against the dynalite of
# scripts/emulators.sh: `list-tables`, and `ci-data-setup` of the shipped seed into a new table each
# run (what CI does), plain `java -jar` on the default java against scripts/cruddur-batch (the way the
# jobs are run: extracted jar + JDK AOT cache on Java 25, AppCDS on older Java). The variants run
# interleaved round by round, so that load on a shared machine hits them alike. Prints one table:
# median wall and CPU (user+sys) seconds, the ratio to plain java -jar and to the old scripts
# (REFERENCE_S, 1.1 s: the Python create-table + seed scripts on this machine, issue 12).
#   scripts/emulators.sh start && mvn -q -B package -DskipTests && scripts/startup-bench.sh [rounds]
# BASELINE=/path/to/earlier/scripts/cruddur-batch adds that wrapper (of an earlier checkout, with its own
# built jar) as a third variant in the same rounds: before/after of a start-up change in one run.
# RT=1 runs the launches of scripts/cruddur-batch (and BASELINE) under the real-time scheduler (chrt -f 1;
# needs root or CAP_SYS_NICE): on a machine shared with other builds they then take about what they take on
# a quiet machine. Plain java -jar keeps its priority: 5-8 s of both cores at real-time priority would stall
# everything else on the machine, so its column is then not comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
reference=${REFERENCE_S:-1.1}
export AWS_ENDPOINT_URL_DYNAMODB=${AWS_ENDPOINT_URL_DYNAMODB:-http://127.0.0.1:${DYNALITE_PORT:-8000}}
plain=(java -jar target/cruddur-batch.jar)
fast=(scripts/cruddur-batch)
"${fast[@]}" list >/dev/null   # makes the extracted jar and the cache once (not timed)
baseline=${BASELINE:-}
hows=(plain fast)
if [ -n "$baseline" ]; then
  hows=(plain baseline fast)
  "$baseline" list >/dev/null
fi
prefix=startup-bench-$$
rt=()
if [ "${RT:-}" = 1 ]; then
  rt=(chrt -f 1)
  "${rt[@]}" true || { echo "RT=1: chrt -f 1 is not allowed here" >&2; exit 2; }
fi
tables=()
declare -A wall cpu
TIMEFORMAT='%R %U %S'
run() { # key command...
  local key=$1 t real user sys prio=()
  shift
  case $key in *plain) ;; *) prio=(${rt[@]+"${rt[@]}"}) ;; esac
  if ! t=$( { time ${prio[@]+"${prio[@]}"} "$@" >/dev/null 2>"/tmp/$prefix.err"; } 2>&1 ); then
    echo "failed: $* (exit code above; stderr:)" >&2
    cat "/tmp/$prefix.err" >&2
    exit 1
  fi
  read -r real user sys <<<"$(tail -1 <<<"$t")"
  wall[$key]="${wall[$key]:-} $real"
  cpu[$key]="${cpu[$key]:-} $(echo "$user + $sys" | bc)"
}
for r in $(seq 1 "$rounds"); do
  run "list-tables plain" "${plain[@]}" list-tables
  [ -z "$baseline" ] || run "list-tables baseline" "$baseline" list-tables
  run "list-tables fast" "${fast[@]}" list-tables
  tables+=("$prefix-p$r" "$prefix-f$r")
  run "ci-data-setup plain" "${plain[@]}" ci-data-setup table="$prefix-p$r"
  if [ -n "$baseline" ]; then
    tables+=("$prefix-b$r")
    run "ci-data-setup baseline" "$baseline" ci-data-setup table="$prefix-b$r"
  fi
  run "ci-data-setup fast" "${fast[@]}" ci-data-setup table="$prefix-f$r"
done
med() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
java_plain=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/Java \1/p' | head -1)
java_fast=$(sed -n 's/.*-- java: .*(\(.*\))$/\1/p' <<<"$(CRUDDUR_BATCH_VERBOSE=1 scripts/cruddur-batch list 2>&1 >/dev/null)" | head -1)
echo "| launch | how | wall s (median of $rounds) | CPU s (median) | wall vs plain | wall vs old scripts (${reference} s) |"
echo "|---|---|---|---|---|---|"
for job in list-tables ci-data-setup; do
  p=$(echo "${wall[$job plain]}" | med)
  for how in "${hows[@]}"; do
    w=$(echo "${wall[$job $how]}" | med)
    c=$(echo "${cpu[$job $how]}" | med)
    case $how in
      plain) label="java -jar, ${java_plain}" ;;
      baseline) label="baseline: $baseline" ;;
      *) label="scripts/cruddur-batch, ${java_fast:-see script}" ;;
    esac
    vs_ref=$([ "$job" = ci-data-setup ] && echo "$(ratio "$w" "$reference")×" || echo "-")
    echo "| $job | $label | $w | $c | $(ratio "$w" "$p")× | $vs_ref |"
  done
done
echo
echo "runs (wall s): $(for job in list-tables ci-data-setup; do for how in "${hows[@]}"; do printf '%s:%s; ' "$job $how" "${wall[$job $how]}"; done; done)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)$([ ${#rt[@]} -eq 0 ] || echo "; scripts/cruddur-batch launches under chrt -f 1 (plain java -jar not)")"
# The benchmark's tables go again (not timed).
for t in "${tables[@]}"; do
  "${fast[@]}" drop-table table="$t" confirm="$t" >/dev/null 2>&1 || echo "could not drop $t" >&2
done
rm -f "/tmp/$prefix.err"
