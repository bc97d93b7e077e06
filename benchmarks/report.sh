#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/RESULTS.md (see benchmarks/README.md). From anywhere:
#   benchmarks/report.sh                                  # ingest, freshness, real data, funnel 10M + 50M
#   benchmarks/report.sh -Dbench.funnel.sizes=10000000 -Dbench.funnel.runs=3   # options after it go to the funnel benchmark
# Needs MariaDB (root, empty password) and Redis on 127.0.0.1, and the two real event logs in the
# directory given by -Dbench.dataDir=... (passed on to the real-data benchmark). About 25 minutes
# on 2 cores with the defaults.
# BENCH_OPTS="-D..." goes to every benchmark. A quick smoke run (it still rewrites RESULTS.md):
#   BENCH_OPTS="-Dbench.seconds=1 -Dbench.runs=1 -Dbench.sustainedSeconds=1 -Dbench.pacedSeconds=1
#   -Dbench.warmupRounds=1 -Dbench.warmupMaxSeconds=1 -Dbench.imports=1 -Dbench.queryRuns=1
#   -Dbench.syntheticRows=10000" benchmarks/report.sh -Dbench.funnel.sizes=200000 -Dbench.funnel.runs=1
set -uo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true || exit 1
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
OUT=benchmarks/target/report
rm -rf "$OUT" && mkdir -p "$OUT"
# The defaults first: an option given after report.sh replaces its default (the JVM keeps the last
# -D of a name), and one that is not given keeps it.
FUNNEL_ARGS=(-Dbench.funnel.sizes=10000000,50000000 -Dbench.funnel.runs=3 -Dbench.funnel.budgetSeconds=60 "$@")
DATA_DIR_ARG=()
for a in "${FUNNEL_ARGS[@]}"; do
  case "$a" in -Dbench.dataDir=*) DATA_DIR_ARG=("$a") ;; esac
done

status=0
bench() { # name heap main-class [java options...]
  local name=$1 heap=$2 main=$3
  shift 3
  echo "==> $name ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
  if ! java "$heap" --add-opens=java.base/java.nio=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
      -Dbench.section="$OUT/$name.md" ${BENCH_OPTS:-} "$@" -cp "$CP" "$main"; then
    echo "!! $name failed" >&2
    status=1
  fi
}

bench ingest -Xmx1g io.tracetics.benchmarks.IngestBenchmark
bench freshness -Xmx512m io.tracetics.benchmarks.FreshnessBenchmark
bench realdata -Xmx512m io.tracetics.benchmarks.RealDataBenchmark "${DATA_DIR_ARG[@]}"
bench funnel -Xmx6g io.tracetics.benchmarks.FunnelBenchmark -XX:+UseParallelGC \
  -Dbench.funnel.workDir=benchmarks/target "${FUNNEL_ARGS[@]}"

java -cp "$CP" io.tracetics.benchmarks.Report benchmarks/RESULTS.md "benchmarks/report.sh $*" \
  "$OUT/ingest.md" "$OUT/freshness.md" "$OUT/funnel.md" "$OUT/realdata.md" || status=1
exit $status
