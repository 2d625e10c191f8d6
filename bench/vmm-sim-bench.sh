#!/usr/bin/env bash
# Cost of sampling the simulated VMM backend, and heap of many simulated nodes.
#
# Builds the simulated backend (and the VMM API) in this tree without running the tests and
# without installing anything, then runs dev.sliceplane.vmm.simulated.SimulatedBench from the
# test classes. It prints a Markdown table:
#   - one sampling pass (usage() + nodeStatus(), as the VMM core samples) over 1,000 and
#     10,000 simulated slivers on one node, every sliver running: wall ms per pass (p50, p99),
#     CPU ms per pass (thread CPU time), the share of one core that 1 Hz sampling costs, and
#     the bytes allocated per pass;
#   - the heap (after GC) of 1,000 simulated nodes x 10 slivers in one JVM (SimulatedCluster),
#     and the CPU of one sampleAll() over them.
# It also prints the CPU the other processes on the machine used meanwhile (from /proc/stat),
# since the figures are single-threaded and a loaded machine slows them.
#
#   bench/vmm-sim-bench.sh > /tmp/vmm-sim.md
#
# Environment (all optional):
#   SIZES=1000,10000 PASSES=2000 WARMUP=1000 NODES=1000 SLIVERS_PER_NODE=10 SEED=1
#   JAVA_OPTS="-XX:+UseSerialGC -Xmx1g"   JVM flags (the node's documented GC by default)
#   BUILD=1                               0 = use the classes already built
#   MVN_OPTS=-o                           extra Maven flags (drop -o when a dependency is missing)

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
MODULE="$REPO_ROOT/vmm-adapter/simulated"
SIZES=${SIZES:-1000,10000}
PASSES=${PASSES:-2000}
WARMUP=${WARMUP:-1000}
NODES=${NODES:-1000}
SLIVERS_PER_NODE=${SLIVERS_PER_NODE:-10}
SEED=${SEED:-1}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx1g}
BUILD=${BUILD:-1}
MVN_OPTS=${MVN_OPTS:--o}

log() { printf '[vmm-sim-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in java mvn awk; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
for v in PASSES WARMUP NODES SLIVERS_PER_NODE; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done

cd "$REPO_ROOT"
if [[ $BUILD == 1 ]]; then
    log "building vmm-adapter/simulated (tests compiled, not run; nothing installed)"
    # shellcheck disable=SC2086
    mvn -B -q $MVN_OPTS verify -pl vmm-adapter/simulated -am -DskipTests >&2
fi
CP_FILE="$MODULE/target/bench.classpath"
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test \
    -pl vmm-adapter/simulated >&2
# This tree's API classes come first, ahead of whatever API jar sits in ~/.m2.
CP="$REPO_ROOT/vmm-adapter/api/target/classes:$MODULE/target/classes:$MODULE/target/test-classes:$(cat "$CP_FILE")"

cpu_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read -r busy0 total0 < <(cpu_jiffies)

log "running SimulatedBench (sizes $SIZES, $PASSES passes after $WARMUP warm-up, $NODES nodes x $SLIVERS_PER_NODE)"
echo "## VMM simulated backend: sampling cost ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, JAVA_OPTS: $JAVA_OPTS)"
echo
# shellcheck disable=SC2086
/usr/bin/time -f '%e %U %S' -o "$MODULE/target/bench.time" \
    java $JAVA_OPTS -cp "$CP" -Dsizes="$SIZES" -Dpasses="$PASSES" -Dwarmup="$WARMUP" -Dnodes="$NODES" \
    -DsliversPerNode="$SLIVERS_PER_NODE" -Dseed="$SEED" dev.sliceplane.vmm.simulated.SimulatedBench

read -r busy1 total1 < <(cpu_jiffies)
read -r wall user sys < "$MODULE/target/bench.time"
awk -v b0="$busy0" -v t0="$total0" -v b1="$busy1" -v t1="$total1" -v n="$(nproc)" \
    -v wall="$wall" -v user="$user" -v sys="$sys" 'BEGIN {
    hz = 100; busy = (b1 - b0) / hz; mine = user + sys;
    other = busy - mine; if (other < 0) other = 0;
    printf "\nThe benchmark JVM used %.1f CPU-s in %.1f s; other processes used %.2f CPUs on average meanwhile (of %d).\n",
        mine, wall, other / wall, n
}'
