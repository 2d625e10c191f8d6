#!/usr/bin/env bash
# Boots two node distributions in turn (a cold boot, then a warm one, of each), so a before/after
# pair sees the same load. Ready = first 200 from /api/v1/health (bench/wait-http-200.py).
#
#   bench/boot-alternate.sh ROUNDS DIST_A DIST_B > pairs.txt
#
# Each line: distribution mode ms-to-ready CPU-ms-to-ready load-average(1 min). Both distributions
# boot with the default launch flags and their own lib/sliceplane.jsa (bench/make-cds.sh).
# Environment: PORT=28510, DATA=/tmp/sliceplane-alternate (removed before each cold boot).
set -uo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 ROUNDS DIST_A DIST_B" >&2; exit 64; }
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${PORT:-28510}
DATA=${DATA:-/tmp/sliceplane-alternate}
FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k"

boot() { # <dist> <mode>
    local dist=$1 mode=$2 t0=${EPOCHREALTIME/./} pid ready stat
    # shellcheck disable=SC2086
    setsid java $FLAGS -XX:SharedArchiveFile="$dist/lib/sliceplane.jsa" -Xlog:cds*=off \
        -jar "$dist/lib/dev.sliceplane.launcher.jar" start --data-dir "$DATA" --http-port "$PORT" \
        >"$DATA.log" 2>&1 </dev/null &
    pid=$!
    if ! ready=$(python3 "$SCRIPT_DIR/wait-http-200.py" "http://127.0.0.1:$PORT/api/v1/health" "$pid" 90 0.005); then
        echo "$dist $mode failed (see $DATA.log)"
        kill -KILL "$pid" 2>/dev/null
        return
    fi
    read -r -a stat <<<"$(sed 's/.*) //' "/proc/$pid/stat")"
    echo "$dist $mode $(( (ready - t0) / 1000 )) $(( (stat[11] + stat[12]) * 1000 / $(getconf CLK_TCK) )) $(cut -d' ' -f1 /proc/loadavg)"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null
    while { : <>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; do sleep 0.1; done
}

for _ in $(seq 1 "$1"); do
    for dist in "$2" "$3"; do
        rm -rf "$DATA"
        boot "$dist" cold
        boot "$dist" warm
    done
done
rm -rf "$DATA" "$DATA.log"
