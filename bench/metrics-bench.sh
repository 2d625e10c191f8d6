#!/usr/bin/env bash
# /metrics of a node holding 1,000 slivers, beside Debian's prometheus-node-exporter.
#
# Runs MetricsBenchmarkIT (assembly ITs) in this tree: it builds the distribution (nothing
# installed), starts a node on the simulated VMM, makes SLIVERS slivers through the test VMM probe
# bundle (a sleeping program in each), waits until /metrics lists them all, starts
# /usr/bin/prometheus-node-exporter on a free loopback port, then scrapes both SCRAPES times,
# interleaved so that both meet the same load (after WARMUP rounds): the node as text, as
# OpenMetrics, and as gzip'd OpenMetrics (what Prometheus asks for), node_exporter as text. One
# client (the JDK's HttpClient, HTTP/1.1 keep-alive, one scrape at a time) times each scrape from
# request to last byte. Prints p50/p99/max, bytes, samples, series per sliver, the load average
# before and after, and the CPU other processes used meanwhile (from /proc/stat).
#
#   bench/metrics-bench.sh
#   SLIVERS=1000 SCRAPES=500 WARMUP=200 bench/metrics-bench.sh
#
# Environment (all optional): SLIVERS=1000 SCRAPES=500 WARMUP=200 MVN_OPTS=-o
#   JVM=node   the node JVM's flags: "node" (those of the sliceplane launch script) or "jit" (JDK defaults)

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SLIVERS=${SLIVERS:-1000}
SCRAPES=${SCRAPES:-500}
WARMUP=${WARMUP:-200}
JVM=${JVM:-node}
MVN_OPTS=${MVN_OPTS:--o}
LOG=$(mktemp /tmp/metrics-bench.XXXXXX.log)

cpu_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat; }

echo "## /metrics with $SLIVERS slivers ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(java -version 2>&1 | head -n 1))"
echo "load before: $(cat /proc/loadavg)"
busy0=$(cpu_jiffies)
start=$(date +%s.%N)
cd "$REPO_ROOT"
# shellcheck disable=SC2086
if ! mvn -B $MVN_OPTS verify -pl assembly -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=MetricsBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -Dsliceplane.bench=true \
    -Dsliceplane.bench.slivers="$SLIVERS" -Dsliceplane.bench.scrapes="$SCRAPES" \
    -Dsliceplane.bench.warmup="$WARMUP" -Dsliceplane.bench.jvm="$JVM" >"$LOG" 2>&1; then
  tail -n 80 "$LOG" >&2
  echo "metrics-bench: the benchmark failed; full log in $LOG" >&2
  exit 1
fi
busy1=$(cpu_jiffies)
end=$(date +%s.%N)
sed -n 's/^BENCH //p' "$LOG"
echo "load after: $(cat /proc/loadavg)"
awk -v b0="$busy0" -v b1="$busy1" -v s="$start" -v e="$end" -v n="$(nproc)" 'BEGIN {
  printf "all processes (this build and benchmark included) kept %.2f of %d CPUs busy on average over %.0f s\n",
      (b1 - b0) / 100 / (e - s), n, e - s }'
echo "full log: $LOG"
