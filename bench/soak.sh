#!/usr/bin/env bash
# A bounded soak (not run in CI): mixed IdP traffic across many tenants against an in-process
# gateway on embedded PostgreSQL. Prints rounds, 5xx, other 4xx, p50/p99/max latency (one
# round = 5-6 requests) and heap after GC every 30 s; fails if any 5xx was seen.
#   bench/soak.sh [minutes=20] [tenants=100] [workers=8]
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-20} TENANTS=${2:-100} WORKERS=${3:-8}
mvn -B -q -pl gateway -am test -Dspotless.check.skip=true \
  -Dtest=SoakRun -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$MINUTES" -Dsoak.tenants="$TENANTS" -Dsoak.workers="$WORKERS" \
  || status=$?
# surefire keeps test output in a file; the table is in it
grep -v -E 'INFO|DEBUG|WARN' gateway/target/surefire-reports/io.switchboard.soak.SoakRun-output.txt
exit "${status:-0}"
