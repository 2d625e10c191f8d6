package dev.sliceplane.vmm.process.internal;

/**
 * What the guard did to one sliver, persisted in {@code guard.json} so that a restart neither
 * loses nor repeats the {@code LIMIT_EXCEEDED} events it leads to.
 *
 * @param memoryKills     processes killed because the sliver's resident memory was over its limit
 * @param processKills    processes killed because the sliver had more tasks than its limit
 * @param lastMemoryKill  a sentence about the latest memory kill, or null
 * @param lastProcessKill a sentence about the latest process-limit kill, or null
 */
record GuardCounters(long memoryKills, long processKills, String lastMemoryKill, String lastProcessKill) {

    static final GuardCounters NONE = new GuardCounters(0, 0, null, null);

    GuardCounters memoryKill(String what) {
        return new GuardCounters(memoryKills + 1, processKills, what, lastProcessKill);
    }

    GuardCounters processKills(int count, String what) {
        return new GuardCounters(memoryKills, processKills + count, lastMemoryKill, what);
    }
}
