package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds a sliver to its process limit without a kernel that refuses forks. When the sliver
 * has more tasks (threads counted) than its limit, the newest processes are killed until it
 * has no more, and the processes that forked them are paused (SIGSTOP) until the sliver is
 * under its limit again: a fork loop cannot refill the sliver between checks, and a fork
 * bomb stops where the kernel would have refused its forks. Paused processes are let go
 * when a process of the sliver ends, when the limit is raised or lifted, and by stop, kill,
 * destroy and close.
 *
 * <p>Not thread-safe: used under its {@link GuardedSliver}'s lock, which does the signalling.
 */
final class ForkBrake {

    private static final long WATCHFUL_NANOS = 1_000_000_000L;

    /** What one check decided: processes to kill, to pause, and to let go. */
    record Decision(int tasks, List<Long> kill, List<Long> pause, List<Long> release) {
    }

    private final Set<Long> paused = new HashSet<>();
    private long lastActedNanos = Long.MIN_VALUE / 2;

    /**
     * @param members the sliver's processes (zombies are not counted)
     * @param workers the live members that may be signalled
     */
    Decision check(List<ProcStat> members, List<ProcStat> workers, int limit, long nowNanos) {
        int tasks = 0;
        for (ProcStat p : members) {
            if (p.alive()) {
                tasks += p.threads();
            }
        }
        if (tasks < limit && !paused.isEmpty()) {
            lastActedNanos = nowNanos;
            return new Decision(tasks, List.of(), List.of(), releaseAll()); // room again
        }
        if (tasks <= limit) {
            return new Decision(tasks, List.of(), List.of(), List.of());
        }
        List<ProcStat> newestFirst = new ArrayList<>(workers);
        newestFirst.sort(Comparator.comparingLong(ProcStat::startTicks).thenComparingLong(ProcStat::pid).reversed());
        Set<Long> victims = new HashSet<>();
        Set<Long> parents = new HashSet<>();
        int left = tasks;
        for (ProcStat p : newestFirst) {
            if (left <= limit) {
                break;
            }
            victims.add(p.pid());
            parents.add(p.ppid());
            left -= p.threads();
        }
        List<Long> forkers = new ArrayList<>();
        for (ProcStat p : workers) {
            if (!victims.contains(p.pid()) && parents.contains(p.pid()) && paused.add(p.pid())) {
                forkers.add(p.pid());
            }
        }
        if (!victims.isEmpty()) {
            lastActedNanos = nowNanos;
        }
        return new Decision(tasks, List.copyOf(victims), forkers, List.of());
    }

    /** Every paused process, forgotten here (limit lifted, stop, destroy, close). */
    List<Long> releaseAll() {
        List<Long> all = new ArrayList<>(paused);
        paused.clear();
        return all;
    }

    boolean pauses(long pid) {
        return paused.contains(pid);
    }

    boolean pausing() {
        return !paused.isEmpty();
    }

    /**
     * Whether to check again soon: a fork loop that was just trimmed or let go refills the
     * sliver fast. A sliver that stays paused and quiet goes back to the normal period.
     */
    boolean watchful(long nowNanos) {
        return nowNanos - lastActedNanos < WATCHFUL_NANOS;
    }

    /** Forgets processes that are gone (their pids may be reused). */
    void retainOnly(Set<Long> livePids) {
        paused.retainAll(livePids);
    }
}
