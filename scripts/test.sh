#!/usr/bin/env bash
# The whole test suite: installs the pinned emulators (npm ci) and Debian's prometheus-pushgateway when
# missing, then mvn verify.
# Tests start their own dynalite, cognito-local, s3rver, Pushgateway and embedded PostgreSQL on free ports;
# RabbitMQ and the machine's PostgreSQL are started below when they are down.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/dynalite ] || [ ! -x node_modules/.bin/cognito-local ] || [ ! -x node_modules/.bin/s3rver ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# A real Prometheus Pushgateway for launch/PushgatewayTest (Debian's package; the test starts it).
if ! command -v prometheus-pushgateway >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus-pushgateway
fi
# Remote partitioning's tests (export/RemoteTableExportTest) use this machine's RabbitMQ (127.0.0.1:5672,
# guest/guest; installed from Debian when missing) and PostgreSQL (127.0.0.1:5432, user postgres, trust; the
# tests fall back to an embedded one when it is not there): started here when down.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5672 && ! command -v rabbitmq-server >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null; then
  rabbitmq-server -detached
  rabbitmqctl await_startup >/dev/null
fi
if ! port_open 5432 && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  # Not fatal: the tests fall back to an embedded PostgreSQL when the machine's is not reachable.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start \
    || echo "scripts/test.sh: could not start the machine's PostgreSQL; the tests use an embedded one"
fi
exec mvn -B verify "$@"
