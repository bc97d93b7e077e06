#!/usr/bin/env sh
# Builds engine-sql + benchmarks and runs the funnel benchmark. Usage (from the repository root):
#   benchmarks/run.sh                       # 10M rows
#   benchmarks/run.sh -Dbench.funnel.sizes=10000000,50000000 -Dbench.funnel.runs=5 -Dbench.funnel.budgetSeconds=60
set -e
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
exec java -Xmx6g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED "$@" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.tracetics.benchmarks.FunnelBenchmark
