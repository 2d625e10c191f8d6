#!/usr/bin/env bash
# Benchmark of the linux VMM backend (cgroups) beside crun, on this machine. Needs root.
#
#   bench/vmm-linux-bench.sh [ITERATIONS] [LAUNCHES] [SLIVERS]
#
#   ITERATIONS=1000   create+destroy of an empty sliver
#   LAUNCHES=300      create + launch /bin/true + wait for its exit + destroy (crun: min(LAUNCHES, 200) runs)
#   SLIVERS=100       slivers running `sleep` for the sampling-pass figure
#   STATE_PARENT=/tmp where the backend's state directory is made (its filesystem matters:
#                     try /dev/shm to see the cost of the cgroups alone)
#   WARMUP=3000       create+destroy pairs before the measured ones: until about 3,000 the JIT is
#                     still compiling the path, and the first thousand after 200 are ~1.5x slower
#   STATE_FS=image    the state directory on an ext4 filesystem of its own (a 2 GiB image on a
#                     loop device with direct I/O, `discard` if the root has it, removed afterwards),
#                     as a node keeps its slivers on a partition of their own (PlanetLab's
#                     /vservers): the root filesystem's journal is shared with every other writer
#
# It compiles the module and its tests (never installs), builds a minimal OCI bundle (/bin/true
# and its libraries) for Debian's crun (`apt-get install -y crun`; skipped when missing), and runs
# dev.sliceplane.vmm.linux.internal.LinuxBackendBench. The JVM runs in a private mount namespace
# without /sys/fs/cgroup/unified: crun 1.8 refuses a "hybrid" machine whose cgroup2 mount has any
# controller (here: hugetlb). The backend itself does not care (it uses the v1 hierarchies either
# way) and the cgroups are the machine's own; the namespace only hides one mount from crun.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
ITERATIONS=${1:-1000}
LAUNCHES=${2:-300}
SLIVERS=${3:-100}
log() { printf '[vmm-linux-bench] %s\n' "$*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "needs root (cgroups)"; exit 1; }
cd "$REPO"
OFFLINE=${OFFLINE--o}
log "compiling (mvn $OFFLINE test-compile -pl vmm-adapter/linux -am)"
mvn -B $OFFLINE -q test-compile -pl vmm-adapter/linux -am
CPFILE=$(mktemp)
WORK=$(mktemp -d)
MOUNTED=""
cleanup() {
  if [[ -n $MOUNTED ]]; then umount "$MOUNTED" || true; losetup -d "$LOOP" 2>/dev/null || true; fi
  rm -rf "$WORK" "$CPFILE"
}
trap cleanup EXIT
if [[ ${STATE_FS:-} == image ]]; then
  truncate -s 2G "$WORK/state.img"
  mkfs.ext4 -q -F "$WORK/state.img"
  mkdir "$WORK/state"
  # Trims like the root filesystem: with `discard` each freed block is trimmed at the journal commit.
  OPTIONS=relatime
  if findmnt -no OPTIONS -T "$WORK" | tr , '\n' | grep -qx discard; then OPTIONS=$OPTIONS,discard; fi
  # Direct I/O: the loop device writes through to the disk, as a partition would, rather than
  # into the page cache of its image file.
  LOOP=$(losetup --find --show --direct-io=on "$WORK/state.img")
  mount -o "$OPTIONS" "$LOOP" "$WORK/state"
  MOUNTED="$WORK/state"
  STATE_PARENT="$WORK/state"
  log "state on its own ext4: $(findmnt -no SOURCE,OPTIONS "$WORK/state"), $(losetup -nO DIO "$LOOP" | tr -d ' ') = direct I/O"
fi
mvn -B $OFFLINE -q -Dstyle.color=never dependency:build-classpath -pl vmm-adapter/linux -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE" >/dev/null
# The reactor's fresh API classes first, ahead of whatever SNAPSHOT ~/.m2 holds.
CP="vmm-adapter/linux/target/test-classes:vmm-adapter/linux/target/classes:vmm-adapter/api/target/classes:$(cat "$CPFILE")"

BUNDLE=""
if command -v crun >/dev/null; then
  BUNDLE="$WORK/bundle"
  mkdir -p "$BUNDLE/rootfs/bin"
  cp /bin/true "$BUNDLE/rootfs/bin/"
  for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$BUNDLE/rootfs$(dirname "$lib")"
    cp "$lib" "$BUNDLE/rootfs$lib"
  done
  (cd "$BUNDLE" && crun spec)
  sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' "$BUNDLE/config.json"
  grep -q '"/bin/true"' "$BUNDLE/config.json" || { log "could not set the bundle's command"; exit 1; }
  log "crun $(crun --version | head -1 | awk '{print $3}'), bundle $(du -sh "$BUNDLE/rootfs" | cut -f1) at $BUNDLE"
else
  log "crun not installed: its figure is skipped (apt-get install -y crun)"
fi

log "machine: $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
unshare -m --propagation private sh -c '
  if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
  exec java -XX:+UseSerialGC -Dwarmup="$6" -DstateParent="$5" -cp "$0" dev.sliceplane.vmm.linux.internal.LinuxBackendBench "$1" "$2" "$3" $4' \
  "$CP" "$ITERATIONS" "$LAUNCHES" "$SLIVERS" "$BUNDLE" "${STATE_PARENT:-/tmp}" "${WARMUP:-3000}"
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
