#!/usr/bin/env bash
# Throughput of GET /api/v1/health under load, with wrk.
#
# Starts a node from the distribution (empty data directory), waits for its first
# 200, warms it up with WARMUP seconds of the same load (so the JIT has compiled
# the request path), then runs REPEAT measured rounds of DURATION seconds each
# and reports per round and as medians: requests per second, latency p50 / p99 /
# max (from wrk's own histogram, via a Lua done() hook), non-2xx answers and
# socket errors, the node's CPU from /proc/<pid>/stat (utime+stime over the
# round, in CPUs), wrk's own CPU, and the CPU all other processes used.
# Then it does the same against bench/HealthPeer.java, the JDK's built-in HTTP
# server answering the node's health body verbatim and doing nothing else: a
# reference for what wrk and the loopback can drive here, not a goal.
#
# wrk runs on the same machine as the node and competes with it for the CPUs;
# read the node's req/s together with the CPU columns.
#
#   bench/health-load.sh [DIST] > /tmp/health.md
#
# Environment (all optional):
#   DURATION=30 THREADS=2 CONNECTIONS=32 WARMUP=10 REPEAT=3
#   PORT=28530 PEER_PORT=28531
#   JAVA_OPTS="-XX:+UseSerialGC"   JVM flags of the node
#   PEER=1                          0 = skip the reference server
#   NOISE_MAX=                      if set (CPUs, e.g. 0.15): a round during which other
#                                   processes used more CPU is discarded and repeated,
#                                   up to NOISE_RETRIES=5 times in a row (then kept, marked)
#   KEEP_TMP=0

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
DIST=${1:-$REPO_ROOT/assembly/target/sliceplane}
DIST=$(cd "$DIST" && pwd)
JAR="$DIST/lib/dev.sliceplane.launcher.jar"
DURATION=${DURATION:-30}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-10}
REPEAT=${REPEAT:-3}
PORT=${PORT:-28530}
PEER_PORT=${PEER_PORT:-28531}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC}
PEER=${PEER:-1}
KEEP_TMP=${KEEP_TMP:-0}
NOISE_MAX=${NOISE_MAX:-}
NOISE_RETRIES=${NOISE_RETRIES:-5}

log() { printf '[health-load] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in wrk python3 java setsid awk; do
    command -v "$tool" >/dev/null || die "'$tool' is required (wrk: apt-get install -y wrk)"
done
[[ -f $JAR ]] || die "no launcher at $JAR"
for v in DURATION THREADS CONNECTIONS WARMUP REPEAT PORT PEER_PORT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sliceplane-load.XXXXXX")
CUR_PID=""
stop_group() { # SIGTERM the process group of CUR_PID, SIGKILL after 20 s
    local pid=$CUR_PID i
    [[ -n $pid ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    CUR_PID=""
}
cleanup() {
    local rc=$?
    trap - EXIT
    stop_group || true
    if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- CPU accounting from /proc (clock ticks) -------------------------------
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
machine_busy_ticks() {
    local _cpu user nice system idle iowait irq softirq steal _
    read -r _cpu user nice system idle iowait irq softirq steal _ </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}
proc_ticks() { # <pid> [with-children]
    local stat f
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    if [[ ${2:-} == with-children ]]; then
        echo $((f[11] + f[12] + f[13] + f[14]))
    else
        echo $((f[11] + f[12]))
    fi
}
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo n/a; }

# wrk prints one machine-readable line at the end (latencies in microseconds).
cat >"$TMP/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d mean_us=%.0f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

# run_wrk <url> <seconds> <outfile>: wrk as our direct child, so its CPU lands in our cutime
run_wrk() {
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" --latency -s "$TMP/report.lua" "$1" >"$3" 2>&1 &
    wait $! || die "wrk failed: $(tail -3 "$3")"
}

ROWS=()      # per-round Markdown rows
MEDIANS=()   # one median row per target
# measure <label> <url> <pid>
measure() {
    local label=$1 url=$2 pid=$3 r out b0 b1 n0 n1 s0 s1 line
    local -a rps p50 p99 cpu wrkcpu other
    local try=0
    log "$label: warm-up ${WARMUP}s"
    ((WARMUP > 0)) && run_wrk "$url" "$WARMUP" "$TMP/warmup.out"
    for ((r = 1; r <= REPEAT; r++)); do
        out="$TMP/$label-$r.out"
        b0=$(machine_busy_ticks); n0=$(proc_ticks "$pid"); s0=$(proc_ticks $$ with-children)
        run_wrk "$url" "$DURATION" "$out"
        b1=$(machine_busy_ticks); n1=$(proc_ticks "$pid"); s1=$(proc_ticks $$ with-children)
        line=$(grep '^RESULT ' "$out") || die "no result from wrk: $(tail -5 "$out")"
        # shellcheck disable=SC2086 # key=value words
        local requests duration_us p50_us p99_us max_us mean_us non2xx socket_errors
        eval "${line#RESULT }"
        local secs rs nodec wrkc oth
        secs=$(awk -v d="$duration_us" 'BEGIN { printf "%.3f", d / 1e6 }')
        rs=$(awk -v n="$requests" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
        nodec=$(awk -v t=$((n1 - n0)) -v k="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", t / k / s }')
        wrkc=$(awk -v t=$((s1 - s0)) -v k="$CLK_TCK" -v s="$secs" 'BEGIN { printf "%.2f", t / k / s }')
        oth=$(awk -v t=$((b1 - b0 - (n1 - n0) - (s1 - s0))) -v k="$CLK_TCK" -v s="$secs" \
            'BEGIN { v = t / k / s; if (v < 0) v = 0; printf "%.2f", v }')
        if [[ -n $NOISE_MAX ]] && awk -v o="$oth" -v m="$NOISE_MAX" 'BEGIN { exit !(o > m) }'; then
            if ((try < NOISE_RETRIES)); then
                try=$((try + 1))
                log "$label round $r: $rs req/s discarded: other load $oth CPUs > $NOISE_MAX (retry $try)"
                r=$((r - 1))
                continue
            fi
            oth="$oth (noisy)"
        fi
        try=0
        rps+=("$rs"); p50+=("$p50_us"); p99+=("$p99_us"); cpu+=("$nodec"); wrkcpu+=("$wrkc"); other+=("${oth%% *}")
        ROWS+=("$(printf '| %s | %d | %d | %.2f | %.2f | %.1f | %d | %d | %s | %s | %s | %s |' "$label" "$r" "$rs" \
            "$(awk -v v="$p50_us" 'BEGIN { print v / 1000 }')" "$(awk -v v="$p99_us" 'BEGIN { print v / 1000 }')" \
            "$(awk -v v="$max_us" 'BEGIN { print v / 1000 }')" "$non2xx" "$socket_errors" "$nodec" "$wrkc" "$oth" \
            "$(rss_mb "$pid")")")
        log "$label round $r: $rs req/s, p50 ${p50_us} us, p99 ${p99_us} us, non-2xx $non2xx, errors $socket_errors, node CPU $nodec, wrk CPU $wrkc, other $oth"
    done
    MEDIANS+=("$(printf '| %s | %.0f (%s–%s) | %.2f | %.2f | %.2f | %.2f | %.2f | %s |' "$label" \
        "$(median "${rps[@]}")" "$(minv "${rps[@]}")" "$(maxv "${rps[@]}")" \
        "$(awk -v v="$(median "${p50[@]}")" 'BEGIN { print v / 1000 }')" \
        "$(awk -v v="$(median "${p99[@]}")" 'BEGIN { print v / 1000 }')" \
        "$(median "${cpu[@]}")" "$(median "${wrkcpu[@]}")" "$(median "${other[@]}")" "$(rss_mb "$pid")")")
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m }'; }
minv() { printf '%s\n' "$@" | sort -g | head -1; }
maxv() { printf '%s\n' "$@" | sort -g | tail -1; }

tcp_open() { { : <>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the node ----------------------------------------------------------------
tcp_open "$PORT" && die "port $PORT is in use"
log "starting the node: java $JAVA_OPTS -jar $JAR start --data-dir $TMP/data --http-port $PORT"
# shellcheck disable=SC2086 # JAVA_OPTS is a word list
setsid java $JAVA_OPTS -jar "$JAR" start --data-dir "$TMP/data" --http-port "$PORT" >"$TMP/node.log" 2>&1 </dev/null &
CUR_PID=$!
NODE_URL="http://127.0.0.1:$PORT/api/v1/health"
python3 "$SCRIPT_DIR/wait-http-200.py" "$NODE_URL" "$CUR_PID" 60 >/dev/null ||
    die "the node did not become healthy: $(tail -5 "$TMP/node.log")"
python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
    "$NODE_URL" >"$TMP/health.json"
BODY_BYTES=$(wc -c <"$TMP/health.json")
log "node up (pid $CUR_PID); health body $BODY_BYTES bytes"
measure sliceplane "$NODE_URL" "$CUR_PID"
stop_group

# --- the reference server -----------------------------------------------------
if [[ $PEER == 1 ]]; then
    tcp_open "$PEER_PORT" && die "port $PEER_PORT is in use"
    # nodelay: without it headers and body leave in two writes and Nagle's algorithm
    # meets delayed ACKs, capping each connection at ~25 requests/s.
    setsid java -XX:+UseSerialGC -Dsun.net.httpserver.nodelay=true "$SCRIPT_DIR/HealthPeer.java" "$PEER_PORT" "$TMP/health.json" >"$TMP/peer.log" 2>&1 </dev/null &
    CUR_PID=$!
    python3 "$SCRIPT_DIR/wait-http-200.py" "http://127.0.0.1:$PEER_PORT/api/v1/health" "$CUR_PID" 60 >/dev/null ||
        die "the reference server did not start: $(tail -5 "$TMP/peer.log")"
    measure "JDK HttpServer (reference)" "http://127.0.0.1:$PEER_PORT/api/v1/health" "$CUR_PID"
    stop_group
fi

# --- report --------------------------------------------------------------------
printf '# GET /api/v1/health under load\n\n'
printf 'wrk %s, %d threads, %d connections, %d s per round, %d rounds after a %d s warm-up; body %d bytes.\n' \
    "$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')" "$THREADS" "$CONNECTIONS" "$DURATION" "$REPEAT" "$WARMUP" "$BODY_BYTES"
printf 'Node: java %s -jar …/lib/dev.sliceplane.launcher.jar start (fresh data dir).\n\n' "$JAVA_OPTS"
printf '| target | req/s median (min–max) | p50 ms | p99 ms | server CPU (CPUs) | wrk CPU (CPUs) | other load (CPUs) | RSS MB at end |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
printf '%s\n' "${MEDIANS[@]}"
printf '\nPer round:\n\n'
printf '| target | round | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | server CPU | wrk CPU | other load | RSS MB |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
printf '%s\n' "${ROWS[@]}"
printf '\nMachine: %s CPUs (nproc), %s MB RAM, %s\n' "$(nproc)" \
    "$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)" "$(java -version 2>&1 | head -1)"
printf 'Date: %s; load average (1/5/15 min) %s before, %s after.\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n $NOISE_MAX ]] && printf 'Rounds with other load above %s CPUs were repeated (up to %s times in a row).\n' "$NOISE_MAX" "$NOISE_RETRIES"
printf 'CPU columns: utime+stime from /proc/<pid>/stat over each round, divided by its length; "other load" is all remaining busy CPU from /proc/stat.\n'
