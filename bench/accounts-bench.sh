#!/usr/bin/env bash
# Accounts: access tokens and the registry, measured with JMH.
#
# Builds bundles/accounts/impl and its test classes in this tree (nothing installed, no test
# run), then runs the JMH benchmarks in its test sources:
#   tokens    TokenBench: our issue, verify (cache of verified tokens off) and verifyRepeat (on)
#             (AuthorityComponent, the real TokenCodec path) and,
#             in the same run, raw BouncyCastle Ed25519 sign/verify of a message as long as the
#             token's signing input and jose4j (the JDK's EdDSA) verifying the same token.
#             Once per JVM mode: "jit" = the JDK's defaults (C2, G1); "node" = the flags the
#             `sliceplane` launch script gives a node (C1 only, serial GC), read from that script.
#   registry  RegistryBench: get principal, list the slices of a site, add+delete slice,
#             add+remove member, on the embedded H2 file database and on PostgreSQL.
# each with 1 and 2 benchmark threads. PostgreSQL: a throwaway server on 127.0.0.1 (as .ci/run
# starts one, on a free port from 56432), stopped and removed at exit; or the server named by
# SLICEPLANE_TEST_PG_URL/_USER/_PASSWORD when those are set.
#
# Each benchmark runs in a JMH run of its own, which records the load average before and after it
# and how much CPU the machine's other processes used meanwhile (from /proc/stat, minus this
# benchmark's JVMs and, for the registry, the PostgreSQL server's processes); a run during which
# others used more than NOISE_MAX CPUs is repeated and the quietest attempt kept. The end prints
# one table of all figures and one of the other load behind each.
#
#   bench/accounts-bench.sh                  # tokens and registry (about 10 minutes; more when noisy runs are repeated)
#   bench/accounts-bench.sh tokens           # only the tokens (about 6 minutes)
#   MODES=jit THREADS=2 bench/accounts-bench.sh tokens
#
# Environment (all optional):
#   THREADS="1 2"        benchmark thread counts
#   MODES="jit node"     JVM modes for the token benchmarks (the registry runs in "jit")
#   WARMUP=8 WARMUP_TIME=1s ITERATIONS=5 ITERATION_TIME=1s FORKS=1    JMH run lengths
#   OUT=/tmp/bench-accounts.XXXXXX    where the JMH JSON results and logs go
#   BUILD=1              0 = use the classes already built
#   MAIN_CLASSES=DIR     the module's main classes from DIR instead (before/after comparisons:
#                        copy target/classes aside, change, rebuild, alternate runs with and without)
#   MVN_OPTS=-o          extra Maven flags (drop -o when a dependency is missing)
#   JMH_OPTS=            extra JMH options (e.g. "-prof gc")
#   PG_FSYNC=on          the throwaway server's fsync (off: as .ci/run starts it)
#   NOISE_MAX=0.25 NOISE_RETRIES=2    repeat a benchmark while others used more CPUs than this
#   TOKEN_BENCHES="issue peerBcSign verify verifyRepeat peerBcVerify peerJose4jVerify"
#   REGISTRY_BENCHES="getPrincipal listSlicesOfSite addAndDeleteSlice addAndRemoveMember"

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
MODULE="$REPO_ROOT/bundles/accounts/impl"
THREADS=${THREADS:-1 2}
MODES=${MODES:-jit node}
WARMUP=${WARMUP:-8}
WARMUP_TIME=${WARMUP_TIME:-1s}
ITERATIONS=${ITERATIONS:-5}
ITERATION_TIME=${ITERATION_TIME:-1s}
FORKS=${FORKS:-1}
BUILD=${BUILD:-1}
MVN_OPTS=${MVN_OPTS:--o}
JMH_OPTS=${JMH_OPTS:-}
PG_FSYNC=${PG_FSYNC:-on}
NOISE_MAX=${NOISE_MAX:-0.25}
NOISE_RETRIES=${NOISE_RETRIES:-2}
TOKEN_BENCHES=${TOKEN_BENCHES:-issue peerBcSign verify verifyRepeat peerBcVerify peerJose4jVerify}
REGISTRY_BENCHES=${REGISTRY_BENCHES:-getPrincipal listSlicesOfSite addAndDeleteSlice addAndRemoveMember}
SUITES=("$@")
[[ ${#SUITES[@]} -gt 0 ]] || SUITES=(tokens registry)

log() { printf '[accounts-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in java mvn awk python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
for suite in "${SUITES[@]}"; do
    [[ $suite == tokens || $suite == registry ]] || die "unknown suite '$suite' (tokens, registry)"
done
for mode in $MODES; do
    [[ $mode == jit || $mode == node ]] || die "unknown mode '$mode' (jit, node)"
done

# The node's JVM flags, from the launch script, so the two cannot drift apart.
NODE_FLAGS=$(sed -n 's/^jvm_opts="\(.*\)"$/\1/p' "$REPO_ROOT/sliceplane" | head -n 1)
[[ -n $NODE_FLAGS ]] || die "cannot read jvm_opts from $REPO_ROOT/sliceplane"
mode_flags() { if [[ $1 == node ]]; then echo "$NODE_FLAGS"; fi; }

OUT=${OUT:-$(mktemp -d /tmp/bench-accounts.XXXXXX)}
mkdir -p "$OUT"

cd "$REPO_ROOT"
if [[ $BUILD == 1 ]]; then
    log "building bundles/accounts/impl with its test classes (tests not run, nothing installed)"
    # One reactor build, so the class path names this tree's classes, not jars in ~/.m2.
    # shellcheck disable=SC2086
    mvn -B -q $MVN_OPTS test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.classpath -pl bundles/accounts/impl -am >&2
fi
[[ -f $MODULE/target/bench.classpath ]] || die "no class path: run with BUILD=1"
CP="$MODULE/target/test-classes:${MAIN_CLASSES:-$MODULE/target/classes}:$(cat "$MODULE/target/bench.classpath")"

# --- PostgreSQL ------------------------------------------------------------------------------
PG_DIR=
PG_PID=
start_postgres() {
    if [[ -n ${SLICEPLANE_TEST_PG_URL:-} ]]; then
        log "PostgreSQL from SLICEPLANE_TEST_PG_URL ($SLICEPLANE_TEST_PG_URL); its CPU counts as other load"
        return 0
    fi
    local bin port=56432 password as=()
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $bin ]] || die "no PostgreSQL server found (Debian: apt install postgresql), or set SLICEPLANE_TEST_PG_URL"
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    PG_DIR=$(mktemp -d /tmp/bench-accounts-pg.XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$PG_DIR"; as=(runuser -u postgres --); fi
    PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
    "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    # The server's defaults otherwise: fsync on, as an operator runs it (PG_FSYNC=off as in CI).
    "${PG_CTL[@]}" -l "$PG_DIR/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=$PG_FSYNC" >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
    PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    "${as[@]}" "$bin/psql" -q -h "$PG_DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE sliceplane_bench LOGIN PASSWORD '$password'" \
        -c "CREATE DATABASE sliceplane_bench OWNER sliceplane_bench" >/dev/null
    export SLICEPLANE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/sliceplane_bench"
    export SLICEPLANE_TEST_PG_USER=sliceplane_bench SLICEPLANE_TEST_PG_PASSWORD="$password"
    log "PostgreSQL $("$bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (pid $PG_PID, fsync=$PG_FSYNC, data in $PG_DIR)"
}
stop_postgres() {
    if [[ -n $PG_DIR ]]; then
        "${PG_CTL[@]}" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=
    fi
}
trap stop_postgres EXIT

# CPU (jiffies) of the PostgreSQL server: the postmaster and its reaped backends. Backends still
# running are not in it, so read it after the benchmark JVM has closed its pool.
pg_jiffies() {
    if [[ -n $PG_PID && -r /proc/$PG_PID/stat ]]; then
        awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$PG_PID/stat"
    else
        echo 0
    fi
}
cpu_jiffies() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9 }' /proc/stat; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# run_jmh NAME REGEX JVM_FLAGS THREADS: one JMH run of the benchmarks matching REGEX, its JSON in
# $OUT/NAME.json. When the machine's other processes used more than NOISE_MAX CPUs meanwhile, the
# run is repeated (at most NOISE_RETRIES more times) and the quietest attempt is kept. Appends
# a line on the load during the kept attempt to $OUT/load.tsv.
run_jmh() {
    local name=$1 regex=$2 flags=$3 threads=$4 attempt busy0 busy1 pg0 pg1 load0 line best= best_other=
    for ((attempt = 1; attempt <= NOISE_RETRIES + 1; attempt++)); do
        busy0=$(cpu_jiffies); pg0=$(pg_jiffies); load0=$(load)
        log "$name (attempt $attempt): $threads thread(s), JVM flags: ${flags:-(none)}; load average $load0"
        # shellcheck disable=SC2086
        /usr/bin/time -f '%e %U %S' -o "$OUT/$name.$attempt.time" \
            java -cp "$CP" org.openjdk.jmh.Main "$regex" -t "$threads" -f "$FORKS" \
            -wi "$WARMUP" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$ITERATION_TIME" \
            ${flags:+-jvmArgsAppend "$flags"} -rf json -rff "$OUT/$name.$attempt.json" $JMH_OPTS \
            >"$OUT/$name.$attempt.log" 2>&1 \
            || { tail -n 40 "$OUT/$name.$attempt.log" >&2; die "$name failed (log: $OUT/$name.$attempt.log)"; }
        busy1=$(cpu_jiffies); pg1=$(pg_jiffies)
        read -r wall user sys < "$OUT/$name.$attempt.time"
        line=$(awk -v name="$name" -v a="$attempt" -v b0="$busy0" -v b1="$busy1" -v p0="$pg0" -v p1="$pg1" \
            -v wall="$wall" -v user="$user" -v sys="$sys" -v l0="$load0" -v l1="$(load)" 'BEGIN {
            hz = 100; busy = (b1 - b0) / hz; mine = user + sys; pg = (p1 - p0) / hz;
            other = busy - mine - pg; if (other < 0) other = 0;
            printf "%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%s\t%s\n", name, a, wall, mine / wall, pg / wall, other / wall, l0, l1
        }')
        echo "$line" | awk -F'\t' '{ printf "[accounts-bench]   %s s; this benchmark %s CPUs, PostgreSQL %s, others %s; load average %s -> %s\n", $3, $4, $5, $6, $7, $8 }' >&2
        grep -E '^[A-Za-z]+Bench\.' "$OUT/$name.$attempt.log" | sed 's/^/    /' >&2 || true
        local other; other=$(echo "$line" | cut -f6)
        if [[ -z $best ]] || awk -v a="$other" -v b="$best_other" 'BEGIN { exit !(a < b) }'; then
            best=$line; best_other=$other
            cp "$OUT/$name.$attempt.json" "$OUT/$name.json"
        fi
        awk -v a="$other" -v m="$NOISE_MAX" 'BEGIN { exit !(a <= m) }' && break
        [[ $attempt -le $NOISE_RETRIES ]] && log "  others used $other CPUs (> NOISE_MAX $NOISE_MAX): again"
    done
    echo "$best" >> "$OUT/load.tsv"
}

: > "$OUT/load.tsv"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "results in $OUT; $(nproc) CPUs; $(java -version 2>&1 | head -n 1)"
log "load average at start: $(load)"
for suite in "${SUITES[@]}"; do
    case $suite in
        tokens)
            for mode in $MODES; do
                for t in $THREADS; do
                    for b in $TOKEN_BENCHES; do
                        run_jmh "tokens-$mode-t$t-$b" "\.TokenBench\.$b\$" "$(mode_flags "$mode")" "$t"
                    done
                done
            done
            ;;
        registry)
            start_postgres
            for t in $THREADS; do
                for b in $REGISTRY_BENCHES; do
                    run_jmh "registry-jit-t$t-$b" "\.RegistryBench\.$b\$" "" "$t"
                done
            done
            stop_postgres
            ;;
    esac
done
log "load average at the end: $(load)"

# --- Summary -----------------------------------------------------------------------------------
python3 - "$OUT" "$STARTED" "$NODE_FLAGS" <<'PY'
import glob, json, os, re, sys

out, started, node_flags = sys.argv[1:4]
rows = {}    # (suite, db, benchmark) -> {(mode, threads): (score, error)}
noise = {}   # (suite, benchmark, mode, threads) -> (others' CPUs, attempts)
for line in open(os.path.join(out, "load.tsv")):
    name, attempt, wall, mine, pg, other, l0, l1 = line.rstrip("\n").split("\t")
    suite, mode, t, bench = name.split("-", 3)
    noise[(suite, bench, mode, int(t[1:]))] = (float(other), int(attempt))
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    if not re.fullmatch(r"[a-z]+-[a-z]+-t\d+-\w+\.json", os.path.basename(path)):
        continue
    suite, mode = os.path.basename(path).split("-")[:2]
    for r in json.load(open(path)):
        bench = r["benchmark"].rsplit(".", 1)[1]
        db = (r.get("params") or {}).get("db", "")
        m = r["primaryMetric"]
        rows.setdefault((suite, db, bench), {})[(mode, r["threads"])] = (m["score"], m["scoreError"])
cols = sorted({c for v in rows.values() for c in v}, key=lambda c: (c[0] != "jit", c[1]))
def fmt(v):
    if v is None:
        return "—"
    score, err = v
    err = f" ± {err:,.0f}" if isinstance(err, (int, float)) and err == err else ""   # "NaN" after one iteration
    return f"{score:,.0f}{err}"
header = "| suite | db | benchmark | " + " | ".join(f"{m}, {t} thr" for m, t in cols) + " |"
rule = "|---|---|---|" + "---:|" * len(cols)
print(f"\n## Accounts benchmarks, started {started} ({os.cpu_count()} CPUs)")
print(f"mode jit: JDK defaults; mode node: {node_flags}\n")
print("Operations per second (JMH score ± 99.9% CI):\n")
print(header); print(rule)
for (suite, db, bench), v in sorted(rows.items()):
    print(f"| {suite} | {db} | {bench} | " + " | ".join(fmt(v.get(c)) for c in cols) + " |")
print("\nCPUs other processes used during each figure (attempts, when repeated for noise):\n")
print(header); print(rule)
for (suite, db, bench) in sorted(rows):
    cells = []
    for m, t in cols:
        o = noise.get((suite, bench, m, t))
        cells.append("—" if o is None else f"{o[0]:.2f}" + (f" ({o[1]})" if o[1] > 1 else ""))
    print(f"| {suite} | {db} | {bench} | " + " | ".join(cells) + " |")
print("\nAgainst the goals (2 threads on 2 cores), and ours as a share of the raw BouncyCastle peer:")
for bench, peer, goal in (("verify", "peerBcVerify", 25000), ("verifyRepeat", "peerBcVerify", 25000),
                          ("issue", "peerBcSign", 40000)):
    ours, raw = rows.get(("tokens", "", bench), {}), rows.get(("tokens", "", peer), {})
    for m, t in cols:
        if (m, t) in ours:
            score = ours[(m, t)][0]
            share = f"{score / raw[(m, t)][0]:.0%} of {peer}" if (m, t) in raw else ""
            verdict = (f"goal {goal:,}/s: {'met' if score >= goal else 'NOT met'} ({score / goal:.0%})") if t == 2 else ""
            print(f"  {bench:12s} {m:4s} {t} thr: {score:9,.0f}/s  {share:24s} {verdict}")
print("\nLoad per JMH run (CPUs used on average; 'others' = the rest of the machine):\n")
print("| run | attempt | wall s | this benchmark | PostgreSQL | others | load avg before | after |")
print("|---|---:|---:|---:|---:|---:|---|---|")
for line in open(os.path.join(out, "load.tsv")):
    print("| " + " | ".join(line.rstrip("\n").split("\t")) + " |")
PY
