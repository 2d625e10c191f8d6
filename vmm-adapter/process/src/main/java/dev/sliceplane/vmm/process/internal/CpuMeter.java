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
 * {@code setsid}. A vanished process's time is taken out only when a member can still show it:
 * a parent (or, through vanished parents, an ancestor) that is still there, or a supervisor,
 * whose final times are settled. The processes of one sighting are read one after the other,
 * so a parent may be read just before it reaps a child that is then gone: that step runs
 * negative and the next, when the parent's children figure has grown, makes it good. The
 * running total may therefore dip for a sighting; the reported total is its highest value, so
 * it never goes backwards, and a dip is made good before anything new is reported again
 * (clamping each step instead would count the made-good time twice).
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
    /** The highest running total: what is reported. */
    private double seconds;
    /** The running total, which may dip below {@link #seconds} for a sighting (see above). */
    private double running;
    private Map<ProcessKey, Seen> seen;
    private final Set<String> settled;

    CpuMeter(double ticksPerSecond) {
        this(ticksPerSecond, 0, 0, Map.of(), Set.of());
    }

    /** @param deficit how far the running total was below the reported one (0 or more) */
    CpuMeter(double ticksPerSecond, double seconds, double deficit, Map<ProcessKey, Seen> seen, Set<String> settled) {
        this.ticksPerSecond = ticksPerSecond;
        this.seconds = seconds;
        this.running = seconds - Math.max(0, deficit);
        this.seen = new HashMap<>(seen);
        this.settled = new HashSet<>(settled);
    }

    /**
     * Takes a sighting of the sliver's processes (zombies included: they still show their
     * final times) and returns the CPU seconds used since creation.
     *
     * @param members     every process in the sliver's sessions now
     * @param settlements final times of supervisors whose programs ended; each counts once
     * @param supervisors the programs' supervisors, ended or not (their children's time shows in
     *                    their settled final times); empty for a meter that settles nothing
     */
    double advance(List<ProcStat> members, List<Settlement> settlements, Set<ProcessKey> supervisors) {
        Map<ProcessKey, Seen> now = new HashMap<>();
        Set<Long> presentPids = new HashSet<>();
        long ticks = 0;
        for (ProcStat p : members) {
            ProcessKey key = p.key();
            Seen before = seen.get(key);
            ticks += before == null
                    ? p.ownTicks() + p.childTicks()
                    : (p.ownTicks() - before.own()) + (p.childTicks() - before.children());
            now.put(key, new Seen(p.ppid(), p.ownTicks(), p.childTicks()));
            presentPids.add(p.pid());
        }

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
        Map<Long, ProcessKey> vanished = new HashMap<>();
        seen.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> vanished.put(k.pid(), k));
        for (ProcessKey gone : vanished.values()) {
            Seen last = seen.get(gone);
            if (!handled.contains(gone) && showsInAMember(last.ppid(), presentPids, vanished, supervisors)) {
                ticks -= last.own() + last.children(); // now part of a member's children figure
            }
        }
        seen = now;
        running += ticks / ticksPerSecond + settledSeconds;
        seconds = Math.max(seconds, running);
        return seconds;
    }

    /**
     * Whether the time of a process whose parent was {@code ppid} shows (now or once settled) in
     * a member: following vanished parents up, a member still there or a supervisor reaped it.
     */
    private boolean showsInAMember(long ppid, Set<Long> presentPids, Map<Long, ProcessKey> vanished,
                                   Set<ProcessKey> supervisors) {
        long pid = ppid;
        for (int depth = 0; depth <= vanished.size(); depth++) {
            if (presentPids.contains(pid)) {
                return true;
            }
            ProcessKey parent = vanished.get(pid);
            if (parent == null) {
                return false; // reaped outside the sliver: its time is lost, what was seen of it stays
            }
            if (supervisors.contains(parent)) {
                return true;
            }
            pid = seen.get(parent).ppid();
        }
        return false;
    }

    double seconds() {
        return seconds;
    }

    /** How far the running total is below the reported one now (0 or more), to be saved with it. */
    double deficit() {
        return seconds - running;
    }

    Map<ProcessKey, Seen> seen() {
        return Map.copyOf(seen);
    }

    Set<String> settled() {
        return Set.copyOf(settled);
    }
}
