package dev.sliceplane.vmm.process.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A sliver's CPU time, summed from /proc over its processes, that never goes backwards.
 *
 * <p>Each process's own time ({@code utime+stime}) plus the time of the children it reaped
 * ({@code cutime+cstime}) is conserved inside the sliver: when a member is reaped by another
 * member, its total moves into the parent's children figure. So between two sightings the
 * sliver used: the growth of every process seen twice, the whole of every new process, minus
 * the last-seen total of every process that vanished into a member parent (its time now shows
 * in that parent). Short-lived processes that come and go between sightings are counted
 * through their parent. What a supervisor reaped is settled from the {@code times} it writes
 * when its program ends, because the supervisor itself is reaped outside the sliver.
 *
 * <p>What is lost: the last increment of a process reaped outside the sliver (an orphan
 * re-parented to init), and the time of processes that left the sliver's sessions with
 * {@code setsid}. A race (a parent and its orphaned child both vanishing between sightings)
 * could make a step negative; the total is clamped so it stays monotonic.
 *
 * <p>Not thread-safe: each meter is used by one thread.
 */
final class CpuMeter {

    /** The final times a supervisor wrote when its program ended. */
    record Settlement(String programId, Optional<ProcessKey> leader, double ownSeconds, double childSeconds) {
    }

    /** The last sighting of one process, in ticks. */
    record Seen(long ppid, long own, long children) {
    }

    private final double ticksPerSecond;
    private double seconds;
    private Map<ProcessKey, Seen> seen;
    private final Set<String> settled;

    CpuMeter(double ticksPerSecond) {
        this(ticksPerSecond, 0, Map.of(), Set.of());
    }

    CpuMeter(double ticksPerSecond, double seconds, Map<ProcessKey, Seen> seen, Set<String> settled) {
        this.ticksPerSecond = ticksPerSecond;
        this.seconds = seconds;
        this.seen = new HashMap<>(seen);
        this.settled = new HashSet<>(settled);
    }

    /**
     * Takes a sighting of the sliver's processes (zombies included: they still show their
     * final times) and returns the CPU seconds used since creation.
     *
     * @param members     every process in the sliver's sessions now
     * @param settlements final times of supervisors whose programs ended; each counts once
     */
    double advance(List<ProcStat> members, List<Settlement> settlements) {
        Map<ProcessKey, Seen> now = new HashMap<>();
        Set<Long> memberPids = new HashSet<>();
        long ticks = 0;
        for (ProcStat p : members) {
            ProcessKey key = p.key();
            Seen before = seen.get(key);
            ticks += before == null
                    ? p.ownTicks() + p.childTicks()
                    : (p.ownTicks() - before.own()) + (p.childTicks() - before.children());
            now.put(key, new Seen(p.ppid(), p.ownTicks(), p.childTicks()));
            memberPids.add(p.pid());
        }
        seen.keySet().forEach(k -> memberPids.add(k.pid()));

        double settledSeconds = 0;
        Set<ProcessKey> handled = new HashSet<>();
        for (Settlement s : settlements) {
            if (settled.contains(s.programId()) || s.leader().filter(now::containsKey).isPresent()) {
                continue; // counted already, or the supervisor is still there: settle when it is gone
            }
            Seen before = s.leader().map(seen::get).orElse(null);
            settledSeconds += s.ownSeconds() + s.childSeconds()
                    - (before == null ? 0 : (before.own() + before.children()) / ticksPerSecond);
            s.leader().ifPresent(handled::add);
            settled.add(s.programId());
        }
        for (Map.Entry<ProcessKey, Seen> gone : seen.entrySet()) {
            Seen last = gone.getValue();
            if (!now.containsKey(gone.getKey()) && !handled.contains(gone.getKey())
                    && memberPids.contains(last.ppid())) {
                ticks -= last.own() + last.children(); // now part of its parent's children figure
            }
        }
        seen = now;
        seconds = Math.max(seconds, seconds + ticks / ticksPerSecond + settledSeconds);
        return seconds;
    }

    double seconds() {
        return seconds;
    }

    Map<ProcessKey, Seen> seen() {
        return Map.copyOf(seen);
    }

    Set<String> settled() {
        return Set.copyOf(settled);
    }
}
