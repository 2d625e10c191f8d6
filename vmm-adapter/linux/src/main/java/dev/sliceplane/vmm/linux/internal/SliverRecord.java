package dev.sliceplane.vmm.linux.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.vmm.api.Limits;

/**
 * What survives a restart about one sliver, in {@code slivers/<name>/sliver.json}. The limits
 * are what the kernel held when last read (the cgroup is the source of truth; only the disk
 * quota lives here alone); the counters say which kernel events were already reported.
 *
 * @param name                 the sliver
 * @param created              when it was created
 * @param limits               its limits
 * @param reportedOomKills     the cgroup's OOM-kill count when last reported
 * @param reportedForkRefusals the cgroup's refused-fork count when last reported
 * @param programs             its programs, oldest first
 */
record SliverRecord(String name, Instant created, Limits limits, long reportedOomKills, long reportedForkRefusals,
                    List<ProgramRecord> programs) {

    SliverRecord {
        programs = List.copyOf(programs);
    }

    SliverRecord withLimits(Limits newLimits) {
        return new SliverRecord(name, created, newLimits, reportedOomKills, reportedForkRefusals, programs);
    }

    SliverRecord withReported(long oomKills, long forkRefusals) {
        return new SliverRecord(name, created, limits, oomKills, forkRefusals, programs);
    }

    SliverRecord withProgram(ProgramRecord program) {
        List<ProgramRecord> updated = new ArrayList<>(programs);
        int at = indexOf(program.id());
        if (at < 0) {
            updated.add(program);
        } else {
            updated.set(at, program);
        }
        return new SliverRecord(name, created, limits, reportedOomKills, reportedForkRefusals, updated);
    }

    private int indexOf(String id) {
        for (int i = 0; i < programs.size(); i++) {
            if (programs.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
