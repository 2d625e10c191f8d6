#!/usr/bin/env bash
# Monitor benchmarks (docs/benchmarks.md §8).
#
#   query  GET /api/v1/monitor/slivers?... over 1,000 simulated slivers (a new sample every
#          second), driven by wrk, beside a bare Jetty 12 handler serving the same bytes in the
#          same JVM (QueryApiBench in the monitor's test sources). Rounds alternate between the
#          two; the figure is the monitor's req/s over the bare handler's, per query. A third
#          load varies `limit` on every request, so nearly every answer is rendered afresh
#          (the rendered-answer cache holds 128 queries per sample): the uncached cost.
#   cost   CPU and allocation per VMM sample of the monitor's store with 1,000 slivers
#          (SampleCostBench): at one sample a second, CPU per sample is the share of a core.
#   node   the same on a real node: the assembly's MonitorOverheadIT starts the built
#          distribution on the simulated backend sampling every second, makes SLIVERS slivers each
#          running a program, and reads the CPU the platform accounts to the monitor's slice
#          mgmt_monitor over NODE_SECONDS (builds the assembly; about 3 minutes).
#
#   bench/monitor-bench.sh [query] [cost] [node]
#
# Environment (all optional):
#   DURATION=20 THREADS=2 CONNECTIONS=32 WARMUP=10 REPEAT=3 SLIVERS=1000
#   PORT=18150 BARE_PORT=18151 SAMPLES=3600 SAMPLES_WARMUP=600 NODE_SECONDS=60
#   JAVA_OPTS   JVM flags of the harnesses (default: the node's jvm_opts from ./sliceplane)
#   BUILD=1     0 = reuse the last build's classes and class path
#   MVN_OPTS=-o
# wrk runs on the same machine as the servers and competes with them for the CPUs; every
# round reports the CPU that other processes used meanwhile (from /proc/stat).

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-10}
REPEAT=${REPEAT:-3}
SLIVERS=${SLIVERS:-1000}
PORT=${PORT:-18150}
BARE_PORT=${BARE_PORT:-18151}
SAMPLES=${SAMPLES:-3600}
SAMPLES_WARMUP=${SAMPLES_WARMUP:-600}
NODE_SECONDS=${NODE_SECONDS:-60}
BUILD=${BUILD:-1}
MVN_OPTS=${MVN_OPTS:--o}
SUITES=("$@")
[[ ${#SUITES[@]} -gt 0 ]] || SUITES=(query cost node)

log() { printf '[monitor-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in java mvn wrk awk setsid /usr/bin/time; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
NODE_FLAGS=$(sed -n 's/^jvm_opts="\(.*\)"$/\1/p' "$REPO_ROOT/sliceplane" | head -n 1)
JAVA_OPTS=${JAVA_OPTS:-$NODE_FLAGS}

MODULE="$REPO_ROOT/bundles/monitor/impl"
OUT=$(mktemp -d /tmp/monitor-bench.XXXXXX)
cd "$REPO_ROOT"
if [[ $BUILD == 1 ]]; then
    log "building the monitor with its test classes (tests not run, nothing installed)"
    # One reactor build, so the class path names this tree's classes, not jars in ~/.m2.
    # shellcheck disable=SC2086
    mvn -B -q $MVN_OPTS test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.classpath -pl bundles/monitor/impl -am >&2
fi
[[ -f $MODULE/target/bench.classpath ]] || die "no class path in $MODULE: run with BUILD=1"
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/bench.classpath")"

busy_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat; }
proc_jiffies() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
log "$(nproc) CPUs; $(java -version 2>&1 | head -n 1); JVM flags: $JAVA_OPTS; load average $(cut -d' ' -f1-3 /proc/loadavg)"

HARNESS=
cleanup() { [[ -n $HARNESS ]] && kill "$HARNESS" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# wrk_round NAME URL [LUA]: one round; prints NAME req/s p50 p99 harness-CPUs wrk-CPUs others-CPUs
wrk_round() {
    local name=$1 url=$2 lua=${3:-} b0 b1 h0 h1 rps p50 p99 user sys
    b0=$(busy_jiffies); h0=$(proc_jiffies "$HARNESS")
    # shellcheck disable=SC2086
    /usr/bin/time -f '%U %S' -o "$OUT/wrk.time" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        ${lua:+-s "$lua"} "$url" > "$OUT/wrk.out" 2>&1 || { cat "$OUT/wrk.out" >&2; die "wrk failed"; }
    b1=$(busy_jiffies); h1=$(proc_jiffies "$HARNESS")
    read -r user sys < "$OUT/wrk.time"
    grep -q 'Non-2xx' "$OUT/wrk.out" && { cat "$OUT/wrk.out" >&2; die "$name: non-2xx answers"; }
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$OUT/wrk.out")
    p50=$(awk '$1 == "50%" { print $2 }' "$OUT/wrk.out")
    p99=$(awk '$1 == "99%" { print $2 }' "$OUT/wrk.out")
    awk -v n="$name" -v r="$rps" -v p50="$p50" -v p99="$p99" -v b="$((b1 - b0))" -v h="$((h1 - h0))" \
        -v w="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v d="$DURATION" 'BEGIN {
        other = (b - h) / 100 - w; if (other < 0) other = 0;
        printf "%s\t%.0f\t%s\t%s\t%.2f\t%.2f\t%.2f\n", n, r, p50, p99, h / 100 / d, w / d, other / d }'
}

query_suite() {
    local top="/api/v1/monitor/slivers?select=name,cpu,mem&where=cpu%20%3E%200.05&sort=-cpu&limit=20"
    local all="/api/v1/monitor/slivers"
    local lua="$OUT/vary-limit.lua"
    cat > "$lua" <<'LUA'
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, "/api/v1/monitor/slivers?select=name,cpu,mem&where=cpu%20%3E%200.05&sort=-cpu&limit=" .. (n % 1000 + 1))
end
LUA
    log "query: starting QueryApiBench ($SLIVERS slivers) on ports $PORT and $BARE_PORT"
    # shellcheck disable=SC2086
    setsid java $JAVA_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
        dev.sliceplane.monitor.internal.http.QueryApiBench "$PORT" "$BARE_PORT" "$SLIVERS" "$top" "$all" \
        > "$OUT/harness.log" 2>&1 &
    HARNESS=$!
    for _ in $(seq 1 600); do grep -q '^ready' "$OUT/harness.log" && break; sleep 0.1; done
    grep -q '^ready' "$OUT/harness.log" || { cat "$OUT/harness.log" >&2; die "the harness did not start"; }
    grep '^path' "$OUT/harness.log" | sed 's/^/    /' >&2
    log "warm-up: ${WARMUP} s on each"
    local saved=$DURATION; DURATION=$WARMUP
    for url in "http://127.0.0.1:$PORT$top" "http://127.0.0.1:$BARE_PORT$top" "http://127.0.0.1:$PORT$all" \
            "http://127.0.0.1:$BARE_PORT$all"; do
        wrk_round warmup "$url" > /dev/null
    done
    wrk_round warmup "http://127.0.0.1:$PORT/" "$lua" > /dev/null
    DURATION=$saved
    printf 'round\tload\treq/s\tp50\tp99\tserver CPUs\twrk CPUs\tothers CPUs\n' > "$OUT/query.tsv"
    for ((round = 1; round <= REPEAT; round++)); do
        log "round $round of $REPEAT (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        for pair in "monitor-top20 http://127.0.0.1:$PORT$top" "bare-top20 http://127.0.0.1:$BARE_PORT$top" \
                "servlet-top20 http://127.0.0.1:$PORT/bare-servlet$top" \
                "monitor-all http://127.0.0.1:$PORT$all" "bare-all http://127.0.0.1:$BARE_PORT$all" \
                "servlet-all http://127.0.0.1:$PORT/bare-servlet$all"; do
            printf '%d\t%s\n' "$round" "$(wrk_round ${pair% *} ${pair#* })" | tee -a "$OUT/query.tsv" >&2
        done
        printf '%d\t%s\n' "$round" "$(wrk_round monitor-uncached "http://127.0.0.1:$PORT/" "$lua")" \
            | tee -a "$OUT/query.tsv" >&2
    done
    echo "## query API, $SLIVERS slivers, wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s rounds ($(date -u +%H:%M) UTC)"
    echo
    echo '| round | load | req/s | p50 | p99 | server CPUs | wrk CPUs | others CPUs |'
    echo '|---|---|---:|---:|---:|---:|---:|---:|'
    tail -n +2 "$OUT/query.tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
    echo
    awk -F'\t' 'NR > 1 { r[$2] = r[$2] " " $3 }
        function median(s,   a, n, i, j, t) { n = split(s, a, " ");
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
            return a[int((n + 1) / 2)] }
        END {
            for (q in r) m[q] = median(r[q]);
            printf "medians (req/s): top20 monitor %d, bare handler %d (monitor/bare %.2f), bare servlet %d (monitor/servlet %.2f)\n",
                m["monitor-top20"], m["bare-top20"], m["monitor-top20"] / m["bare-top20"], m["servlet-top20"],
                m["monitor-top20"] / m["servlet-top20"];
            printf "                 all   monitor %d, bare handler %d (monitor/bare %.2f), bare servlet %d (monitor/servlet %.2f)\n",
                m["monitor-all"], m["bare-all"], m["monitor-all"] / m["bare-all"], m["servlet-all"],
                m["monitor-all"] / m["servlet-all"];
            printf "                 uncached top20 (limit varied) monitor %d\n", m["monitor-uncached"] }' "$OUT/query.tsv"
    kill "$HARNESS"; wait "$HARNESS" 2>/dev/null || true; HARNESS=
}

cost_suite() {
    echo
    echo "## cost per sample, $SLIVERS slivers ($(date -u +%H:%M) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    for flags in "$JAVA_OPTS" "-XX:+UseSerialGC"; do
        echo
        echo "JVM flags: $flags"
        local b0 b1
        b0=$(busy_jiffies)
        # shellcheck disable=SC2086
        /usr/bin/time -f '%e %U %S' -o "$OUT/cost.time" java $flags -cp "$CP" \
            dev.sliceplane.monitor.internal.store.SampleCostBench "$SLIVERS" "$SAMPLES" "$SAMPLES_WARMUP" \
            | sed 's/^/    /'
        b1=$(busy_jiffies)
        read -r wall user sys < "$OUT/cost.time"
        awk -v b="$((b1 - b0))" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
            o = (b / 100 - u - s) / w; if (o < 0) o = 0; printf "    (%.1f s; other processes used %.2f CPUs meanwhile)\n", w, o }'
    done
}

node_suite() {
    echo
    echo "## a real node, $SLIVERS simulated slivers, 1 Hz ($(date -u +%H:%M) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    local b0 b1
    b0=$(busy_jiffies)
    # shellcheck disable=SC2086
    mvn -B $MVN_OPTS verify -pl assembly -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
        -Dit.test=MonitorOverheadIT -Dfailsafe.failIfNoSpecifiedTests=false -Dmonitor.bench=true \
        -Dmonitor.bench.slivers="$SLIVERS" -Dmonitor.bench.seconds="$NODE_SECONDS" > "$OUT/node.log" 2>&1 \
        || { tail -n 60 "$OUT/node.log" >&2; die "MonitorOverheadIT failed (log: $OUT/node.log)"; }
    b1=$(busy_jiffies)
    grep -E '^(created|mgmt_monitor:)' "$OUT/node.log" | sed 's/^/    /'
    echo "    (the build, the node and the test together kept $(awk -v b="$((b1 - b0))" 'BEGIN { printf "%.0f", b / 100 }') CPU-seconds of the machine busy)"
}

for suite in "${SUITES[@]}"; do
    case $suite in
        query) query_suite ;;
        cost) cost_suite ;;
        node) node_suite ;;
        *) die "unknown suite '$suite' (query, cost, node)" ;;
    esac
done
log "raw output in $OUT"
