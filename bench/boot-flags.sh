#!/usr/bin/env bash
# Boot time of a Sliceplane node under several sets of JVM flags (no code changes).
#
# For every flag set it runs bench/boot-vs-karaf.sh with SKIP_KARAF=1 (RUNS cold
# and RUNS warm boots, time to the first 200 from /api/v1/health) and prints one
# Markdown table row per set and mode. Progress goes to stderr.
#
#   bench/boot-flags.sh [DIST]          DIST = the distribution (default: the
#                                       assembly's target/sliceplane)
#
# A flag set may use the placeholder @CDS@ (as -XX:SharedArchiveFile=@CDS@):
# before its series bench/make-cds.sh boots the node once with the set's other
# flags and -XX:ArchiveClassesAtExit=<archive>, calls the read-only API and
# stops it, which writes a dynamic AppCDS archive (JDK 13+) that the measured
# boots then map. The archive belongs to the distribution (it is only valid for
# the same launcher jar, Felix jar and JDK; classes of changed bundles are not
# taken from it), not to the data directory: "cold" still means an empty data
# directory, but an archive made beforehand. The training boot is not counted.
#
# Environment (all optional):
#   RUNS=5            boots per series
#   PORT=28520        HTTP port of the measured node
#   NOISE_MAX, NOISE_RETRIES   passed on to boot-vs-karaf.sh
#   FLAGSETS          newline-separated "label|flags" lines; default below
#   KEEP_CDS=0        set to 1 to keep the archives (printed at the end)

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
DIST=${1:-$REPO_ROOT/assembly/target/sliceplane}
DIST=$(cd "$DIST" && pwd)
JAR="$DIST/lib/dev.sliceplane.launcher.jar"
RUNS=${RUNS:-5}
PORT=${PORT:-28520}
KEEP_CDS=${KEEP_CDS:-0}
BASE_URL="http://127.0.0.1:$PORT"

log() { printf '[flags] %s\n' "$*" >&2; }
[[ -f $JAR ]] || { log "ERROR: no launcher at $JAR"; exit 1; }

DEFAULT_FLAGSETS='no flags|
serial GC|-XX:+UseSerialGC
C1 only|-XX:TieredStopAtLevel=1
serial GC + C1 only|-XX:+UseSerialGC -XX:TieredStopAtLevel=1
AppCDS|-XX:SharedArchiveFile=@CDS@
serial GC + AppCDS|-XX:+UseSerialGC -XX:SharedArchiveFile=@CDS@
serial GC + C1 only + AppCDS|-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=@CDS@'
FLAGSETS=${FLAGSETS:-$DEFAULT_FLAGSETS}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sliceplane-flags.XXXXXX")
cleanup() {
    if [[ $KEEP_CDS == 1 ]]; then
        find "$WORK" -name '*.jsa' >&2 || true
        find "$WORK" -mindepth 1 -maxdepth 1 ! -name '*.jsa' -exec rm -rf {} +
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# train <flags-with-@CDS@> <archive>: one boot that writes the archive at exit
train() {
    local flags=${1//-XX:SharedArchiveFile=@CDS@/}
    log "training run for $2"
    # shellcheck disable=SC2086 # the flags are a word list on purpose
    PORT=$PORT "$SCRIPT_DIR/make-cds.sh" "$DIST" "$2" $flags
}

printf '| flags | mode | median ms | min ms | max ms | CPU to ready (median ms) | other load (median CPUs) |\n'
printf '|---|---|---:|---:|---:|---:|---:|\n'
n=0
while IFS='|' read -r label flags; do
    [[ -n $label ]] || continue
    n=$((n + 1))
    if [[ $flags == *@CDS@* ]]; then
        archive="$WORK/set$n.jsa"
        train "$flags" "$archive"
        flags=${flags//@CDS@/$archive}
    fi
    log "== $label: java $flags"
    out=$(SKIP_KARAF=1 RUNS=$RUNS NODE_HEALTH_URL="$BASE_URL/api/v1/health" \
        NODE_CMD="java $flags -jar '$JAR' start --data-dir \"\$NODE_DATA_DIR\" --http-port $PORT" \
        "$SCRIPT_DIR/boot-vs-karaf.sh") || { log "ERROR: series failed for $label"; continue; }
    shown=${flags//$WORK\//}
    awk -v label="$label" -v flags="${shown:-(none)}" -F'|' '
        /^\| Sliceplane \| (cold|warm) \|/ {
            printf "| %s: `%s` |%s|%s|%s|%s|%s|%s|\n", label, flags, $3, $4, $5, $6, $7, $8
        }' <<<"$out"
done <<<"$FLAGSETS"
printf '\nLoad average at the end (1/5/15 min): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
