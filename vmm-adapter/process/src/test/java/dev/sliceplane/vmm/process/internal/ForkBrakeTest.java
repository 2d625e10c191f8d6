package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ForkBrakeTest {

    private final ForkBrake brake = new ForkBrake();

    private static ProcStat p(long pid, long ppid, long start, int threads) {
        return new ProcStat(pid, "p" + pid, 'S', ppid, 1, 0, 0, 0, 0, 0, threads, start, 1);
    }

    @Test
    void killsTheNewestOverTheLimitAndPausesTheirParent() {
        ProcStat supervisor = p(1, 0, 1, 1);
        ProcStat loop = p(2, 1, 2, 1);
        List<ProcStat> children = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            children.add(p(10 + i, 2, 10 + i, 1));
        }
        List<ProcStat> members = new ArrayList<>(List.of(supervisor, loop));
        members.addAll(children);
        List<ProcStat> workers = new ArrayList<>(members.subList(1, members.size()));

        ForkBrake.Decision d = brake.check(members, workers, 5, 0);
        assertEquals(8, d.tasks());
        assertEquals(Set.of(15L, 14L, 13L), Set.copyOf(d.kill()), "the three newest");
        assertEquals(List.of(2L), d.pause(), "the loop that forked them");
        assertTrue(brake.pauses(2));

        // at the limit: still paused
        List<ProcStat> after = new ArrayList<>(members.subList(0, 5));
        ForkBrake.Decision held = brake.check(after, after.subList(1, 5), 5, 1);
        assertTrue(held.kill().isEmpty() && held.release().isEmpty());
        // room again: let go
        ForkBrake.Decision room = brake.check(after.subList(0, 4), after.subList(1, 4), 5, 2);
        assertEquals(List.of(2L), room.release());
    }

    @Test
    void threadsCountAndSupervisorsAreNeverKilled() {
        ProcStat supervisor = p(1, 0, 1, 1);
        ProcStat threaded = p(2, 1, 2, 8);
        ForkBrake.Decision d = brake.check(List.of(supervisor, threaded), List.of(threaded), 5, 0);
        assertEquals(List.of(2L), d.kill());
        ForkBrake.Decision onlySupervisors = brake.check(List.of(supervisor, p(3, 0, 3, 1)), List.of(), 1, 0);
        assertTrue(onlySupervisors.kill().isEmpty());
    }
}
