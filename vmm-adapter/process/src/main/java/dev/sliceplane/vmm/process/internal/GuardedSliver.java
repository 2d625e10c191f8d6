package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.process.internal.Signaller.Signal;

/**
 * One sliver as the guard sees it: its limits, the sessions of its programs, and what the
 * guard is doing to it. Without cgroups nothing in the kernel holds a sliver to its CPU
 * quota, its total memory or its number of processes, so the guard does, at every check:
 * <ul>
 * <li>memory: when the resident total is over the limit, SIGKILL the largest process;</li>
 * <li>processes: the {@link ForkBrake} kills the newest processes over the limit and pauses
 * the processes that forked them;</li>
 * <li>CPU quota: the {@link CpuThrottle} duty cycle, with SIGSTOP and SIGCONT.</li>
 * </ul>
 * Supervisors are never signalled: they must live to record their program's exit code. A
 * process stopped for two reasons (throttled and braked) is continued only when both end.
 *
 * <p>The guard thread calls {@link #check}; the backend's callers change limits and
 * processes and suspend or retire it. All of that is guarded by this object's lock, except
 * the volatile process view and the peak, which are read without it.
 */
final class GuardedSliver {

    private final String name;
    private final Signaller signaller;
    private final double ticksPerSecond;
    private final long pageSize;
    private final long periodNanos;
    private final Consumer<GuardCounters> recorder;
    private final AtomicLong peakBytes = new AtomicLong();
    private volatile SliverProcesses processes = SliverProcesses.NONE;

    private Limits limits;
    private boolean suspended;
    private boolean retired;
    private GuardCounters counters;
    private final ForkBrake brake;
    private CpuThrottle throttle;
    private CpuMeter meter;
    private double meteredSeconds;
    private long lastNanos;
    private final Set<Long> throttled = new HashSet<>();

    /**
     * @param recorder persists the counters after each kill; called on the guard thread
     */
    GuardedSliver(String name, Limits limits, GuardCounters counters, Signaller signaller, double ticksPerSecond,
                  long pageSize, long periodNanos, Consumer<GuardCounters> recorder) {
        this.name = name;
        this.limits = limits;
        this.counters = counters;
        this.signaller = signaller;
        this.ticksPerSecond = ticksPerSecond;
        this.pageSize = pageSize;
        this.periodNanos = periodNanos;
        this.recorder = recorder;
        this.brake = new ForkBrake();
    }

    String name() {
        return name;
    }

    /** New limits take effect at the next check; a lifted quota or process limit frees what it held at once. */
    synchronized void setLimits(Limits newLimits) {
        this.limits = newLimits;
        if (newLimits.cpuCores() == null) {
            dropThrottle();
        }
        if (newLimits.maxProcesses() == null) {
            continueUnlessHeld(brake.releaseAll());
        }
    }

    void setProcesses(SliverProcesses processes) {
        this.processes = processes;
    }

    /** Whether a check has anything to do: a guarded limit with processes to guard, or processes it holds. */
    synchronized boolean needsChecking() {
        if (!throttled.isEmpty() || brake.pausing()) {
            return true;
        }
        return !processes.isEmpty()
                && (limits.cpuCores() != null || limits.memoryBytes() != null || limits.maxProcesses() != null);
    }

    synchronized GuardCounters counters() {
        return counters;
    }

    /** The highest resident total the guard saw. */
    long peakBytes() {
        return peakBytes.get();
    }

    /**
     * One check: enforce the limits on the sliver's processes in this snapshot.
     *
     * @return whether the sliver should be checked again soon (it is fighting its process limit)
     */
    synchronized boolean check(ProcessTable table, long nowNanos) {
        if (suspended || retired) {
            return false;
        }
        SliverProcesses current = processes;
        List<ProcStat> members = current.members(table);
        List<ProcStat> workers = current.workers(table);
        Set<Long> live = new HashSet<>();
        workers.forEach(p -> live.add(p.pid()));
        throttled.retainAll(live); // a stopped process that died needs no SIGCONT, and its pid may be reused
        brake.retainOnly(live);

        long rss = 0;
        for (ProcStat p : members) {
            if (p.alive()) {
                rss += p.rssPages() * pageSize;
            }
        }
        peakBytes.accumulateAndGet(rss, Math::max);
        if (limits.memoryBytes() != null && rss > limits.memoryBytes()) {
            killLargest(workers, rss, limits.memoryBytes());
        }
        if (limits.maxProcesses() != null) {
            brakeForks(members, workers, limits.maxProcesses(), nowNanos);
        }
        throttle(members, workers, nowNanos);
        return brake.watchful(nowNanos);
    }

    /** Continues what the guard stopped and pauses enforcement: stop, kill and destroy need the processes awake. */
    synchronized void suspend() {
        suspended = true;
        releaseEverything();
    }

    synchronized void resume() {
        suspended = false;
    }

    /** Continues what the guard stopped and never acts again (destroy, close). */
    synchronized void retire() {
        retired = true;
        releaseEverything();
    }

    private void killLargest(List<ProcStat> workers, long rss, long limit) {
        workers.stream().max(Comparator.comparingLong(ProcStat::rssPages)).ifPresent(victim -> {
            signaller.send(Signal.KILL, List.of(victim.pid()));
            workers.remove(victim);
            record(counters.memoryKill(String.format(
                    "resident memory %d MiB over the limit of %d MiB: killed pid %d (%s, %d MiB)",
                    rss >> 20, limit >> 20, victim.pid(), victim.comm(), (victim.rssPages() * pageSize) >> 20)));
        });
    }

    private void brakeForks(List<ProcStat> members, List<ProcStat> workers, int limit, long nowNanos) {
        ForkBrake.Decision decision = brake.check(members, workers, limit, nowNanos);
        continueUnlessHeld(decision.release());
        if (decision.kill().isEmpty()) {
            return;
        }
        signaller.send(Signal.STOP, decision.pause()); // first, so the forkers cannot refill what is killed
        signaller.send(Signal.KILL, decision.kill());
        Set<Long> killed = new HashSet<>(decision.kill());
        workers.removeIf(p -> killed.contains(p.pid()));
        record(counters.processKills(decision.kill().size(), String.format(
                "%d tasks, over the limit of %d: killed the %d newest, paused %d forking until there is room",
                decision.tasks(), limit, decision.kill().size(), decision.pause().size())));
    }

    private void throttle(List<ProcStat> members, List<ProcStat> workers, long nowNanos) {
        Double cores = limits.cpuCores();
        if (cores == null) {
            dropThrottle();
            return;
        }
        if (throttle == null) {
            throttle = new CpuThrottle(cores, periodNanos / 1e9);
            meter = new CpuMeter(ticksPerSecond);
            meteredSeconds = meter.advance(members, List.of(), Set.of()); // the baseline: earlier use is not a debt
            lastNanos = nowNanos;
            return;
        }
        throttle.setCores(cores);
        double seconds = meter.advance(members, List.of(), Set.of());
        boolean mayRun = throttle.mayRun(seconds - meteredSeconds, (nowNanos - lastNanos) / 1e9);
        meteredSeconds = seconds;
        lastNanos = nowNanos;
        if (mayRun) {
            continueUnlessHeld(takeThrottled());
        } else {
            List<Long> toStop = new ArrayList<>();
            for (ProcStat p : workers) {
                if (throttled.add(p.pid())) {
                    toStop.add(p.pid());
                }
            }
            signaller.send(Signal.STOP, toStop);
        }
    }

    private void dropThrottle() {
        throttle = null;
        meter = null;
        continueUnlessHeld(takeThrottled());
    }

    private List<Long> takeThrottled() {
        List<Long> pids = new ArrayList<>(throttled);
        throttled.clear();
        return pids;
    }

    /** SIGCONT for processes no longer held by the throttle nor by the brake. */
    private void continueUnlessHeld(Collection<Long> pids) {
        List<Long> free = new ArrayList<>();
        for (Long pid : pids) {
            if (!throttled.contains(pid) && !brake.pauses(pid)) {
                free.add(pid);
            }
        }
        signaller.send(Signal.CONT, free);
    }

    private void releaseEverything() {
        List<Long> all = new ArrayList<>(takeThrottled());
        all.addAll(brake.releaseAll());
        signaller.send(Signal.CONT, all);
        throttle = null; // a fresh start after: what ran meanwhile is not a debt
        meter = null;
    }

    private void record(GuardCounters updated) {
        counters = updated;
        recorder.accept(updated);
    }
}
