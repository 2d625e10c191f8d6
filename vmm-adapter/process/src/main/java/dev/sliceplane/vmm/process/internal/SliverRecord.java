package dev.sliceplane.vmm.process.internal;

import java.time.Instant;

import dev.sliceplane.vmm.api.Limits;

/**
 * A sliver's record ({@code sliver.json}).
 *
 * @param name                 its name, equal to its directory's
 * @param limits               its limits as set
 * @param created              when it was created
 * @param reportedMemoryKills  memory kills already reported as LIMIT_EXCEEDED
 * @param reportedProcessKills process-limit kills already reported as LIMIT_EXCEEDED
 */
record SliverRecord(String name, Limits limits, Instant created, long reportedMemoryKills,
                    long reportedProcessKills) {

    SliverRecord withLimits(Limits newLimits) {
        return new SliverRecord(name, newLimits, created, reportedMemoryKills, reportedProcessKills);
    }

    SliverRecord withReported(long memoryKills, long processKills) {
        return new SliverRecord(name, limits, created, memoryKills, processKills);
    }
}
