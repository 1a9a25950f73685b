#!/usr/bin/env bash
# Simulated requests per wall-clock second in virtual time (see SimBench.java).
#   bench/sim-throughput.sh [POLICY ...]
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=sim.jfr,settings=profile" bench/sim-throughput.sh random
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="sim/target/bench.classpath"
./mvnw -q -B -T 1 -pl sim -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$root/$cp_file" -Dmdep.includeScope=runtime >&2
cp="$root/sim/target/classes:$(cat "$cp_file")"
exec java ${BENCH_JAVA_OPTS:-} -Xms1g -Xmx1g -cp "$cp" "$root/bench/SimBench.java" "$@"
