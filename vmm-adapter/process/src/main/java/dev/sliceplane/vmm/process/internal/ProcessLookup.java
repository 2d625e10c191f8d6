package dev.sliceplane.vmm.process.internal;

import java.util.Optional;

/** Finds a process by pid: from a snapshot of /proc or from /proc itself. */
interface ProcessLookup {

    Optional<ProcStat> get(long pid);
}
