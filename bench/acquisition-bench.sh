#!/usr/bin/env bash
# Slice acquisition: tickets, redemptions, redemption to a running program, 100 slivers at once.
#
# Builds platform/agent and platform/nodemanager with their test classes in this tree (nothing
# installed, no test run), then runs the benchmarks in their test sources:
#   tickets   TicketBench (agent, JMH): Broker.request as POST /api/v1/broker/requests calls it, 1000
#             nodes advertised, 1 and 10 tickets per request; agent journal forced to disk.
#   redeem    RedeemBench (node manager, JMH): NodeManager.redeem on a simulated VMM (chain check,
#             policy, capacity, journal fsync twice, sliver, keys, signed lease).
#             Both in JVM modes "jit" (the JDK's defaults) and "node" (the flags the `sliceplane`
#             launch script gives a node, read from it), with journals under /tmp, and "jit-shm":
#             jit with the journals on tmpfs (/dev/shm), to show what the disk's fsync costs.
#   linux     LinuxRedeemBench (needs root; skipped otherwise): redeem + launch /usr/bin/touch in
#             the sliver until its marker file exists, on the linux backend (real cgroups), with
#             the node's JVM flags; p50/p90/p99. Every sliver, cgroup and file removed at the end.
#   acquire   AcquireBench: agent + broker and NODES node managers on simulated VMMs in one JVM
#             (SIMULATION); reports delivered; per round one broker request for 100 tickets and
#             the redemption of all of them, 16 at a time like the service manager client.
# JMH benchmarks run with 1 and 2 threads, each in a JMH run of its own. Every run (JMH or plain)
# records the load average before and after it and how much CPU the machine's other processes
# used meanwhile (/proc/stat minus this run's JVM); a JMH run during which others used more than
# NOISE_MAX CPUs is repeated and the quietest attempt kept.
#
#   bench/acquisition-bench.sh                    # all four suites (about 15 minutes)
#   bench/acquisition-bench.sh tickets redeem     # only the JMH suites
#   MODES=jit THREADS=2 bench/acquisition-bench.sh redeem
#
# Environment (all optional):
#   THREADS="1 2"  MODES="jit node jit-shm"  WARMUP=5 WARMUP_TIME=1s ITERATIONS=5 ITERATION_TIME=1s FORKS=1
#   LINUX_REPS=300 LINUX_WARMUP=50           redemption-to-running repetitions (after warm-up)
#   NODES="100 1000" ROUNDS=20 ROUNDS_WARMUP=5 SLIVERS=100    the acquire suite
#   OUT=/tmp/bench-acquisition.XXXXXX  BUILD=1  MVN_OPTS=-o  JMH_OPTS=  NOISE_MAX=0.25 NOISE_RETRIES=1

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
THREADS=${THREADS:-1 2}
MODES=${MODES:-jit node jit-shm}
WARMUP=${WARMUP:-5}
WARMUP_TIME=${WARMUP_TIME:-1s}
ITERATIONS=${ITERATIONS:-5}
ITERATION_TIME=${ITERATION_TIME:-1s}
FORKS=${FORKS:-1}
BUILD=${BUILD:-1}
MVN_OPTS=${MVN_OPTS:--o}
JMH_OPTS=${JMH_OPTS:-}
NOISE_MAX=${NOISE_MAX:-0.25}
NOISE_RETRIES=${NOISE_RETRIES:-1}
LINUX_REPS=${LINUX_REPS:-300}
LINUX_WARMUP=${LINUX_WARMUP:-50}
NODES=${NODES:-100 1000}
ROUNDS=${ROUNDS:-20}
ROUNDS_WARMUP=${ROUNDS_WARMUP:-5}
SLIVERS=${SLIVERS:-100}
SUITES=("$@")
[[ ${#SUITES[@]} -gt 0 ]] || SUITES=(tickets redeem linux acquire)
# One line per grant at INFO is what a node logs; the benchmarks log warnings only, so the
# figures do not include writing thousands of log lines to JMH's captured output.
QUIET=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn

log() { printf '[acquisition-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in java mvn awk python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
for suite in "${SUITES[@]}"; do
    [[ $suite =~ ^(tickets|redeem|linux|acquire)$ ]] || die "unknown suite '$suite' (tickets, redeem, linux, acquire)"
done
for mode in $MODES; do
    [[ $mode =~ ^(jit|node|jit-shm)$ ]] || die "unknown mode '$mode' (jit, node, jit-shm)"
done

NODE_FLAGS=$(sed -n 's/^jvm_opts="\(.*\)"$/\1/p' "$REPO_ROOT/sliceplane" | head -n 1)
[[ -n $NODE_FLAGS ]] || die "cannot read jvm_opts from $REPO_ROOT/sliceplane"
mode_flags() {
    case $1 in
        jit) echo "$QUIET" ;;
        node) echo "$QUIET $NODE_FLAGS" ;;
        jit-shm) echo "$QUIET -Djava.io.tmpdir=/dev/shm" ;;
    esac
}

OUT=${OUT:-$(mktemp -d /tmp/bench-acquisition.XXXXXX)}
mkdir -p "$OUT"
AGENT="$REPO_ROOT/platform/agent"
NODEMANAGER="$REPO_ROOT/platform/nodemanager"

cd "$REPO_ROOT"
if [[ $BUILD == 1 ]]; then
    log "building platform/agent and platform/nodemanager with their test classes (tests not run, nothing installed)"
    # One reactor build, so the class paths name this tree's classes, not jars in ~/.m2.
    # shellcheck disable=SC2086
    mvn -B -q $MVN_OPTS test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.classpath -pl platform/agent,platform/nodemanager -am >&2
fi
for m in "$AGENT" "$NODEMANAGER"; do
    [[ -f $m/target/bench.classpath ]] || die "no class path in $m: run with BUILD=1"
done
CP_AGENT="$AGENT/target/test-classes:$AGENT/target/classes:$(cat "$AGENT/target/bench.classpath")"
CP_NODEMANAGER="$NODEMANAGER/target/test-classes:$NODEMANAGER/target/classes:$(cat "$NODEMANAGER/target/bench.classpath")"

cpu_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# measure NAME ATTEMPT COMMAND...: runs COMMAND (output in $OUT/NAME.ATTEMPT.log), prints and
# returns (in $LINE) a load line: name, attempt, wall s, this run's CPUs, others' CPUs, load before, after.
measure() {
    local name=$1 attempt=$2; shift 2
    local busy0 busy1 load0 wall user sys
    busy0=$(cpu_jiffies); load0=$(load)
    /usr/bin/time -f '%e %U %S' -o "$OUT/$name.$attempt.time" "$@" >"$OUT/$name.$attempt.log" 2>&1 \
        || { tail -n 40 "$OUT/$name.$attempt.log" >&2; die "$name failed (log: $OUT/$name.$attempt.log)"; }
    busy1=$(cpu_jiffies)
    read -r wall user sys < "$OUT/$name.$attempt.time"
    LINE=$(awk -v name="$name" -v a="$attempt" -v b0="$busy0" -v b1="$busy1" -v wall="$wall" -v user="$user" \
        -v sys="$sys" -v l0="$load0" -v l1="$(load)" 'BEGIN {
        busy = (b1 - b0) / 100; mine = user + sys; other = busy - mine; if (other < 0) other = 0;
        printf "%s\t%d\t%.0f\t%.2f\t%.2f\t%s\t%s\n", name, a, wall, mine / wall, other / wall, l0, l1 }')
    echo "$LINE" | awk -F'\t' '{ printf "[acquisition-bench]   %s s; this run %s CPUs, others %s; load average %s -> %s\n", $3, $4, $5, $6, $7 }' >&2
}

# run_jmh NAME CLASSPATH REGEX JVM_FLAGS THREADS: the quietest of at most NOISE_RETRIES+1 attempts.
run_jmh() {
    local name=$1 cp=$2 regex=$3 flags=$4 threads=$5 attempt best= best_other= other
    for ((attempt = 1; attempt <= NOISE_RETRIES + 1; attempt++)); do
        log "$name (attempt $attempt): $threads thread(s), JVM flags: $flags; load average $(load)"
        # shellcheck disable=SC2086
        measure "$name" "$attempt" java -cp "$cp" org.openjdk.jmh.Main "$regex" -t "$threads" -f "$FORKS" \
            -wi "$WARMUP" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$ITERATION_TIME" \
            -jvmArgsAppend "$flags" -rf json -rff "$OUT/$name.$attempt.json" $JMH_OPTS
        grep -E '^[A-Za-z]+Bench\.' "$OUT/$name.$attempt.log" | sed 's/^/    /' >&2 || true
        other=$(echo "$LINE" | cut -f5)
        if [[ -z $best ]] || awk -v a="$other" -v b="$best_other" 'BEGIN { exit !(a < b) }'; then
            best=$LINE; best_other=$other
            cp "$OUT/$name.$attempt.json" "$OUT/$name.json"
        fi
        awk -v a="$other" -v m="$NOISE_MAX" 'BEGIN { exit !(a <= m) }' && break
        [[ $attempt -le $NOISE_RETRIES ]] && log "  others used $other CPUs (> NOISE_MAX $NOISE_MAX): again"
    done
    echo "$best" >> "$OUT/load.tsv"
}

# run_plain NAME COMMAND...: one run of a timing harness, its output kept for the summary.
run_plain() {
    local name=$1; shift
    log "$name: load average $(load)"
    measure "$name" 1 "$@"
    grep -E 'SKIPPED|p50|SIMULATION|start ' "$OUT/$name.1.log" | sed 's/^/    /' >&2 || true
    cp "$OUT/$name.1.log" "$OUT/$name.txt"
    echo "$LINE" >> "$OUT/load.tsv"
}

: > "$OUT/load.tsv"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "results in $OUT; $(nproc) CPUs; $(java -version 2>&1 | head -n 1)"
for suite in "${SUITES[@]}"; do
    case $suite in
        tickets|redeem)
            cp=$CP_AGENT regex='\.TicketBench\.request$'
            [[ $suite == redeem ]] && cp=$CP_NODEMANAGER regex='\.RedeemBench\.redeem$'
            for mode in $MODES; do
                for t in $THREADS; do
                    run_jmh "$suite-$mode-t$t" "$cp" "$regex" "$(mode_flags "$mode")" "$t"
                done
            done
            ;;
        linux)
            if [[ $(id -u) -ne 0 ]]; then
                log "linux: SKIPPED, needs root (cgroups)"
                continue
            fi
            # shellcheck disable=SC2086
            run_plain linux java $QUIET $NODE_FLAGS -cp "$CP_NODEMANAGER" \
                dev.sliceplane.nodemanager.internal.LinuxRedeemBench "$LINUX_REPS" "$LINUX_WARMUP"
            ;;
        acquire)
            for n in $NODES; do
                run_plain "acquire-$n" java $QUIET -cp "$CP_NODEMANAGER" \
                    dev.sliceplane.nodemanager.internal.AcquireBench "$n" "$ROUNDS" "$ROUNDS_WARMUP" "$SLIVERS"
            done
            ;;
    esac
done

# --- Summary -----------------------------------------------------------------------------------
python3 - "$OUT" "$STARTED" "$NODE_FLAGS" <<'PY'
import glob, json, os, re, sys

out, started, node_flags = sys.argv[1:4]
rows = {}   # (suite, params) -> {(mode, threads): (score, error)}
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    m = re.fullmatch(r"(tickets|redeem)-([a-z-]+)-t(\d+)\.json", os.path.basename(path))
    if not m:
        continue
    suite, mode = m.group(1), m.group(2)
    for r in json.load(open(path)):
        params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
        p = r["primaryMetric"]
        rows.setdefault((suite, params), {})[(mode, r["threads"])] = (p["score"], p["scoreError"])
order = {"jit": 0, "node": 1, "jit-shm": 2}
cols = sorted({c for v in rows.values() for c in v}, key=lambda c: (order[c[0]], c[1]))
def fmt(v, times=1):
    if v is None:
        return "—"
    s, e = v
    e = f" ± {e * times:,.0f}" if isinstance(e, (int, float)) and e == e else ""
    return f"{s * times:,.0f}{e}"
print(f"\n## Slice acquisition benchmarks, started {started} ({os.cpu_count()} CPUs)")
print(f"jit: JDK defaults; node: {node_flags}; jit-shm: jit with the journals on /dev/shm\n")
if rows:
    print("Requests (tickets) or redemptions per second, JMH score ± 99.9% CI:\n")
    print("| suite | params | " + " | ".join(f"{m}, {t} thr" for m, t in cols) + " |")
    print("|---|---|" + "---:|" * len(cols))
    for (suite, params), v in sorted(rows.items()):
        print(f"| {suite} | {params} | " + " | ".join(fmt(v.get(c)) for c in cols) + " |")
        m = re.search(r"count=(\d+)", params)
        if suite == "tickets" and m and int(m.group(1)) > 1:
            n = int(m.group(1))
            print(f"| tickets/s | {params} | " + " | ".join(fmt(v.get(c), n) for c in cols) + " |")
for path in sorted(glob.glob(os.path.join(out, "*.txt"))):
    print(f"\n{os.path.basename(path)[:-4]}:\n")
    for line in open(path):
        if re.search(r"SKIPPED|p50|SIMULATION|start |left:|backend:", line):
            print("    " + line.rstrip())
print("\nLoad per run (CPUs used on average; 'others' = the rest of the machine):\n")
print("| run | attempt | wall s | this run | others | load avg before | after |")
print("|---|---:|---:|---:|---:|---|---|")
for line in open(os.path.join(out, "load.tsv")):
    print("| " + " | ".join(line.rstrip("\n").split("\t")) + " |")
PY
