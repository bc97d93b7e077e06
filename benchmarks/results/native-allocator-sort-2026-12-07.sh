#!/usr/bin/env bash
# Driver of native-allocator-sort-2026-12-07.md: builds three variants of the native extension
# from the sources of one revision and times them alternately, each in its own JVM:
#   A = the sources as they are at $REV;
#   M = A + native-allocator-sort-2026-12-07-M.patch (segments from malloc/free, still counted
#       against the cap with funnel_arena_reserve/unreserve);
#   Q = A + native-allocator-sort-2026-12-07-Q.patch (the per-user sort with the C library's qsort).
# Usage (from the repository root, after `./mvnw -q -B -o -pl engine-sql -am compile`):
#   bash benchmarks/results/native-allocator-sort-2026-12-07.sh
# Environment: REV (default d5a9bd5, the revision measured), WORK (scratch dir, default
# /tmp/native-allocator-sort), EVENTS1 USERS1 EVENTS2 USERS2 (the data, see the probe), ROUNDS
# (default 7), RUNS (timed runs per case per JVM, default 5).
set -euo pipefail

root=$(pwd)
results="$root/benchmarks/results"
REV=${REV:-d5a9bd5}
WORK=${WORK:-/tmp/native-allocator-sort}
EVENTS1=${EVENTS1:-10000000}
USERS1=${USERS1:-1000000}
EVENTS2=${EVENTS2:-3000000}
USERS2=${USERS2:-10000}
ROUNDS=${ROUNDS:-7}
RUNS=${RUNS:-5}
variants=(A M Q)

mkdir -p "$WORK"
# The engine's class path: its classes and its dependencies.
if [ ! -s "$WORK/deps.txt" ]; then
  ./mvnw -q -B -o -pl engine-sql dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" >&2
fi
cp="$root/engine-sql/target/classes:$(cat "$WORK/deps.txt")"

# The variants, each from a clean copy of $REV's engine-sql/src/main/c.
for v in "${variants[@]}"; do
  rm -rf "$WORK/$v"
  mkdir -p "$WORK/$v/src"
  git archive "$REV" engine-sql/src/main/c | tar -x -C "$WORK/$v/src"
  if [ "$v" != A ]; then
    patch -s -d "$WORK/$v/src" -p1 <"$results/native-allocator-sort-2026-12-07-$v.patch"
  fi
  bash "$WORK/$v/src/engine-sql/src/main/c/build.sh" "$WORK/$v/classes" >/dev/null
  ext="$WORK/$v/classes/io/tracetics/engine/native/linux_amd64/tracetics_funnel.duckdb_extension"
  [ -f "$ext" ] || { echo "variant $v: no extension built" >&2; exit 1; }
  echo "variant $v: $(sha256sum "$ext" | cut -c1-16)"
done

# The probe, compiled once.
mkdir -p "$WORK/probe"
cp "$results/native-allocator-sort-probe-2026-12-07.java.txt" "$WORK/probe/Probe.java"
javac -d "$WORK/probe" -cp "$cp" "$WORK/probe/Probe.java"
pcp="$WORK/probe:$cp"

db="$WORK/events-$EVENTS1-$USERS1-$EVENTS2-$USERS2.duckdb"
if [ ! -f "$db" ]; then
  java -cp "$pcp" Probe create "$db" "$EVENTS1" "$USERS1" "$EVENTS2" "$USERS2" 2>/dev/null
fi

log="$WORK/runs.log"
: >"$log"
echo "rounds=$ROUNDS runs=$RUNS db=$db rev=$REV $(date -u +%FT%TZ)"
for r in $(seq 1 "$ROUNDS"); do
  for v in "${variants[@]}"; do
    ext="$WORK/$v/classes/io/tracetics/engine/native/linux_amd64/tracetics_funnel.duckdb_extension"
    out="$WORK/round-$r-$v.out"
    /usr/bin/time -v java -cp "$pcp" Probe time "$db" "$ext" "$RUNS" >"$out" 2>"$out.err"
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out.err")
    grep '^case=' "$out" | sed "s/^/round=$r variant=$v rss_kb=$rss /" >>"$log"
    echo "round $r $v: $(grep -c '^case=' "$out") runs, peak RSS $((rss / 1024)) MB"
  done
done

python3 - "$log" <<'EOF'
import re, statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1])]
cases = sorted({r["case"] for r in rows}, key=lambda c: [r["case"] for r in rows].index(c))
variants = ["A", "M", "Q"]
users = {}
for r in rows:
    users.setdefault(r["case"], set()).add(r["users"])
for c in cases:
    if len(users[c]) != 1:
        print(f"ERROR: {c}: the variants' results differ: {users[c]}")
print("| case | variant | median ms (all runs) | per-JVM medians: min - max (spread) ms | median of per-round ratio to A (min - max) | peak RSS MB (median) |")
print("|---|---|---:|---:|---:|---:|")
for c in cases:
    per_round = {}
    for r in rows:
        if r["case"] == c:
            per_round.setdefault((r["variant"], int(r["round"])), []).append(float(r["ms"]))
    for v in variants:
        all_ms = [ms for (vv, _), l in per_round.items() if vv == v for ms in l]
        meds = [statistics.median(l) for (vv, _), l in sorted(per_round.items()) if vv == v]
        ratios = [statistics.median(per_round[(v, k)]) / statistics.median(per_round[("A", k)])
                  for (vv, k) in sorted(per_round) if vv == v and ("A", k) in per_round]
        rss = statistics.median(int(r["rss_kb"]) for r in rows if r["variant"] == v) / 1024
        print(f"| {c} | {v} | {statistics.median(all_ms):.1f} | {min(meds):.1f} - {max(meds):.1f} ({max(meds) - min(meds):.1f}) "
              f"| {statistics.median(ratios):.3f} ({min(ratios):.3f} - {max(ratios):.3f}) | {rss:.0f} |")
    print(f"<!-- {c} users per step: {next(iter(users[c]))} -->")
EOF
