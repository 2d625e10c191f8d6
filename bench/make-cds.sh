#!/usr/bin/env bash
# Writes a dynamic AppCDS archive (JDK 13+) for a Sliceplane distribution.
#
#   bench/make-cds.sh DIST ARCHIVE [JVM flags...]
#
# Boots the node once (empty data directory) with -XX:ArchiveClassesAtExit=ARCHIVE
# and the given flags, waits for the first 200 from /api/v1/health, calls the
# read-only API so its classes are loaded and linked too, and stops the node with
# SIGTERM, which writes the archive. Boot later with the same flags plus
# -XX:SharedArchiveFile=ARCHIVE. The JVM checks the archive against the JDK and the
# class path (launcher and Felix jars) and ignores it with a warning if they
# changed; classes of a bundle whose bytes changed are simply not taken from it.
# Environment: PORT=28529 (HTTP port of the training boot).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 DIST ARCHIVE [JVM flags...]" >&2; exit 64; }
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIST=$(cd "$1" && pwd)
ARCHIVE=$2
shift 2
PORT=${PORT:-28529}
JAR="$DIST/lib/dev.sliceplane.launcher.jar"
[[ -f $JAR ]] || { echo "no launcher at $JAR" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sliceplane-cds.XXXXXX")
PID=""
trap '[[ -n $PID ]] && kill -TERM "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
rm -f "$ARCHIVE"
java "$@" -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" start --data-dir "$WORK/data" --http-port "$PORT" \
    >"$WORK/train.log" 2>&1 </dev/null &
PID=$!
BASE="http://127.0.0.1:$PORT/api/v1"
python3 "$SCRIPT_DIR/wait-http-200.py" "$BASE/health" "$PID" 60 >/dev/null ||
    { echo "training boot failed:" >&2; tail "$WORK/train.log" >&2; exit 1; }
python3 - "$BASE" <<'PY' || true
import sys, urllib.request
for p in ("node", "health", "bundles", "slices", "services"):
    try:
        urllib.request.urlopen(sys.argv[1] + "/" + p, timeout=5).read()
    except OSError:
        pass
PY
kill -TERM "$PID"
wait "$PID" || true
PID=""
[[ -s $ARCHIVE ]] || { echo "no archive written:" >&2; tail "$WORK/train.log" >&2; exit 1; }
echo "wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1); $(grep -c 'Skipping' "$WORK/train.log" || true) classes not archived, mostly loaded but never linked)" >&2
