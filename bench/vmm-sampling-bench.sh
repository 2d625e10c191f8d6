#!/usr/bin/env bash
# CPU cost of one sampling pass (usage()) of the linux VMM backend over real slivers. Needs root.
#
#   bench/vmm-sampling-bench.sh [SLIVERS] [PASSES] [ROUNDS]
#
#   SLIVERS=100   slivers, each running `sleep` under its supervisor
#   PASSES=300    timed passes (after 100 warm-up passes), for this tree's backend
#   ROUNDS=2      alternations of BEFORE and this tree, so both see the same machine load
#   BEFORE=<rev>  also time the backend of that git revision (its main sources compiled apart,
#                 nothing installed), alternating with this tree's; unset: this tree only
#   BREAKDOWN=1   also print the kernel's price of each file a pass may read (raw preads)
#
# Runs dev.sliceplane.vmm.linux.internal.LinuxSamplingBench (test sources) with the sampling
# thread's CPU time (ThreadMXBean); prints the load average with every figure.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
SLIVERS=${1:-100}
PASSES=${2:-300}
ROUNDS=${3:-2}
log() { printf '[vmm-sampling-bench] %s\n' "$*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "needs root (cgroups)"; exit 1; }
cd "$REPO"
OFFLINE=${OFFLINE--o}
log "compiling (mvn $OFFLINE test-compile -pl vmm-adapter/linux -am)"
mvn -B $OFFLINE -q test-compile -pl vmm-adapter/linux -am
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mvn -B $OFFLINE -q -Dstyle.color=never dependency:build-classpath -pl vmm-adapter/linux -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp" >/dev/null
DEPS="vmm-adapter/api/target/classes:$(cat "$WORK/cp")"

VARIANTS=("this tree:vmm-adapter/linux/target/classes")
if [[ -n ${BEFORE:-} ]]; then
  mkdir -p "$WORK/before/src" "$WORK/before/classes"
  git archive "$BEFORE" vmm-adapter/linux/src/main/java | tar -x -C "$WORK/before/src"
  javac -nowarn -d "$WORK/before/classes" -cp "$DEPS" $(find "$WORK/before/src" -name '*.java') 2>&1 | grep -v '^Note:' || true
  VARIANTS=("$BEFORE ($(git rev-parse --short "$BEFORE")):$WORK/before/classes" "${VARIANTS[@]}")
fi

log "machine: $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  for variant in "${VARIANTS[@]}"; do
    echo "== ${variant%%:*}"
    java -XX:+UseSerialGC -DnoBreakdown=$([[ ${BREAKDOWN:-0} == 1 && $round == 1 ]] && echo false || echo true) \
      -cp "vmm-adapter/linux/target/test-classes:${variant#*:}:$DEPS" \
      dev.sliceplane.vmm.linux.internal.LinuxSamplingBench "$SLIVERS" "$PASSES" 2>&1 | grep -v ' DEBUG '
  done
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
