#!/usr/bin/env bash
# Local AWS emulators for cruddur-batch: dynalite (DynamoDB), cognito-local (Cognito) and s3rver (S3).
#   scripts/emulators.sh start    install (npm ci) if needed, start them on 127.0.0.1 unless already up
#   scripts/emulators.sh stop     stop the ones this script started (by PID)
#   scripts/emulators.sh status
# Ports: DYNALITE_PORT (8000), COGNITO_PORT (9229), S3_PORT (4568). DYNALITE_TABLE_MS (50): how long dynalite
# keeps a created, deleted or updated table in CREATING/DELETING/UPDATING (the jobs still see and wait out
# those states; dynalite's own default, 500, only adds waiting to every schema-load and ci-data-setup).
# Data: ./data/dynalite (kept between runs), ./data/cognito, whose pool local_cruddur is seeded from
# emulators/cognito/ on first start, and ./data/s3 (one folder per bucket). s3rver is optional: when it
# cannot start, the others still run (local files only).
# s3rver checks signatures against its own key: AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER (the
# jobs fall back to it against a loopback endpoint when no AWS credentials are set).
set -euo pipefail
cd "$(dirname "$0")/.."
DYNALITE_PORT=${DYNALITE_PORT:-8000}
COGNITO_PORT=${COGNITO_PORT:-9229}
S3_PORT=${S3_PORT:-4568}
DYNALITE_TABLE_MS=${DYNALITE_TABLE_MS:-50}
DATA=${CRUDDUR_DATA:-$PWD/data}
mkdir -p "$DATA"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port pidfile
  for _ in $(seq 1 100); do
    listening "$2" && return 0
    kill -0 "$(cat "$3")" 2>/dev/null || { echo "$1 exited; see $DATA/$1.log" >&2; tail -5 "$DATA/$1.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$1 did not open port $2 in 10 s; see $DATA/$1.log" >&2; return 1
}

install() {
  if [ ! -x node_modules/.bin/dynalite ] || [ ! -x node_modules/.bin/cognito-local ] || [ ! -e node_modules/s3rver/bin/s3rver.js ]; then
    command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or later" >&2; exit 1; }
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

start() {
  install
  if listening "$DYNALITE_PORT"; then
    echo "dynalite: already listening on 127.0.0.1:$DYNALITE_PORT"
  else
    nohup node node_modules/dynalite/cli.js --host 127.0.0.1 --port "$DYNALITE_PORT" --path "$DATA/dynalite" \
      --createTableMs "$DYNALITE_TABLE_MS" --deleteTableMs "$DYNALITE_TABLE_MS" --updateTableMs "$DYNALITE_TABLE_MS" \
      >"$DATA/dynalite.log" 2>&1 &
    echo $! >"$DATA/dynalite.pid"
    wait_for dynalite "$DYNALITE_PORT" "$DATA/dynalite.pid"
    echo "dynalite: started on http://127.0.0.1:$DYNALITE_PORT (pid $(cat "$DATA/dynalite.pid"), data $DATA/dynalite)"
  fi
  if listening "$COGNITO_PORT"; then
    echo "cognito-local: already listening on 127.0.0.1:$COGNITO_PORT"
  else
    mkdir -p "$DATA/cognito/.cognito/db"
    for pool in emulators/cognito/*.json; do
      [ -e "$DATA/cognito/.cognito/db/$(basename "$pool")" ] || cp "$pool" "$DATA/cognito/.cognito/db/"
    done
    # cognito-local keeps its pools under the working directory. exec: the recorded PID must be node's own,
    # not a subshell's, or stop would leave node running.
    (cd "$DATA/cognito" && HOST=127.0.0.1 PORT="$COGNITO_PORT" \
      exec nohup node "$OLDPWD/node_modules/cognito-local/lib/bin/start.js" >"$DATA/cognito-local.log" 2>&1) &
    echo $! >"$DATA/cognito-local.pid"
    wait_for cognito-local "$COGNITO_PORT" "$DATA/cognito-local.pid"
    echo "cognito-local: started on http://127.0.0.1:$COGNITO_PORT (pid $(cat "$DATA/cognito-local.pid"), pool local_cruddur)"
  fi
  if listening "$S3_PORT"; then
    echo "s3rver: already listening on 127.0.0.1:$S3_PORT"
  elif [ ! -e node_modules/s3rver/bin/s3rver.js ]; then
    echo "s3rver: not installed (npm ci); s3:// locations need it, local files do not" >&2
  else
    mkdir -p "$DATA/s3"
    nohup node node_modules/s3rver/bin/s3rver.js --directory "$DATA/s3" --address 127.0.0.1 --port "$S3_PORT" \
      --silent >"$DATA/s3rver.log" 2>&1 &
    echo $! >"$DATA/s3rver.pid"
    if wait_for s3rver "$S3_PORT" "$DATA/s3rver.pid"; then
      echo "s3rver: started on http://127.0.0.1:$S3_PORT (pid $(cat "$DATA/s3rver.pid"), data $DATA/s3; AWS_ENDPOINT_URL_S3)"
    else
      echo "s3rver: not started; s3:// locations need it, local files do not" >&2
    fi
  fi
}

stop() {
  for name in dynalite cognito-local s3rver; do
    pidfile="$DATA/$name.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "$name: stopped (pid $pid)"
    else
      echo "$name: not running from this script"
    fi
    rm -f "$pidfile"
  done
}

status() {
  listening "$DYNALITE_PORT" && echo "dynalite: up on $DYNALITE_PORT" || echo "dynalite: down"
  listening "$COGNITO_PORT" && echo "cognito-local: up on $COGNITO_PORT" || echo "cognito-local: down"
  listening "$S3_PORT" && echo "s3rver: up on $S3_PORT" || echo "s3rver: down"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
