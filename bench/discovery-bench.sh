#!/usr/bin/env bash
# Discovery beside Debian's serf, on this machine, at the same sizes (docs/benchmarks.md, section 10).
#
# Sliceplane's figures come from the discovery SIMULATION (DiscoverySimulationBench, test classes of
# bundles/discovery/jgroups): N real GroupMembers in one JVM, each with its own node key and
# credential, advertising its own simulated VMM node, over the product's JGroups stack with either
#   - transport "tcp": the product's stack unchanged, on loopback TCP (real sockets, FD_SOCK2), or
#   - transport "shared": the same stack above an in-JVM transport (no sockets, no FD_SOCK2).
# serf's come from N `serf agent` processes on loopback, driven and watched over their RPC ports by
# bench/serf-rpc.py (no fork per probe).
#
#   bench/discovery-bench.sh                 everything below, in order
#   bench/discovery-bench.sh converge        convergence and failure detection, serf and Sliceplane
#   bench/discovery-bench.sh steady          bytes per node per second, then 10 % loss: false deaths
#   bench/discovery-bench.sh thousand        1,000 simulated members form a view
#
# Environment (all optional):
#   SERF_SIZES="5 20 50"   TCP_SIZES="5 20"   SHARED_SIZES="5 20 50 500"   REPEAT=3
#   STEADY_SIZE=20 STEADY_SECONDS=60 LOSS=0.10 LOSS_SECONDS=180 LOSSES="0 $LOSS"
#   PORT_BASE=27800 (serf gossip PORT_BASE+i, RPC PORT_BASE+RPC_OFFSET+i; JGroups PORT_BASE+i, FD_SOCK2 +50)
#   RPC_OFFSET=600         serf's RPC ports above PORT_BASE (100 keeps a 20-agent run within 200 ports)
#   TMP_PREFIX=/tmp/disc-sim-bench   where the run keeps its logs (a directory with this prefix)
#   KEEP_DIR=/tmp          where the stderr of a simulation round that timed out is kept
#   NETNS_PREFIX=dsim      network namespaces for the loss and bytes runs (root and iproute2 needed; the
#                          loss is netem's, or nftables' random drop on lo where the kernel lacks netem)
#   BUILD=1                0 = use the classes already built
#   JAVA_OPTS="-Xss512k -Xmx6g"
#   FAILURE_TIMEOUT=PT4S   Sliceplane's heartbeat timeout (the product's default since 2026-11-26; it was PT12S)
#   SIM_CLOCKS=start,connect  Sliceplane's convergence clocks, each measured round once per clock, alternating:
#                          start = the clock covers creating the joiners' channels too; connect = they are created
#                          before it (nearest serf's, whose agents run before its clock starts)

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
MODULE="$REPO_ROOT/bundles/discovery/jgroups"
SERF_SIZES=${SERF_SIZES:-5 20 50}
TCP_SIZES=${TCP_SIZES:-5 20}
SHARED_SIZES=${SHARED_SIZES:-5 20 50 500}
REPEAT=${REPEAT:-3}
STEADY_SIZE=${STEADY_SIZE:-20}
STEADY_SECONDS=${STEADY_SECONDS:-60}
LOSS=${LOSS:-0.10}
LOSS_SECONDS=${LOSS_SECONDS:-180}
PORT_BASE=${PORT_BASE:-27800}
RPC_OFFSET=${RPC_OFFSET:-600}
NETNS_PREFIX=${NETNS_PREFIX:-dsim}
BUILD=${BUILD:-1}
JAVA_OPTS=${JAVA_OPTS:--Xss512k -Xmx6g}
FAILURE_TIMEOUT=${FAILURE_TIMEOUT:-PT4S}
SIM_CLOCKS=${SIM_CLOCKS:-start,connect}
WHAT=${1:-all}
TMP=$(mktemp -d "${TMP_PREFIX:-/tmp/disc-sim-bench}.XXXXXX")
KEEP_DIR=${KEEP_DIR:-/tmp}
PY=/usr/bin/python3   # Debian's python, where python3-msgpack installs

log() { printf '[discovery-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

AGENT_PIDS=()
NETNS=()
cleanup() {
    for pid in "${AGENT_PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for ns in "${NETNS[@]:-}"; do [[ -n $ns ]] && ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# --- prerequisites ---------------------------------------------------------------------------
if ! command -v serf >/dev/null; then
    log "installing Debian's serf (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y serf >&2
fi
if ! $PY -c 'import msgpack' 2>/dev/null; then
    log "installing python3-msgpack (apt), for serf's RPC"
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-msgpack >&2
fi
for tool in java mvn awk ip tc; do command -v "$tool" >/dev/null || die "'$tool' is required"; done

cd "$REPO_ROOT"
if [[ $BUILD == 1 ]]; then
    log "building bundles/discovery/jgroups and what it needs (tests compiled, not run; nothing installed)"
    mvn -B -q -o verify -pl bundles/discovery/jgroups -am -DskipTests >&2
fi
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$MODULE/target/bench.classpath" \
    -Dmdep.includeScope=test -pl bundles/discovery/jgroups >&2
# This tree's classes first, ahead of whatever snapshot jars sit in ~/.m2.
CP=""
for m in bundles/discovery/api bundles/monitor/api platform/api platform/jose vmm-adapter/api vmm-adapter/simulated; do
    CP="$CP$REPO_ROOT/$m/target/classes:"
done
CP="$CP$MODULE/target/classes:$MODULE/target/test-classes:$(cat "$MODULE/target/bench.classpath")"

cpu_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# sim NETNS_OR_- LABEL -Dsim.x=y ...   runs DiscoverySimulationBench, prints its RESULT lines
sim() {
    local ns=$1 label=$2; shift 2
    local run=(java $JAVA_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dsim.failureTimeout="$FAILURE_TIMEOUT" "$@" -cp "$CP"
               dev.sliceplane.discovery.jgroups.internal.DiscoverySimulationBench)
    local out="$TMP/$label.out"
    if [[ $ns == - ]]; then "${run[@]}" > "$out" 2> "$TMP/$label.err" || true
    else ip netns exec "$ns" "${run[@]}" > "$out" 2> "$TMP/$label.err" || true; fi
    grep '^RESULT' "$out" | sed "s/^RESULT /RESULT sliceplane $label /" || { log "$label failed:"; tail -5 "$TMP/$label.err" >&2; }
    # A round that timed out keeps its progress lines (the run's directory goes at exit), to see what stalled.
    if grep -q '^RESULT timeout' "$out"; then
        cp "$TMP/$label.err" "$KEEP_DIR/discovery-bench-$label-$(date -u +%Y%m%dT%H%M%SZ).err"
        log "$label timed out; its stderr is kept in $KEEP_DIR"
    fi
}

# serf_start NETNS_OR_- N: N agents s0..s(N-1) on loopback, pids in $TMP/serf.pids
serf_start() {
    local ns=$1 n=$2 i
    : > "$TMP/serf.pids"
    AGENT_PIDS=()
    for ((i = 0; i < n; i++)); do
        local cmd=(serf agent -node="s$i" -bind="127.0.0.1:$((PORT_BASE + i))" -rpc-addr="127.0.0.1:$((PORT_BASE + RPC_OFFSET + i))"
                   -log-level=err)
        if [[ $ns == - ]]; then "${cmd[@]}" > "$TMP/serf$i.log" 2>&1 &
        else ip netns exec "$ns" "${cmd[@]}" > "$TMP/serf$i.log" 2>&1 & fi
        AGENT_PIDS+=($!)
        echo $! >> "$TMP/serf.pids"
    done
    # Ready when every RPC port answers.
    local deadline=$((SECONDS + 60))
    for ((i = 0; i < n; i++)); do
        until serf_in "$ns" serf members -rpc-addr="127.0.0.1:$((PORT_BASE + RPC_OFFSET + i))" >/dev/null 2>&1; do
            ((SECONDS < deadline)) || die "serf agent $i did not start"
            sleep 0.1
        done
    done
}
# CPU time (user + system) of the running agents so far, in ms.
serf_cpu_ms() {
    local pid ticks=0 hz
    hz=$(getconf CLK_TCK)
    for pid in "${AGENT_PIDS[@]:-}"; do
        [[ -r /proc/$pid/stat ]] && ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    echo $((ticks * 1000 / hz))
}
serf_in() { local ns=$1; shift; if [[ $ns == - ]]; then "$@"; else ip netns exec "$ns" "$@"; fi; }
serf_stop() {
    for pid in "${AGENT_PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    AGENT_PIDS=()
}
serf_rpc() { local ns=$1; shift; serf_in "$ns" $PY "$SCRIPT_DIR/serf-rpc.py" "$@" | sed 's/^RESULT /RESULT /'; }

# netns_make NAME LOSS: a namespace with its loopback up, and netem loss on it when LOSS > 0
netns_make() {
    local ns="$NETNS_PREFIX-$1" loss=$2
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    NETNS+=("$ns")
    ip netns exec "$ns" ip link set lo up
    if [[ $loss != 0 ]]; then
        local pct
        pct=$(awk -v l="$loss" 'BEGIN{print l*100}')
        if ! ip netns exec "$ns" tc qdisc add dev lo root netem loss "$pct%" 2>/dev/null; then
            # No netem in this kernel (CONFIG_NET_SCH_NETEM unset here): drop at lo's input with nftables instead.
            command -v nft >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y nftables >&2
            ip netns exec "$ns" nft add table inet dsim
            ip netns exec "$ns" nft add chain inet dsim in '{ type filter hook input priority 0; }'
            ip netns exec "$ns" nft add rule inet dsim in iif lo numgen random mod 100 '<' "$pct" drop
            log "netem unavailable: $ns drops $pct % of lo's packets with nftables"
        fi
    fi
    echo "$ns"
}
lo_bytes() { ip netns exec "$1" awk '/^ *lo:/{ print $2 }' /proc/net/dev; }

header() {
    echo "## Discovery benchmark: $1 ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(load), Sliceplane failureTimeout $FAILURE_TIMEOUT)"
}

# --- convergence and failure detection ---------------------------------------------------------
converge() {
    header "convergence and failure detection"
    for n in $SERF_SIZES; do
        for ((r = 1; r <= REPEAT; r++)); do
            serf_start - "$n"
            echo "# serf n=$n round $r, load $(load)"
            local c0 c1
            c0=$(serf_cpu_ms)
            serf_rpc - converge "$n" $((PORT_BASE + RPC_OFFSET)) "$PORT_BASE"
            c1=$(serf_cpu_ms)
            # The agents' CPU over the converge call (serf-rpc.py's polling of every agent's members included).
            echo "RESULT serf-converge-cpu members=$n cpu_ms=$((c1 - c0))"
            serf_rpc - detect "$n" $((PORT_BASE + RPC_OFFSET)) "$TMP/serf.pids"
            serf_stop
        done
    done
    for n in $TCP_SIZES; do
        echo "# sliceplane tcp n=$n ($REPEAT rounds of each clock in $SIM_CLOCKS after a warm-up, all $((n - 1)) joining at once), load $(load)"
        # All N-1 join at once, as serf-rpc.py's converge asks all N-1 agents to join at once.
        sim - "tcp-n$n" -Dsim.transport=tcp -Dsim.basePort="$PORT_BASE" -Dsim.members="$n" -Dsim.parallel=$((n - 1)) \
            -Dsim.scenarios=converge,detect -Dsim.warmups=1 -Dsim.rounds="$REPEAT" -Dsim.clocks="$SIM_CLOCKS" -Dsim.timeout=PT2M
    done
    for n in $SHARED_SIZES; do
        local extra=()
        # 500 members: all join at once (GMS bundles the joins queued while it installs a view into the next
        # one; every view costs each member O(N) work, and the JVM holds all N members).
        ((n >= 200)) && extra=(-Dsim.parallel=$((n - 1)) -Dsim.joinTimeout=PT10S -Dsim.timeout=PT4M)
        local rounds=$REPEAT warm=1
        ((n >= 200)) && { rounds=1; warm=0; }
        echo "# sliceplane shared n=$n ($rounds rounds after $warm warm-up), load $(load)"
        sim - "shared-n$n" -Dsim.transport=shared -Dsim.members="$n" -Dsim.scenarios=converge,detect \
            -Dsim.warmups="$warm" -Dsim.rounds="$rounds" -Dsim.clocks="$SIM_CLOCKS" "${extra[@]}"
    done
}

# --- bytes per node per second, and false deaths under 10 % loss ---------------------------------
steady() {
    header "steady state and loss"
    local n=$STEADY_SIZE ns
    for loss in ${LOSSES:-0 $LOSS}; do
        local seconds=$STEADY_SECONDS
        [[ $loss != 0 ]] && seconds=$LOSS_SECONDS
        ns=$(netns_make "serf" "$loss")
        serf_start "$ns" "$n"
        serf_rpc "$ns" converge "$n" $((PORT_BASE + RPC_OFFSET)) "$PORT_BASE" >/dev/null
        local b0 b1
        b0=$(lo_bytes "$ns")
        echo "# serf n=$n loss=$loss ${seconds}s in netns $ns, load $(load)"
        serf_rpc "$ns" steady "$n" $((PORT_BASE + RPC_OFFSET)) "$seconds"
        b1=$(lo_bytes "$ns")
        awk -v b="$((b1 - b0))" -v n="$n" -v s="$seconds" -v l="$loss" \
            'BEGIN{ printf "RESULT serf-bytes members=%d loss=%s lo_bytes_per_node_s=%.0f\n", n, l, b/n/s }'
        serf_stop
        ip netns del "$ns"

        ns=$(netns_make "jg" "$loss")
        echo "# sliceplane tcp n=$n loss=$loss ${seconds}s in netns $ns, load $(load)"
        # lo's counter over the whole run; the steady window's own figure is the JGroups one.
        b0=$(lo_bytes "$ns")
        sim "$ns" "tcp-steady-n$n-loss$loss" -Dsim.transport=tcp -Dsim.basePort="$PORT_BASE" -Dsim.members="$n" \
            -Dsim.scenarios=steady -Dsim.steadySeconds="$seconds" -Dsim.joinTimeout=PT5S
        b1=$(lo_bytes "$ns")
        echo "# (lo bytes over the whole JVM run, joining included: $((b1 - b0)))"
        ip netns del "$ns"

        echo "# sliceplane shared n=$n loss=$loss (DISCARD) ${seconds}s, load $(load)"
        sim - "shared-steady-n$n-loss$loss" -Dsim.transport=shared -Dsim.members="$n" -Dsim.loss="$loss" \
            -Dsim.scenarios=steady -Dsim.steadySeconds="$seconds"
    done
}

# --- 1,000 simulated members -------------------------------------------------------------------
thousand() {
    # 10 GB of heap: the thousand members' tables and adverts hold ~4.7 GB live; at 6 GB the JVM spent 28 % of
    # the wall time in GC pauses and did not converge in 5 min.
    local JAVA_OPTS="-Xss512k -Xmx10g"
    header "1,000 simulated members"
    # Scale settings, not the product's (each member of the JVM runs N-fold background work a node runs once):
    # heartbeats every 30 s (failureTimeout 120 s), merge checks 60-180 s, adverts every 60 s, STABLE every 60 s;
    # the 999 others start at once (GMS bundles queued joins into one view).
    echo "# sliceplane shared n=1000: heartbeats every 30 s (failureTimeout 120 s), merge checks 60-180 s, adverts every 60 s, STABLE gossip 60 s, 999 joining at once, -Xmx10g; load $(load)"
    sim - "shared-n1000" -Dsim.transport=shared -Dsim.members=1000 -Dsim.scenarios=converge -Dsim.parallel=999 \
        -Dsim.joinTimeout=PT10S -Dsim.failureTimeout=PT120S -Dsim.mergeInterval=PT60S -Dsim.advertEvery=PT60S \
        -Dsim.stableGossip=PT60S -Dsim.timeout=PT5M
}

busy0=$(cpu_jiffies); t0=$SECONDS
case $WHAT in
    converge) converge ;;
    steady) steady ;;
    thousand) thousand ;;
    all) converge; steady; thousand ;;
    *) die "unknown part '$WHAT' (converge, steady, thousand, all)" ;;
esac
busy1=$(cpu_jiffies)
awk -v b="$((busy1 - busy0))" -v s="$((SECONDS - t0))" -v n="$(nproc)" \
    'BEGIN{ if (s > 0) printf "\nThe machine was %.2f of %d CPUs busy on average over these %d s (this run and everyone else).\n", b/100/s, n, s }'
