package dev.sliceplane.vmm.linux.internal;

/**
 * Decides, pass by pass, which of a sliver's counters a sampling pass reads besides the two it
 * always reads (CPU time, tasks), and when it looks at the supervisors the backend adopted at a
 * restart. Each file is a system call of 1–3 µs; at 1,000 slivers six of them per sliver were
 * 1.6–1.8 % of a core at 1 Hz, against a goal of 1 %. These rarely move while a sliver is idle,
 * and the levels show when they can have:
 *
 * <ul>
 * <li><b>Memory usage and peak</b> ({@code memory.usage_in_bytes} and
 *     {@code memory.max_usage_in_bytes}; {@code memory.current} and {@code memory.peak} on v2):
 *     read when the sliver's CPU time moved since the pass before. A charge, and so a new peak, is
 *     made by a task of the sliver as it runs; the few the kernel makes on a cgroup's behalf from
 *     elsewhere (an inotify event for a listener in it, a swap-in by another process) wait for the
 *     periodic read below. The usage can also fall while the sliver is idle: the kernel reclaims
 *     its page cache under pressure, or another process deletes a file it had cached. An idle
 *     sliver's usage may so be up to {@code everyPasses} passes old, and too high rather than too
 *     low; a sliver that runs has it read on every pass. The probe of an adopted supervisor is
 *     read on the same passes: a process ends by running its exit, which the CPU time shows.</li>
 * <li><b>OOM kills</b> ({@code oom_kill} in {@code memory.oom_control}; {@code memory.events} on
 *     v2): read while the peak or the usage is within {@link #MEMORY_MARGIN_BYTES} of the memory
 *     limit, or the kernel keeps no peak. The kernel kills at a sliver's own limit only after a
 *     charge failed with the usage at the limit, and the peak never falls, so a kill at the limit
 *     is reported by the pass after it, and from then on the count is read every pass. A kill
 *     elsewhere (the node out of memory, or an ancestor's limit) ends a process far below the limit;
 *     the kernel counts it before the victim gets its signal, so it is read on the pass that sees a
 *     program of the sliver ended, or fewer tasks than the pass before.</li>
 * <li><b>Refused forks</b> ({@code max} in {@code pids.events}): read while the tasks are at the
 *     process limit or one below, since a fork fails at the sliver's own limit only when the count
 *     is there. A count that touched the limit and fell back between two passes (a fork bomb
 *     whose shells give up) waits for the periodic read.</li>
 * <li><b>All of them</b> on the sliver's first pass (after creation or a restart, so what happened
 *     while no backend looked is reported at once), and at least every {@code everyPasses} passes.
 *     This bounds what the rules above do not see (a process killed and replaced between two
 *     passes; a process count that touched the limit and fell back between them; a fork refused at
 *     an ancestor's limit): such an event is reported at most {@code everyPasses} passes late.</li>
 * </ul>
 *
 * The periodic reads of different slivers fall on different passes ({@code stagger}), so no pass
 * reads every sliver's counters at once. {@link #readAllNextPass} makes the next pass a full one
 * (after a resize: a lowered memory limit reclaims at once, without the sliver running). Not
 * thread-safe: one per sliver, used by the sampling pass, which calls {@link #startPass} and then
 * {@link #countersDue} once each per pass.
 */
final class EventCounterSchedule {

    /**
     * How close to its limit the memory peak must be for the OOM kill count to be read every
     * pass: twice the largest single charge (a 2 MiB huge page on x86-64), since a charge that
     * fails leaves the usage within one charge of the limit.
     */
    static final long MEMORY_MARGIN_BYTES = 4L << 20;

    /** Bit of {@link #countersDue}: read the OOM kill count on this pass. */
    static final int OOM_KILLS = 1;
    /** Bit of {@link #countersDue}: read the refused forks on this pass. */
    static final int FORK_REFUSALS = 2;
    static final int BOTH = OOM_KILLS | FORK_REFUSALS;

    private final int everyPasses;
    private final int stagger;
    /** Passes until everything is read regardless: 0 reads it on this pass (as on the first). */
    private int passesLeft;
    private boolean first = true;
    /** The next pass reads everything, out of turn ({@link #readAllNextPass}). */
    private boolean readAll;
    /** This pass is a periodic one (set by {@link #startPass}). */
    private boolean periodic;
    /** The CPU time and tasks on the pass before; -1 before the first. */
    private long cpuBefore = -1;
    private int tasksBefore = -1;

    /**
     * @param everyPasses the most passes between two reads of each counter, at least 1
     * @param stagger     any number (such as the sliver's index); spreads the periodic reads of
     *                    slivers over the passes
     */
    EventCounterSchedule(int everyPasses, int stagger) {
        if (everyPasses < 1) {
            throw new IllegalArgumentException("everyPasses must be at least 1: " + everyPasses);
        }
        this.everyPasses = everyPasses;
        this.stagger = Math.floorMod(stagger, everyPasses);
    }

    /**
     * Starts a pass: whether anything of the sliver may have moved, so the pass reads the memory
     * usage and peak and looks at the supervisors it adopted at a restart. True when the sliver
     * used CPU time since the pass before (a charge, a fork, an exit: each needs a task of the
     * sliver to run), on periodic passes, and on the pass after {@link #readAllNextPass}.
     *
     * @param cpuNanos the sliver's CPU time just read
     */
    boolean startPass(long cpuNanos) {
        boolean ran = cpuNanos != cpuBefore;
        cpuBefore = cpuNanos;
        periodic = passesLeft == 0;
        if (periodic) {
            // After the first pass the sliver's stagger sets its phase; from then on, every everyPasses.
            passesLeft = first ? stagger : everyPasses - 1;
            first = false;
        } else {
            passesLeft--;
        }
        periodic |= readAll;
        readAll = false;
        return periodic || ran;
    }

    /** Makes the next pass read everything, keeping the periodic phase. */
    void readAllNextPass() {
        readAll = true;
    }

    /**
     * Which event counters this pass reads, after {@link #startPass}.
     *
     * @param memoryPeak   the memory peak as last read; negative when the kernel keeps none
     * @param memoryBytes  the memory usage as last read
     * @param memoryLimit  the memory limit the kernel holds; negative: none
     * @param tasks        the tasks just read ({@code pids.current})
     * @param maxProcesses the process limit; negative: none
     * @param programEnded this pass saw a program of the sliver end
     * @return a combination of {@link #OOM_KILLS} and {@link #FORK_REFUSALS}; 0 for neither
     */
    int countersDue(long memoryPeak, long memoryBytes, long memoryLimit, int tasks, int maxProcesses,
                    boolean programEnded) {
        boolean fell = tasks < tasksBefore;
        tasksBefore = tasks;
        if (periodic) {
            return BOTH;
        }
        int due = 0;
        if (programEnded || fell || memoryPeak < 0
                || (memoryLimit >= 0 && Math.max(memoryPeak, memoryBytes) >= memoryLimit - MEMORY_MARGIN_BYTES)) {
            due |= OOM_KILLS;
        }
        if (maxProcesses >= 0 && tasks >= maxProcesses - 1) {
            due |= FORK_REFUSALS;
        }
        return due;
    }
}
