#!/usr/bin/env bash
# Peer benchmark: replacing a service implementation in Apache Karaf with
# `bundle:update` while a Declarative Services consumer calls it in a loop.
#
# What it does, in a throw-away Karaf minimal (default 4.4.8) on 127.0.0.1:
#   1. builds a tiny consumer bundle from bench/karaf-update/src with javac +
#      bndlib (from ~/.m2): a DS component with a dynamic, greedy, optional
#      reference to dev.sliceplane.it.bundles.greeter.api.Greeter that calls
#      it in a tight loop (THREADS threads) and counts good calls, calls that
#      found no service and calls that threw, plus every outage (last good call
#      before a failure -> next good call, System.nanoTime). It also registers
#      the Gogo commands bench:mark LABEL (prints a nanoTime stamp, the
#      counters and the outages / bind events since the previous mark) and
#      bench:pause MS;
#   2. starts Karaf, `feature:install scr` (falls back to the Felix SCR
#      bundles from ~/.m2 if the feature cannot be installed), installs the
#      api, the `a` implementation and the consumer;
#   3. runs in ONE Karaf shell session (bin/client -b):
#        bench:mark pre-i ; bundle:update <id-of-a> file:.../it.greeter.b.jar ;
#        bench:mark post-i ; bench:pause SETTLE_MS ; bench:mark settle-i
#      alternating b and a, WARMUP + SWAPS times, after CALIBRATIONS pairs of
#      back-to-back marks (the cost of the marks themselves);
#   4. prints p50/p99/max per swap and totals (bench/karaf-update/analyze.py).
#
# "bundle:update duration" = post-i minus pre-i, i.e. measured inside Karaf
# around the shell command (it includes one shell-statement dispatch, see the
# calibration row). The gap is measured by the load threads themselves.
# Whether the consumer bundle was restarted or refreshed is shown by its
# component activation count and the number of class loaders it ran in
# (counters live in java.* objects in the system properties, so they survive
# a refresh).
#
# Progress goes to stderr; the summary (Markdown) goes to stdout:
#   bench/karaf-update.sh > /tmp/karaf-update.md
#
# Environment (all optional):
#   SWAPS=100          measured bundle:update calls (alternating a->b, b->a)
#   WARMUP=6           unmeasured swaps first (JIT, class loading)
#   CALIBRATIONS=20    back-to-back bench:mark pairs
#   SETTLE_MS=250      pause after each bundle:update before the next one
#   THREADS=1          load threads in the consumer
#   REFRESH=0          1 = bundle:update --refresh (Karaf refreshes the bundle after updating it)
#   RAW=0              1 = bundle:update --raw (skip Karaf's rewrite of the jar
#                      to add a Bundle-UpdateLocation header)
#   GREETER_DIR=/tmp/greeter-jars   it.greeter.{api,a,b}.jar
#   KARAF_VERSION=4.4.8             tarball bench/.cache/apache-karaf-minimal-$KARAF_VERSION.tar.gz
#                                   (downloaded from MAVEN_REPO if missing)
#   KARAF_SSH_PORT=28701
#   MAVEN_REPO=https://repo1.maven.org/maven2
#   M2_REPO=~/.m2/repository        bndlib, OSGi API jars, SCR fallback bundles
#   BOOT_TIMEOUT=120 FEATURE_TIMEOUT=300 STOP_TIMEOUT=20   seconds
#   QUIET_MAX=         if set (CPUs, e.g. 0.2): before the swaps, wait up to
#                      QUIET_WAIT=600 s until other processes use at most that much CPU
#   KEEP_TMP=0         1 = keep the temp dir (Karaf, logs, raw output, per-swap CSV)
#   JAVA_HOME          a JDK 17 (default: looked for under /usr/lib/jvm)
#
# Exit status: 0 if every swap was measured and ended bound to the expected
# implementation; 1 otherwise.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HELPER_DIR="$SCRIPT_DIR/karaf-update"
CACHE_DIR="$SCRIPT_DIR/.cache"

SWAPS=${SWAPS:-100}
WARMUP=${WARMUP:-6}
CALIBRATIONS=${CALIBRATIONS:-20}
SETTLE_MS=${SETTLE_MS:-250}
THREADS=${THREADS:-1}
REFRESH=${REFRESH:-0}
RAW=${RAW:-0}
GREETER_DIR=${GREETER_DIR:-/tmp/greeter-jars}
KARAF_VERSION=${KARAF_VERSION:-4.4.8}
KARAF_SSH_PORT=${KARAF_SSH_PORT:-28701}
MAVEN_REPO=${MAVEN_REPO:-https://repo1.maven.org/maven2}
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
FEATURE_TIMEOUT=${FEATURE_TIMEOUT:-300}
STOP_TIMEOUT=${STOP_TIMEOUT:-20}
KEEP_TMP=${KEEP_TMP:-0}
QUIET_MAX=${QUIET_MAX:-}
QUIET_WAIT=${QUIET_WAIT:-600}

log() { printf '[karaf-update] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for v in SWAPS WARMUP CALIBRATIONS SETTLE_MS THREADS BOOT_TIMEOUT FEATURE_TIMEOUT STOP_TIMEOUT KARAF_SSH_PORT QUIET_WAIT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done
((SWAPS > 0 && THREADS > 0)) || die "SWAPS and THREADS must be positive"
[[ -z $QUIET_MAX || $QUIET_MAX =~ ^[0-9]*\.?[0-9]+$ ]] || die "QUIET_MAX must be a number of CPUs (got '$QUIET_MAX')"
((WARMUP % 2 == 0)) || die "WARMUP must be even (swaps alternate a->b, b->a)"
(( BASH_VERSINFO[0] >= 5 )) || die "bash >= 5 is required"
for tool in tar setsid timeout python3 awk curl; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
for f in api a b; do
    [[ -r $GREETER_DIR/it.greeter.$f.jar ]] || die "missing $GREETER_DIR/it.greeter.$f.jar"
done
[[ -r $HELPER_DIR/analyze.py && -r $HELPER_DIR/BndBuild.java && -d $HELPER_DIR/src ]] ||
    die "helper files missing under $HELPER_DIR"

# ---------------------------------------------------------------------------
# JDK 17
# ---------------------------------------------------------------------------
is_jdk17() {
    [[ -n $1 && -x $1/bin/java && -x $1/bin/javac ]] || return 1
    [[ $("$1/bin/java" -version 2>&1) =~ version\ \"17[.\"] ]]
}
JDK=""
for c in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk* /usr/lib/jvm/*17*; do
    if is_jdk17 "$c"; then JDK=$(cd "$c" && pwd -P); break; fi
done
[[ -n $JDK ]] || die "no JDK 17 (with javac) found; set JAVA_HOME"
export JAVA_HOME=$JDK
export PATH="$JAVA_HOME/bin:$PATH"
JAVA_VERSION_LINE=$(java -version 2>&1 | head -n 1)
log "JAVA_HOME=$JAVA_HOME ($JAVA_VERSION_LINE)"

# ---------------------------------------------------------------------------
# Temp dir, Karaf process, cleanup
# ---------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/karaf-update.XXXXXX")
KARAF_PID=""   # process-group leader (started with setsid)

group_alive() { # true if a non-zombie process is in process group $1
    local f stat state _ppid pgrp
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r state _ppid pgrp _ <<<"$stat"
        [[ $pgrp == "$1" && $state != Z ]] && return 0
    done
    return 1
}
stop_karaf() {
    local pid=$KARAF_PID deadline
    [[ -n $pid ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while group_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            log "Karaf (process group $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL -- "-$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
    KARAF_PID=""
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $KARAF_PID ]]; then
        log "stopping Karaf (process group $KARAF_PID)"
        stop_karaf || true
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

tcp_open() { { : <>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; }

# CPU accounting in clock ticks from /proc, to tell a quiet run from one that
# shared the CPUs with other work.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
machine_busy_ticks() { # user nice system irq softirq steal, all CPUs
    local _cpu user nice system idle iowait irq softirq steal _
    read -r _cpu user nice system idle iowait irq softirq steal _ </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}
self_ticks() { # this script and its reaped descendants (bin/client JVMs)
    local stat f
    read -r stat </proc/$$/stat
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    echo $((f[11] + f[12] + f[13] + f[14]))
}
group_ticks() { # live processes of process group $1 (+ their reaped children)
    local f stat sum=0 a
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r -a a <<<"$stat"
        [[ ${a[2]} == "$1" ]] && sum=$((sum + a[11] + a[12] + a[13] + a[14]))
    done
    echo "$sum"
}

# ---------------------------------------------------------------------------
# 1. Consumer bundle (javac + bndlib)
# ---------------------------------------------------------------------------
m2() { # <group path> <artifact> <version>: path of a jar in the local Maven repo
    local f="$M2_REPO/$1/$2/$3/$2-$3.jar"
    [[ -r $f ]] || die "missing $f"
    printf '%s' "$f"
}
O=org/osgi
BND_CP="$(m2 biz/aQute/bnd biz.aQute.bndlib 7.1.0):$(m2 biz/aQute/bnd biz.aQute.bnd.util 7.1.0)"
BND_CP+=":$(m2 org/slf4j slf4j-api 1.7.36):$(m2 $O osgi.core 8.0.0):$(m2 $O osgi.annotation 8.1.0)"
BND_CP+=":$(m2 $O org.osgi.util.function 1.2.0):$(m2 $O org.osgi.util.promise 1.2.0)"
BND_CP+=":$(m2 $O org.osgi.service.repository 1.1.0):$(m2 $O org.osgi.service.log 1.3.0)"
BND_CP+=":$(m2 $O org.osgi.util.tracker 1.5.4)"
COMPILE_CP=("$(m2 $O osgi.core 8.0.0)" "$(m2 $O org.osgi.service.component.annotations 1.5.1)"
    "$GREETER_DIR/it.greeter.api.jar")
CONSUMER_JAR="$TMP/bench.karaf.consumer.jar"
log "building the consumer bundle"
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$(IFS=:; echo "${COMPILE_CP[*]}")" \
    "$HELPER_DIR"/src/bench/karaf/consumer/*.java || die "javac failed"
java -cp "$BND_CP" "$HELPER_DIR/BndBuild.java" "$CONSUMER_JAR" "$TMP/classes" \
    bench.karaf.consumer bench.karaf.consumer "${COMPILE_CP[@]}" 2> >(grep -v '^SLF4J' >&2) ||
    die "bnd failed"
[[ -s $CONSUMER_JAR ]] || die "bnd produced no bundle"

# ---------------------------------------------------------------------------
# 2. Karaf
# ---------------------------------------------------------------------------
KARAF_TARBALL="$CACHE_DIR/apache-karaf-minimal-$KARAF_VERSION.tar.gz"
if [[ ! -s $KARAF_TARBALL ]]; then
    url="$MAVEN_REPO/org/apache/karaf/apache-karaf-minimal/$KARAF_VERSION/apache-karaf-minimal-$KARAF_VERSION.tar.gz"
    log "downloading $url"
    mkdir -p "$CACHE_DIR"
    curl -fsSL --retry 2 --connect-timeout 15 --max-time 600 -o "$KARAF_TARBALL.part" "$url" ||
        { rm -f "$KARAF_TARBALL.part"; die "download failed"; }
    mv "$KARAF_TARBALL.part" "$KARAF_TARBALL"
fi
tar -xzf "$KARAF_TARBALL" -C "$TMP"
KARAF_HOME="$TMP/apache-karaf-minimal-$KARAF_VERSION"
[[ -x $KARAF_HOME/bin/karaf && -x $KARAF_HOME/bin/client ]] || die "unexpected tarball layout"

karaf_set() { # <file> <key> <value>
    if grep -qE "^[[:space:]]*$2[[:space:]]*=" "$1"; then
        sed -i -E "s|^[[:space:]]*$2[[:space:]]*=.*|$2 = $3|" "$1"
    else
        printf '%s = %s\n' "$2" "$3" >>"$1"
    fi
}
karaf_set "$KARAF_HOME/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
karaf_set "$KARAF_HOME/etc/org.apache.karaf.shell.cfg" sshPort "$KARAF_SSH_PORT"
# The minimal distribution ships without users: add one for bin/client (loopback only).
KARAF_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '\nbench = %s,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n' \
    "$KARAF_PW" >>"$KARAF_HOME/etc/users.properties"
printf '\nbench.threads = %s\n' "$THREADS" >>"$KARAF_HOME/etc/system.properties"
export CHECK_ROOT_INSTANCE_RUNNING=false

tcp_open "$KARAF_SSH_PORT" && die "port $KARAF_SSH_PORT is already in use"
log "starting Karaf $KARAF_VERSION (ssh 127.0.0.1:$KARAF_SSH_PORT)"
(cd "$KARAF_HOME" && exec setsid bin/karaf server) >"$TMP/karaf.out" 2>&1 </dev/null &
KARAF_PID=$!
deadline=$((SECONDS + BOOT_TIMEOUT))
until tcp_open "$KARAF_SSH_PORT"; do
    group_alive "$KARAF_PID" || { tail -n 20 "$TMP/karaf.out" >&2; die "Karaf exited during boot"; }
    ((SECONDS < deadline)) || die "Karaf not listening on $KARAF_SSH_PORT after ${BOOT_TIMEOUT}s"
    sleep 0.2
done

# kcmd <timeout-seconds> <command>...: run the commands, one per line, in one
# shell session (bin/client batch mode). Output on stdout; non-zero status if
# the client fails, times out, or a command reports an error (batch mode stops
# at the first failing command).
kcmd() {
    local to=$1 out rc=0
    shift
    out=$(printf '%s\n' "$@" | timeout -k 5 "$to" "$KARAF_HOME/bin/client" -a "$KARAF_SSH_PORT" -h 127.0.0.1 \
        -u bench -p "$KARAF_PW" -r 10 -d 1 -b 2>&1) || rc=$?
    out=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out")
    printf '%s\n' "$out"
    if ((rc == 0)) && grep -qE '^(Error executing command|Command not found)' <<<"$out"; then rc=1; fi
    return "$rc"
}

# The shell port opens before every command is registered: wait for bundle:list.
deadline=$((SECONDS + BOOT_TIMEOUT))
until kcmd 30 'bundle:list -t 0 -s' >"$TMP/list.txt" && grep -q 'org.apache.karaf.bundle.core' "$TMP/list.txt"; do
    ((SECONDS < deadline)) || { cat "$TMP/list.txt" >&2; die "Karaf shell not usable after ${BOOT_TIMEOUT}s"; }
    sleep 1
done

bundle_active() { # <symbolic name>
    kcmd 30 'bundle:list -t 0 -s' | awk -F'|' -v n="$1" '{ gsub(/ /, "", $2); gsub(/ /, "", $5) } $5 == n && $2 == "Active" { f = 1 } END { exit !f }'
}

SCR_SOURCE="feature:install scr"
log "feature:install scr"
if ! kcmd "$FEATURE_TIMEOUT" 'feature:install scr' >"$TMP/feature.txt" || ! bundle_active org.apache.felix.scr; then
    log "feature:install scr did not work ($(tr '\n' ' ' <"$TMP/feature.txt" | cut -c1-200)); installing SCR from $M2_REPO"
    SCR_SOURCE="bundle:install from $M2_REPO (feature:install scr failed)"
    kcmd 120 "bundle:install -s file:$(m2 $O org.osgi.util.function 1.2.0)" \
        "bundle:install -s file:$(m2 $O org.osgi.util.promise 1.3.0)" \
        "bundle:install -s file:$(m2 $O org.osgi.service.component 1.5.1)" \
        "bundle:install -s file:$(m2 org/apache/felix org.apache.felix.scr 2.2.18)" >&2 ||
        die "could not install Felix SCR"
    bundle_active org.apache.felix.scr || die "Felix SCR is not active"
fi
SCR_VERSION=$(kcmd 30 'bundle:list -t 0 -s' | awk -F'|' '{ gsub(/ /, "", $4); gsub(/ /, "", $5) } $5 == "org.apache.felix.scr" { print $4 }')
log "Felix SCR $SCR_VERSION active"

log "installing it.greeter.api, it.greeter.a and the consumer"
kcmd 60 "bundle:install -s file:$GREETER_DIR/it.greeter.api.jar" \
    "bundle:install -s file:$GREETER_DIR/it.greeter.a.jar" \
    "bundle:install -s file:$CONSUMER_JAR" >"$TMP/install.txt" || { cat "$TMP/install.txt" >&2; die "bundle:install failed"; }
mapfile -t IDS < <(sed -n 's/^Bundle ID: *\([0-9][0-9]*\).*/\1/p' "$TMP/install.txt")
((${#IDS[@]} == 3)) || { cat "$TMP/install.txt" >&2; die "could not read the bundle ids"; }
API_ID=${IDS[0]} IMPL_ID=${IDS[1]} CONSUMER_ID=${IDS[2]}
log "bundle ids: api=$API_ID a=$IMPL_ID consumer=$CONSUMER_ID"

# Wait until the consumer is active, bound to a, and calls succeed.
deadline=$((SECONDS + 60))
until kcmd 30 'bench:mark ready' >"$TMP/ready.txt" && grep -q "bound=it.greeter.a#$IMPL_ID" "$TMP/ready.txt" &&
    grep -qE '^MARK ready [0-9]+ ok=[1-9]' "$TMP/ready.txt"; do
    ((SECONDS < deadline)) || { cat "$TMP/ready.txt" >&2; die "consumer not running/bound after 60s"; }
    sleep 1
done

# ---------------------------------------------------------------------------
# 3. Swaps, all in one shell session
# ---------------------------------------------------------------------------
UPDATE_OPTS=""
((REFRESH == 1)) && UPDATE_OPTS+=" --refresh"
((RAW == 1)) && UPDATE_OPTS+=" --raw"
SCRIPT="$TMP/swaps.karaf"
{
    echo "bench:mark begin"
    for ((i = 1; i <= CALIBRATIONS; i++)); do
        echo "bench:mark cal-pre-$i"
        echo "bench:mark cal-post-$i"
    done
    for ((i = 1; i <= WARMUP + SWAPS; i++)); do
        if ((i % 2 == 1)); then jar=it.greeter.b.jar; else jar=it.greeter.a.jar; fi
        echo "bench:mark pre-$i"
        echo "bundle:update$UPDATE_OPTS $IMPL_ID file:$GREETER_DIR/$jar"
        echo "bench:mark post-$i"
        echo "bench:pause $SETTLE_MS"
        echo "bench:mark settle-$i"
    done
    echo "bench:mark end"
} >"$SCRIPT"
mapfile -t SCRIPT_LINES <"$SCRIPT"
RUN_TIMEOUT=$((120 + (WARMUP + SWAPS) * (SETTLE_MS + 3000) / 1000))
log "running $WARMUP warm-up + $SWAPS measured swaps (bundle:update$UPDATE_OPTS $IMPL_ID ..., settle ${SETTLE_MS} ms, timeout ${RUN_TIMEOUT}s)"
if [[ -n $QUIET_MAX ]]; then
    # Wait (up to QUIET_WAIT s) for a 2 s window in which other processes use
    # at most QUIET_MAX CPUs (Karaf, with its busy load thread, and this script excluded).
    qdeadline=$((SECONDS + QUIET_WAIT))
    while :; do
        b0=$(machine_busy_ticks) s0=$(self_ticks) k0=$(group_ticks "$KARAF_PID")
        sleep 2
        b1=$(machine_busy_ticks) s1=$(self_ticks) k1=$(group_ticks "$KARAF_PID")
        q=$(awk -v t="$((b1 - b0 - (k1 - k0) - (s1 - s0)))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz / 2 }')
        awk -v q="$q" -v m="$QUIET_MAX" 'BEGIN { exit !(q <= m) }' && break
        if ((SECONDS >= qdeadline)); then
            log "WARNING: machine still busy (other processes $q CPUs) after ${QUIET_WAIT}s; measuring anyway"
            break
        fi
        log "other processes use $q CPUs (> $QUIET_MAX); waiting for a quiet machine"
        sleep 3
    done
fi
RUN_RC=0
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
busy0=$(machine_busy_ticks) self0=$(self_ticks) karaf0=$(group_ticks "$KARAF_PID")
t0_us=${EPOCHREALTIME/[.,]/}
kcmd "$RUN_TIMEOUT" "${SCRIPT_LINES[@]}" >"$TMP/run.txt" || RUN_RC=$?
t1_us=${EPOCHREALTIME/[.,]/}
busy1=$(machine_busy_ticks) self1=$(self_ticks) karaf1=$(group_ticks "$KARAF_PID")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# CPUs used meanwhile by Karaf, by bin/client, and by everything else
cpus() { awk -v t="$1" -v hz="$CLK_TCK" -v us="$((t1_us - t0_us))" 'BEGIN { printf "%.2f", (t / hz) / (us / 1e6) }'; }
KARAF_CPUS=$(cpus $((karaf1 - karaf0)))
CLIENT_CPUS=$(cpus $((self1 - self0)))
OTHER_TICKS=$((busy1 - busy0 - (karaf1 - karaf0) - (self1 - self0)))
((OTHER_TICKS >= 0)) || OTHER_TICKS=0
OTHER_CPUS=$(cpus "$OTHER_TICKS")
if awk -v o="$OTHER_CPUS" 'BEGIN { exit !(o > 0.25) }'; then
    log "WARNING: other processes used $OTHER_CPUS CPUs during the swaps; the figures are skewed"
fi
((RUN_RC == 0)) || { log "the swap session ended with status $RUN_RC; last lines:"; tail -n 5 "$TMP/run.txt" >&2; }
kcmd 30 'bundle:list -t 0' >"$TMP/list-after.txt" || true

# ---------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------
printf '# Karaf bundle:update swap benchmark\n\n'
ANALYZE_RC=0
python3 "$HELPER_DIR/analyze.py" "$TMP/run.txt" "$SWAPS" "$WARMUP" "$CALIBRATIONS" "$TMP/swaps.csv" || ANALYZE_RC=$?
printf '\nBundles after the run:\n\n```\n%s\n```\n' "$(grep -E '^ *[0-9]+ \|' "$TMP/list-after.txt" | awk -F'|' -v a="$API_ID" -v i="$IMPL_ID" -v c="$CONSUMER_ID" '$1+0 == a || $1+0 == i || $1+0 == c')"
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
printf '\nSetup: Apache Karaf %s (minimal), Felix SCR %s via %s; bundle:update%s <id of it.greeter.a> file:%s/it.greeter.{b,a}.jar, ' \
    "$KARAF_VERSION" "$SCR_VERSION" "$SCR_SOURCE" "$UPDATE_OPTS" "$GREETER_DIR"
printf 'alternating, %d warm-up + %d measured, %d ms pause between; consumer: DS, dynamic greedy optional reference, %d load thread(s).\n' \
    "$WARMUP" "$SWAPS" "$SETTLE_MS" "$THREADS"
printf 'Machine: %s CPUs%s, %s, %s. Date: %s\n' "$(nproc)" "${CPU_MODEL:+ ($CPU_MODEL)}" "$(uname -sr)" \
    "$JAVA_VERSION_LINE" "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf 'CPU during the swap session (%.1f s): Karaf %s CPUs (the load thread alone keeps one busy), bin/client %s, other processes %s; load average %s before, %s after.\n' \
    "$(awk -v us="$((t1_us - t0_us))" 'BEGIN { print us / 1e6 }')" "$KARAF_CPUS" "$CLIENT_CPUS" "$OTHER_CPUS" "$LOAD_BEFORE" "$LOAD_AFTER"
if [[ $KEEP_TMP == 1 ]]; then
    printf 'Raw output: %s/run.txt, per swap: %s/swaps.csv\n' "$TMP" "$TMP"
fi
((RUN_RC == 0 && ANALYZE_RC == 0)) || exit 1
