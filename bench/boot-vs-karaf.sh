#!/usr/bin/env bash
# Boot-time benchmark: Sliceplane node vs. Apache Karaf (minimal distribution).
#
# For each runtime it measures, RUNS times each:
#   cold - empty data directory before every boot
#   warm - data directory left over from the previous boot
# "Boot time" is wall-clock time from process launch until the runtime is ready:
#   Karaf      - its SSH shell port (default 8101) accepts a TCP connection
#   Sliceplane - GET $NODE_HEALTH_URL returns HTTP 200, polled every
#                NODE_POLL_INTERVAL by bench/wait-http-200.py (python3,
#                http.client, no fork per probe: about 1 ms per probe
#                instead of ~29 ms for a curl fork+exec)
# Each process is stopped between runs (SIGTERM to its process group, wait,
# then SIGKILL), and the script waits for the port to close before the next run.
#
# Progress goes to stderr; figures and the final Markdown table go to stdout:
#   bench/boot-vs-karaf.sh > /tmp/boot.md
#
# Environment (all optional):
#   RUNS=5               boots per series (cold and warm, per runtime)
#   BOOT_TIMEOUT=60      seconds before a boot counts as failed
#   STOP_TIMEOUT=20      seconds between SIGTERM and SIGKILL
#   POLL_INTERVAL=0.01   seconds between Karaf readiness probes (TCP, no fork)
#   NODE_POLL_INTERVAL=0.005  seconds between Sliceplane health probes
#   KARAF_VERSION=       pin a Karaf version; empty = newest 4.4.x on Maven Central
#   KARAF_SSH_PORT=8101
#   MAVEN_REPO=https://repo1.maven.org/maven2
#   NODE_CMD             command that starts a Sliceplane node in the foreground,
#                        run with bash -c from the repository root. $TMP (this
#                        script's temp dir) and $NODE_DATA_DIR are exported, so
#                        single-quote them when you set NODE_CMD. Default:
#                        java -jar assembly/target/sliceplane/lib/dev.sliceplane.launcher.jar start --http-port 18080 --data-dir $TMP/data
#   NODE_DATA_DIR=$TMP/data   removed before every cold Sliceplane boot
#   NODE_HEALTH_URL=http://127.0.0.1:18080/api/v1/health
#   SKIP_KARAF=0 / SKIP_NODE=0   set to 1 to leave a runtime out
#   NOISE_MAX=           if set (in CPUs, e.g. 0.25): a boot during which other
#                        processes used more CPU than this is discarded and
#                        repeated, up to NOISE_RETRIES=5 times per boot (after
#                        that it is kept and marked noisy)
#   KEEP_TMP=0           set to 1 to keep the temp dir (logs, unpacked Karaf)
#   JAVA_HOME            used if it is a JDK 17; otherwise a JDK 17 is looked for
#                        under /usr/lib/jvm
#
# Downloaded Karaf tarballs are cached in bench/.cache/ (git-ignored).

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CACHE_DIR="$SCRIPT_DIR/.cache"

RUNS=${RUNS:-5}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-20}
POLL_INTERVAL=${POLL_INTERVAL:-0.01}
NODE_POLL_INTERVAL=${NODE_POLL_INTERVAL:-0.005}
KARAF_VERSION=${KARAF_VERSION:-}
KARAF_SSH_PORT=${KARAF_SSH_PORT:-8101}
MAVEN_REPO=${MAVEN_REPO:-https://repo1.maven.org/maven2}
NODE_HEALTH_URL=${NODE_HEALTH_URL:-http://127.0.0.1:18080/api/v1/health}
SKIP_KARAF=${SKIP_KARAF:-0}
SKIP_NODE=${SKIP_NODE:-0}
KEEP_TMP=${KEEP_TMP:-0}
NOISE_MAX=${NOISE_MAX:-}
NOISE_RETRIES=${NOISE_RETRIES:-5}

# Single-quoted on purpose: $TMP is expanded by the bash -c that runs the command.
# shellcheck disable=SC2016
NODE_CMD_DEFAULT='java -jar assembly/target/sliceplane/lib/dev.sliceplane.launcher.jar start --http-port 18080 --data-dir $TMP/data'
NODE_CMD=${NODE_CMD:-$NODE_CMD_DEFAULT}
NODE_LAUNCHER_JAR="$REPO_ROOT/assembly/target/sliceplane/lib/dev.sliceplane.launcher.jar"
HTTP_WAITER="$SCRIPT_DIR/wait-http-200.py"
[[ -r $HTTP_WAITER ]] || { printf '[bench] ERROR: %s is missing\n' "$HTTP_WAITER" >&2; exit 1; }

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ $BOOT_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "BOOT_TIMEOUT must be a positive integer (got '$BOOT_TIMEOUT')"
[[ $STOP_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "STOP_TIMEOUT must be a positive integer (got '$STOP_TIMEOUT')"
[[ -z $NOISE_MAX || $NOISE_MAX =~ ^[0-9]*\.?[0-9]+$ ]] || die "NOISE_MAX must be a number of CPUs (got '$NOISE_MAX')"
[[ $NOISE_RETRIES =~ ^[0-9]+$ ]] || die "NOISE_RETRIES must be a non-negative integer (got '$NOISE_RETRIES')"
(( BASH_VERSINFO[0] >= 5 )) || die "bash >= 5 is required (uses \$EPOCHREALTIME)"
for tool in curl tar setsid sort awk python3; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done

# ---------------------------------------------------------------------------
# Temp dir and cleanup
# ---------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sliceplane-bench.XXXXXX")
export TMP
NODE_DATA_DIR=${NODE_DATA_DIR:-$TMP/data}
export NODE_DATA_DIR
LOG_DIR="$TMP/logs"
mkdir -p "$LOG_DIR"

CUR_PID=""      # process-group leader of the runtime currently running, if any

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CUR_PID ]]; then
        log "stopping leftover process group $CUR_PID"
        STOP_TIMEOUT=5 stop_proc || true
    fi
    if [[ $KEEP_TMP == 1 ]]; then
        log "kept temp dir $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# Low-overhead timing and polling helpers (no forks in the hot loop)
# ---------------------------------------------------------------------------
NOW_US=0
now_us() { NOW_US=${EPOCHREALTIME/[.,]/}; }

# read -t on a pipe nobody writes to: sleeps without forking a sleep(1).
exec {NAP_FD}<> <(:)
nap() { read -r -t "${1:-$POLL_INTERVAL}" -u "$NAP_FD" _ || true; }

# true if something accepts TCP connections on 127.0.0.1:$1 (bash builtin, no fork)
tcp_open() { { : <>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; }

# true if PID $1 exists and is not a zombie
proc_alive() {
    local stat
    [[ -r /proc/$1/stat ]] || return 1
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# true if any non-zombie process is in process group $1
group_alive() {
    local f stat state _ppid pgrp
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r state _ppid pgrp _ <<<"$stat"
        [[ $pgrp == "$1" && $state != Z ]] && return 0
    done
    return 1
}

# launch <cwd> <logfile> <cmd...>: start cmd in a new session/process group.
# setsid does not fork here (the subshell is not a group leader), so $! is the
# group leader and "kill -- -$!" reaches the whole tree.
launch() {
    local dir=$1 logf=$2
    shift 2
    ( cd "$dir" && exec {NAP_FD}>&- && exec setsid "$@" ) >"$logf" 2>&1 </dev/null &
    CUR_PID=$!
}

# stop_proc: SIGTERM the current process group, wait up to STOP_TIMEOUT, then SIGKILL.
stop_proc() {
    local pid=$CUR_PID
    [[ -n $pid ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT)) killed=0
    while group_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            if ((killed)); then
                log "WARNING: process group $pid survived SIGKILL; giving up on it"
                break
            fi
            log "process group $pid ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL -- "-$pid" 2>/dev/null || true
            killed=1
            deadline=$((SECONDS + 10))
        fi
        nap 0.05
    done
    wait "$pid" 2>/dev/null || true
    CUR_PID=""
}

wait_port_closed() {
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while tcp_open "$1"; do
        ((SECONDS < deadline)) || { log "WARNING: port $1 still open after stop"; return 1; }
        nap 0.05
    done
}

# wait_ready <probe-fn>: 0 = ready (READY_US set), 1 = timeout, 2 = process died
READY_US=0
wait_ready() {
    local probe=$1 deadline
    now_us
    deadline=$((NOW_US + BOOT_TIMEOUT * 1000000))
    while :; do
        if "$probe"; then
            now_us
            READY_US=$NOW_US
            return 0
        fi
        proc_alive "$CUR_PID" || return 2
        now_us
        ((NOW_US < deadline)) || return 1
        nap
    done
}

# wait_http_200: the node's waiter; same contract as wait_ready (READY_US, 0/1/2).
# The poller runs in Python so each probe is one connect+GET (~1 ms), not a
# curl fork+exec (~29 ms). Its timestamp is CLOCK_REALTIME, like $EPOCHREALTIME.
wait_http_200() {
    local out rc=0
    out=$(python3 "$HTTP_WAITER" "$NODE_HEALTH_URL" "$CUR_PID" "$BOOT_TIMEOUT" "$NODE_POLL_INTERVAL") || rc=$?
    ((rc == 0)) && READY_US=$out
    ((rc <= 2)) || rc=1
    return "$rc"
}

# CPU accounting, to tell a quiet boot from one that shared the CPUs with
# other work. All in clock ticks read from /proc (no forks).
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
MS_PER_TICK=$((1000 / CLK_TCK))
machine_busy_ticks() { # busy ticks of all CPUs: user nice system irq softirq steal
    local _cpu user nice system idle iowait irq softirq steal _
    read -r _cpu user nice system idle iowait irq softirq steal _ </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}
proc_ticks() { # <pid> [with-children]: utime+stime (+cutime+cstime) of one process
    local stat f
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    # after "pid (comm) ": f[11]=utime f[12]=stime f[13]=cutime f[14]=cstime
    if [[ ${2:-} == with-children ]]; then
        echo $((f[11] + f[12] + f[13] + f[14]))
    else
        echo $((f[11] + f[12]))
    fi
}
group_ticks() { # <pgid>: CPU of the live processes of a process group (+ their reaped children)
    local f stat sum=0 a
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r -a a <<<"$stat"
        [[ ${a[2]} == "$1" ]] && sum=$((sum + a[11] + a[12] + a[13] + a[14]))
    done
    echo "$sum"
}

# boot_once <name> <cwd> <logfile> <waiter-fn> <port> <cmd...>
# Sets BOOT_MS, BOOT_CPU_MS (CPU the runtime used until ready) and OTHER_MCPU
# (CPU used meanwhile by everything else but this script and its poller, in
# thousandths of a CPU).
BOOT_MS=0 BOOT_CPU_MS=0 OTHER_MCPU=0
boot_once() {
    local name=$1 dir=$2 logf=$3 waiter=$4 port=$5 t0 rc=0 busy0 self0 busy1 self1 grp elapsed_ms
    shift 5
    if tcp_open "$port"; then
        log "ERROR: port $port is already in use before starting $name"
        return 3
    fi
    busy0=$(machine_busy_ticks)
    self0=$(proc_ticks $$ with-children)
    now_us
    t0=$NOW_US
    launch "$dir" "$logf" "$@"
    "$waiter" || rc=$?
    if ((rc == 0)); then
        BOOT_MS=$(((READY_US - t0 + 500) / 1000))
        busy1=$(machine_busy_ticks)
        self1=$(proc_ticks $$ with-children)
        grp=$(group_ticks "$CUR_PID")
        BOOT_CPU_MS=$((grp * MS_PER_TICK))
        elapsed_ms=$(((READY_US - t0) / 1000 + 1))
        OTHER_MCPU=$(((busy1 - busy0 - grp - (self1 - self0)) * MS_PER_TICK * 1000 / elapsed_ms))
        ((OTHER_MCPU >= 0)) || OTHER_MCPU=0
    fi
    stop_proc
    wait_port_closed "$port" || true
    case $rc in
        0) return 0 ;;
        1) log "ERROR: $name not ready within ${BOOT_TIMEOUT}s" ;;
        2) log "ERROR: $name exited before becoming ready" ;;
    esac
    log "last lines of $logf:"
    tail -n 20 "$logf" | sed 's/^/    /' >&2 || true
    return "$rc"
}

# run_series <label> <cold|warm> <reset-fn> <cwd> <waiter-fn> <port> <cmd...>
# Runs RUNS boots; stores the figures in SERIES (ms), the runtime's CPU in
# SERIES_CPU (ms) and the other processes' load in SERIES_OTHER (milli-CPUs).
SERIES=() SERIES_CPU=() SERIES_OTHER=()
NOISE_MAX_MCPU=""
[[ -n $NOISE_MAX ]] && NOISE_MAX_MCPU=$(awk -v n="$NOISE_MAX" 'BEGIN { printf "%d", n * 1000 }')
run_series() {
    local label=$1 mode=$2 reset=$3 dir=$4 waiter=$5 port=$6 i try note
    shift 6
    SERIES=() SERIES_CPU=() SERIES_OTHER=()
    for ((i = 1; i <= RUNS; i++)); do
        for ((try = 0; ; try++)); do
            [[ $mode == cold ]] && "$reset"
            boot_once "$label" "$dir" "$LOG_DIR/${label// /_}-$mode-$i.log" "$waiter" "$port" "$@" || return 1
            note=""
            [[ -n $NOISE_MAX_MCPU ]] && ((OTHER_MCPU > NOISE_MAX_MCPU)) || break
            if ((try >= NOISE_RETRIES)); then
                note=" (noisy, kept after $NOISE_RETRIES retries)"
                break
            fi
            log "$label $mode #$i: ${BOOT_MS} ms discarded: other load $(mcpu "$OTHER_MCPU") CPUs > $NOISE_MAX"
        done
        SERIES+=("$BOOT_MS")
        SERIES_CPU+=("$BOOT_CPU_MS")
        SERIES_OTHER+=("$OTHER_MCPU")
        log "$label $mode #$i: ${BOOT_MS} ms, CPU ${BOOT_CPU_MS} ms, other load $(mcpu "$OTHER_MCPU") CPUs$note"
        printf '%s %s run %d: %d ms (CPU %d ms, other load %s CPUs)%s\n' "$label" "$mode" "$i" "$BOOT_MS" \
            "$BOOT_CPU_MS" "$(mcpu "$OTHER_MCPU")" "$note"
    done
}
mcpu() { printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10)); }

# stats <n...> -> "median min max" (median rounded to whole ms)
stats() {
    printf '%s\n' "$@" | sort -n | awk '
        { a[NR] = $1 }
        END {
            m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "%.0f %d %d\n", m, a[1], a[NR]
        }'
}

# ---------------------------------------------------------------------------
# JDK 17
# ---------------------------------------------------------------------------
is_jdk17() {
    local out
    [[ -n $1 && -x $1/bin/java ]] || return 1
    out=$("$1/bin/java" -version 2>&1) || return 1
    [[ $out =~ version\ \"17[.\"] ]]
}
pick_jdk17() {
    local c
    for c in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk* \
        /usr/lib/jvm/*17*; do
        if is_jdk17 "$c"; then
            JAVA_HOME=$(cd "$c" && pwd -P)
            return 0
        fi
    done
    return 1
}
if [[ -n ${JAVA_HOME:-} ]] && ! is_jdk17 "$JAVA_HOME"; then
    log "JAVA_HOME=$JAVA_HOME is not a JDK 17; looking for one"
fi
pick_jdk17 || die "no JDK 17 found (set JAVA_HOME)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
JAVA_VERSION_LINE=$("$JAVA_HOME/bin/java" -version 2>&1 | awk 'NR == 1')
log "JAVA_HOME=$JAVA_HOME ($JAVA_VERSION_LINE)"

# ---------------------------------------------------------------------------
# Karaf
# ---------------------------------------------------------------------------
KARAF_BASE_URL="$MAVEN_REPO/org/apache/karaf/apache-karaf-minimal"
KARAF_TARBALL=""

karaf_download() { # <version> -> 0 if the tarball is (now) in the cache
    local v=$1 f="$CACHE_DIR/apache-karaf-minimal-$1.tar.gz" url expected actual
    [[ -s $f ]] && return 0
    url="$KARAF_BASE_URL/$v/apache-karaf-minimal-$v.tar.gz"
    log "downloading $url"
    mkdir -p "$CACHE_DIR"
    if ! curl -fsSL --retry 2 --connect-timeout 15 --max-time 600 -o "$f.part" "$url"; then
        rm -f "$f.part"
        log "download of Karaf $v failed"
        return 1
    fi
    expected=$(curl -fsSL --connect-timeout 15 --max-time 60 "$url.sha1" 2>/dev/null | awk '{print $1; exit}') || expected=""
    if [[ -n $expected ]] && command -v sha1sum >/dev/null; then
        actual=$(sha1sum "$f.part" | awk '{print $1}')
        if [[ $actual != "$expected" ]]; then
            rm -f "$f.part"
            log "SHA-1 mismatch for Karaf $v (expected $expected, got $actual)"
            return 1
        fi
    else
        log "WARNING: could not verify the SHA-1 of Karaf $v"
    fi
    mv "$f.part" "$f"
}

karaf_fetch() {
    local candidates=() v meta
    if [[ -n $KARAF_VERSION ]]; then
        candidates=("$KARAF_VERSION")
    else
        if meta=$(curl -fsSL --connect-timeout 15 --max-time 60 "$KARAF_BASE_URL/maven-metadata.xml"); then
            mapfile -t candidates < <(grep -o '<version>4\.4\.[0-9]*</version>' <<<"$meta" |
                sed 's/<[^>]*>//g' | sort -V -r)
        fi
        if ((${#candidates[@]} == 0)); then
            log "could not list Karaf versions on $MAVEN_REPO; using the newest cached 4.4.x"
            mapfile -t candidates < <(find "$CACHE_DIR" -maxdepth 1 -name 'apache-karaf-minimal-4.4.*.tar.gz' \
                -printf '%f\n' 2>/dev/null | sed 's/^apache-karaf-minimal-//; s/\.tar\.gz$//' | sort -V -r)
        fi
    fi
    for v in "${candidates[@]}"; do
        if karaf_download "$v"; then
            KARAF_VERSION=$v
            KARAF_TARBALL="$CACHE_DIR/apache-karaf-minimal-$v.tar.gz"
            return 0
        fi
    done
    return 1
}

karaf_set() { # <file> <key> <value>: replace "key = ..." (or append it)
    local file=$1 key=$2 value=$3
    if grep -qE "^[[:space:]]*$key[[:space:]]*=" "$file"; then
        sed -i -E "s|^[[:space:]]*$key[[:space:]]*=.*|$key = $value|" "$file"
    else
        printf '%s = %s\n' "$key" "$value" >>"$file"
    fi
    grep -qE "^$key = $value\$" "$file" || die "could not set $key in $file"
}

KARAF_HOME=""
karaf_prepare() {
    karaf_fetch || die "could not obtain an Apache Karaf minimal 4.4.x tarball"
    log "unpacking $(basename "$KARAF_TARBALL")"
    tar -xzf "$KARAF_TARBALL" -C "$TMP"
    KARAF_HOME="$TMP/apache-karaf-minimal-$KARAF_VERSION"
    [[ -x $KARAF_HOME/bin/karaf ]] || die "unexpected tarball layout: no $KARAF_HOME/bin/karaf"
    # SSH shell: loopback only, configured port.
    karaf_set "$KARAF_HOME/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    karaf_set "$KARAF_HOME/etc/org.apache.karaf.shell.cfg" sshPort "$KARAF_SSH_PORT"
    # bin/karaf refuses to start if it believes a root instance is still running;
    # our own stop logic guarantees there is none.
    export CHECK_ROOT_INSTANCE_RUNNING=false
}
karaf_reset() { rm -rf "$KARAF_HOME/data"; }
karaf_probe() { tcp_open "$KARAF_SSH_PORT"; }
karaf_wait() { wait_ready karaf_probe; }

# ---------------------------------------------------------------------------
# Sliceplane
# ---------------------------------------------------------------------------
if [[ $NODE_HEALTH_URL =~ ^https?://[^/:]+:([0-9]+) ]]; then
    NODE_PORT=${NODE_PORT:-${BASH_REMATCH[1]}}
elif [[ $NODE_HEALTH_URL == https://* ]]; then
    NODE_PORT=${NODE_PORT:-443}
else
    NODE_PORT=${NODE_PORT:-80}
fi
node_reset() { rm -rf "$NODE_DATA_DIR"; }
probe_cost_ms() { # average wall time of one Python probe of a closed port, for the report
    python3 - "$NODE_HEALTH_URL" <<'PY'
import http.client, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
n = 200
t0 = time.perf_counter()
for _ in range(n):
    c = http.client.HTTPConnection(u.hostname, 1, timeout=2)
    try:
        c.request("GET", "/")
    except OSError:
        pass
    finally:
        c.close()
print(f"{(time.perf_counter() - t0) / n * 1000:.2f}")
PY
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
K_COLD="" K_WARM="" N_COLD="" N_WARM=""
K_COLD_CPU="" K_WARM_CPU="" N_COLD_CPU="" N_WARM_CPU=""
K_COLD_OTHER="" K_WARM_OTHER="" N_COLD_OTHER="" N_WARM_OTHER=""
KARAF_LABEL="karaf"
NODE_NOTE=""

loadavg() { awk '{ print $1, $2, $3 }' /proc/loadavg 2>/dev/null || echo n/a; }
LOAD_BEFORE=$(loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 >= n / 2) }' 2>/dev/null; then
    log "WARNING: load average is $LOAD_BEFORE on $(nproc) CPUs; other work will skew the figures"
fi

printf '# Boot benchmark, %d runs per series\n\n' "$RUNS"

if [[ $SKIP_KARAF == 1 ]]; then
    log "SKIP_KARAF=1: not measuring Karaf"
else
    karaf_prepare
    KARAF_LABEL="Apache Karaf $KARAF_VERSION (minimal)"
    log "measuring $KARAF_LABEL in $KARAF_HOME (ready = 127.0.0.1:$KARAF_SSH_PORT accepts TCP)"
    run_series karaf cold karaf_reset "$KARAF_HOME" karaf_wait "$KARAF_SSH_PORT" "$KARAF_HOME/bin/karaf" server ||
        die "Karaf cold boot failed"
    K_COLD=$(stats "${SERIES[@]}") K_COLD_CPU=$(stats "${SERIES_CPU[@]}") K_COLD_OTHER=$(stats "${SERIES_OTHER[@]}")
    # The last cold boot left data/ populated: warm boots reuse it.
    run_series karaf warm karaf_reset "$KARAF_HOME" karaf_wait "$KARAF_SSH_PORT" "$KARAF_HOME/bin/karaf" server ||
        die "Karaf warm boot failed"
    K_WARM=$(stats "${SERIES[@]}") K_WARM_CPU=$(stats "${SERIES_CPU[@]}") K_WARM_OTHER=$(stats "${SERIES_OTHER[@]}")
fi

if [[ $SKIP_NODE == 1 ]]; then
    NODE_NOTE="skipped (SKIP_NODE=1)"
elif [[ $NODE_CMD == "$NODE_CMD_DEFAULT" && ! -f $NODE_LAUNCHER_JAR ]]; then
    NODE_NOTE="skipped: distribution not built ($NODE_LAUNCHER_JAR missing; build it, or set NODE_CMD)"
else
    log "measuring Sliceplane: $NODE_CMD (ready = $NODE_HEALTH_URL returns 200)"
    if run_series sliceplane cold node_reset "$REPO_ROOT" wait_http_200 "$NODE_PORT" bash -c "$NODE_CMD"; then
        N_COLD=$(stats "${SERIES[@]}") N_COLD_CPU=$(stats "${SERIES_CPU[@]}") N_COLD_OTHER=$(stats "${SERIES_OTHER[@]}")
        if run_series sliceplane warm node_reset "$REPO_ROOT" wait_http_200 "$NODE_PORT" bash -c "$NODE_CMD"; then
            N_WARM=$(stats "${SERIES[@]}") N_WARM_CPU=$(stats "${SERIES_CPU[@]}") N_WARM_OTHER=$(stats "${SERIES_OTHER[@]}")
        else
            NODE_NOTE="warm boot failed (see messages above)"
        fi
    else
        NODE_NOTE="cold boot failed (see messages above)"
    fi
fi
[[ -n $NODE_NOTE ]] && log "Sliceplane: $NODE_NOTE"

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
median_of() { [[ -n $1 ]] && printf '%s' "${1%% *}" || printf 'n/a'; }
describe() { # <label> <mode> <"median min max"> <cpu stats> <other-load stats>
    local med min max cmed omed omax
    [[ -n $3 ]] || return 0
    read -r med min max <<<"$3"
    read -r cmed _ <<<"$4"
    read -r omed _ omax <<<"$5"
    printf -- '- %s %s: median %d ms (min %d, max %d); CPU to ready median %d ms; other load median %s CPUs (max %s)\n' \
        "$1" "$2" "$med" "$min" "$max" "$cmed" "$(mcpu "$omed")" "$(mcpu "$omax")"
}
ratio() { # <sliceplane stats> <karaf stats>
    if [[ -n $1 && -n $2 ]]; then
        awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'
    else
        printf 'n/a'
    fi
}

NODE_LABEL="Sliceplane"
[[ -n $NODE_NOTE ]] && NODE_LABEL="Sliceplane (${NODE_NOTE%%:*})"

printf '\n## Summary\n\n'
describe "$KARAF_LABEL" cold "$K_COLD" "$K_COLD_CPU" "$K_COLD_OTHER"
describe "$KARAF_LABEL" warm "$K_WARM" "$K_WARM_CPU" "$K_WARM_OTHER"
describe Sliceplane cold "$N_COLD" "$N_COLD_CPU" "$N_COLD_OTHER"
describe Sliceplane warm "$N_WARM" "$N_WARM_CPU" "$N_WARM_OTHER"
[[ -n $NODE_NOTE ]] && printf -- '- Sliceplane: %s\n' "$NODE_NOTE"

printf '\n| runtime | cold median ms | warm median ms |\n'
printf '|---|---:|---:|\n'
[[ $SKIP_KARAF == 1 ]] || printf '| %s | %s | %s |\n' "$KARAF_LABEL" "$(median_of "$K_COLD")" "$(median_of "$K_WARM")"
printf '| %s | %s | %s |\n' "$NODE_LABEL" "$(median_of "$N_COLD")" "$(median_of "$N_WARM")"
printf '\n| runtime | mode | median ms | min ms | max ms | CPU to ready (median ms) | other load (median CPUs) |\n'
printf '|---|---|---:|---:|---:|---:|---:|\n'
row() { # <label> <mode> <stats> <cpu> <other>
    local med min max
    [[ -n $3 ]] || return 0
    read -r med min max <<<"$3"
    printf '| %s | %s | %d | %d | %d | %d | %s |\n' "$1" "$2" "$med" "$min" "$max" "${4%% *}" "$(mcpu "${5%% *}")"
}
row "$KARAF_LABEL" cold "$K_COLD" "$K_COLD_CPU" "$K_COLD_OTHER"
row "$KARAF_LABEL" warm "$K_WARM" "$K_WARM_CPU" "$K_WARM_OTHER"
row Sliceplane cold "$N_COLD" "$N_COLD_CPU" "$N_COLD_OTHER"
row Sliceplane warm "$N_WARM" "$N_WARM_CPU" "$N_WARM_OTHER"
printf '\nRatio Sliceplane/Karaf (median): cold %s, warm %s\n' "$(ratio "$N_COLD" "$K_COLD")" "$(ratio "$N_WARM" "$K_WARM")"

CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
printf '\nMachine: %s CPUs (nproc)%s, %s, %s\n' "$(nproc)" "${CPU_MODEL:+, $CPU_MODEL}" "$(uname -sr)" "$JAVA_VERSION_LINE"
printf 'Date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf 'Load average (1/5/15 min): %s before, %s after\n' "$LOAD_BEFORE" "$(loadavg)"
printf 'Method: %d runs per series; time from process launch to readiness. ' "$RUNS"
printf '"CPU to ready" = user+system time of the runtime'"'"'s process group at readiness; '
printf '"other load" = CPU used meanwhile by all other processes (not this script or its poller), from /proc/stat%s. ' \
    "${NOISE_MAX:+; boots with other load above $NOISE_MAX CPUs were repeated (up to $NOISE_RETRIES times)}"
printf 'Karaf ready = SSH port %s accepts TCP (bash /dev/tcp probe, no fork); ' "$KARAF_SSH_PORT"
printf 'Karaf poll interval %ss. ' "$POLL_INTERVAL"
printf 'Sliceplane ready = %s returns 200 (bench/wait-http-200.py: http.client GET every %ss' "$NODE_HEALTH_URL" "$NODE_POLL_INTERVAL"
if [[ -n $N_COLD ]]; then
    printf '; a refused probe costs ~%s ms' "$(probe_cost_ms)"
fi
printf ').\n'
printf 'Sliceplane command: %s\n' "$NODE_CMD"
