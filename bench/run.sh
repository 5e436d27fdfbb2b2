#!/usr/bin/env bash
# Runs the Switchboard benchmarks: bench/run.sh [s1 ... s8] [--quick]
# Builds bench/target/switchboard-bench.jar when a main source is newer than it, then starts
# PostgreSQL (embedded unless SWITCHBOARD_DATABASE_URL is set), the gateway and the floor server
# (each in its own JVM), drives the scenarios from this JVM and writes bench/results/<stamp>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/switchboard-bench.jar
if [[ ! -f "$JAR" ]] || [[ -n "$(find migrations/src/main gateway/src/main bench/src/main bench/pom.xml pom.xml -newer "$JAR" -print -quit)" ]]; then
  echo "building $JAR ..."
  mvn -B -q -pl bench -am package -DskipTests
fi
exec java -Xms256m -Xmx1g -XX:+UseG1GC ${BENCH_JAVA_OPTS:-} -jar "$JAR" "$@"
