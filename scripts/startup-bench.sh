#!/usr/bin/env bash
# Start-up benchmark: whole-process time of `list-tables` (a small job, as CI runs it) against dynalite,
# plain `java -jar` against scripts/cruddur-batch (AppCDS) with and without C1-only, interleaved round by
# round so that load on a shared machine hits every variant alike. Prints wall and CPU (user+sys) seconds.
#   scripts/emulators.sh start && mvn -q -B package -DskipTests && scripts/startup-bench.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
scripts/cruddur-batch list-tables >/dev/null   # makes the archive once (not timed)
declare -A cmd=(
  [1-java-jar]="java -jar target/cruddur-batch.jar list-tables"
  [2-cds]="scripts/cruddur-batch list-tables"
  [3-cds+c1]="env JAVA_OPTS=-XX:TieredStopAtLevel=1 scripts/cruddur-batch list-tables"
)
declare -A wall cpu
TIMEFORMAT='%R %U %S'
for r in $(seq 1 "$rounds"); do
  for k in $(printf '%s\n' "${!cmd[@]}" | sort); do
    t=$( { time ${cmd[$k]} >/dev/null 2>&1; } 2>&1 )
    read -r real user sys <<<"$t"
    wall[$k]="${wall[$k]:-} $real"
    cpu[$k]="${cpu[$k]:-} $(echo "$user + $sys" | bc)"
  done
done
printf '%-12s %-28s %-28s\n' variant "wall s (median; runs)" "cpu s (median)"
for k in $(printf '%s\n' "${!cmd[@]}" | sort); do
  med() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  printf '%-12s %-28s %-28s\n' "$k" "$(echo "${wall[$k]}" | med) (${wall[$k]# })" "$(echo "${cpu[$k]}" | med)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
