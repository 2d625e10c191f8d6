package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
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
 * quota, its total memory or its number of processes, so the guard does, every period:
 * <ul>
 * <li>memory: when the resident total is over the limit, SIGKILL the largest process;</li>
 * <li>processes: when the sliver has more tasks (threads counted) than its limit, SIGKILL
 * the newest processes until it has no more; a fork cannot be refused, only undone;</li>
 * <li>CPU quota: the {@link CpuThrottle} duty cycle, with SIGSTOP and SIGCONT.</li>
 * </ul>
 * Supervisors are never signalled: they must live to record their program's exit code.
 *
 * <p>The guard thread calls {@link #check}; the backend's callers change limits and sessions
 * (volatile, replaced whole) and suspend or retire it. Everything else is guarded by this.
 */
final class GuardedSliver {

    private final String name;
    private final Signaller signaller;
    private final double ticksPerSecond;
    private final long pageSize;
    private final double periodSeconds;
    private final Consumer<GuardCounters> recorder;
    private final AtomicLong peakBytes = new AtomicLong();

    private volatile Limits limits;
    private volatile SliverProcesses processes = SliverProcesses.NONE;

    private boolean suspended;
    private boolean retired;
    private GuardCounters counters;
    private CpuThrottle throttle;
    private CpuMeter meter;
    private double meteredSeconds;
    private long lastNanos;
    private final Set<Long> stoppedPids = new HashSet<>();

    /**
     * @param recorder persists the counters after each kill; called on the guard thread
     */
    GuardedSliver(String name, Limits limits, GuardCounters counters, Signaller signaller, double ticksPerSecond,
                  long pageSize, double periodSeconds, Consumer<GuardCounters> recorder) {
        this.name = name;
        this.limits = limits;
        this.counters = counters;
        this.signaller = signaller;
        this.ticksPerSecond = ticksPerSecond;
        this.pageSize = pageSize;
        this.periodSeconds = periodSeconds;
        this.recorder = recorder;
    }

    String name() {
        return name;
    }

    void setLimits(Limits limits) {
        this.limits = limits;
    }

    void setProcesses(SliverProcesses processes) {
        this.processes = processes;
    }

    /** Whether there is anything to enforce: a guarded limit and a session that may have processes. */
    boolean needsChecking() {
        Limits l = limits;
        return !processes.isEmpty() && (l.cpuCores() != null || l.memoryBytes() != null || l.maxProcesses() != null);
    }

    synchronized GuardCounters counters() {
        return counters;
    }

    /** The highest resident total the guard saw. */
    long peakBytes() {
        return peakBytes.get();
    }

    /** One period: enforce the limits on the sliver's processes in this snapshot. */
    synchronized void check(ProcessTable table, long nowNanos) {
        if (suspended || retired) {
            return;
        }
        SliverProcesses current = processes;
        List<ProcStat> members = current.members(table);
        List<ProcStat> workers = current.workers(table);
        long rss = 0;
        for (ProcStat p : members) {
            if (p.alive()) {
                rss += p.rssPages() * pageSize;
            }
        }
        peakBytes.accumulateAndGet(rss, Math::max);
        Limits l = limits;
        if (l.memoryBytes() != null && rss > l.memoryBytes()) {
            killLargest(workers, rss, l.memoryBytes());
        }
        if (l.maxProcesses() != null) {
            trimNewest(members, workers, l.maxProcesses());
        }
        throttle(l.cpuCores(), members, workers, nowNanos);
    }

    /** Continues what the throttle stopped and pauses enforcement: stop, kill and destroy need the processes awake. */
    synchronized void suspend() {
        suspended = true;
        continueStopped();
    }

    synchronized void resume() {
        suspended = false;
    }

    /** Continues what the throttle stopped and never acts again (destroy, close). */
    synchronized void retire() {
        retired = true;
        continueStopped();
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

    private void trimNewest(List<ProcStat> members, List<ProcStat> workers, int limit) {
        int before = members.stream().filter(ProcStat::alive).mapToInt(ProcStat::threads).sum();
        if (before <= limit) {
            return;
        }
        List<ProcStat> newestFirst = new ArrayList<>(workers);
        newestFirst.sort(Comparator.comparingLong(ProcStat::startTicks).thenComparingLong(ProcStat::pid).reversed());
        List<Long> victims = new ArrayList<>();
        int tasks = before;
        for (ProcStat p : newestFirst) {
            if (tasks <= limit) {
                break;
            }
            victims.add(p.pid());
            tasks -= p.threads();
            workers.remove(p);
        }
        if (!victims.isEmpty()) {
            signaller.send(Signal.KILL, victims);
            record(counters.processKills(victims.size(), String.format(
                    "%d tasks, over the limit of %d: killed the %d newest processes", before, limit, victims.size())));
        }
    }

    private void throttle(Double cores, List<ProcStat> members, List<ProcStat> workers, long nowNanos) {
        if (cores == null) {
            if (throttle != null) {
                continueStopped();
                throttle = null;
                meter = null;
            }
            return;
        }
        if (throttle == null) {
            throttle = new CpuThrottle(cores, periodSeconds);
            meter = new CpuMeter(ticksPerSecond);
            meteredSeconds = meter.advance(members, List.of()); // the baseline: earlier use is not in debt
            lastNanos = nowNanos;
            return;
        }
        throttle.setCores(cores);
        Set<Long> running = new HashSet<>();
        workers.forEach(p -> running.add(p.pid()));
        stoppedPids.retainAll(running); // a stopped process that died needs no SIGCONT, and its pid may be reused
        double seconds = meter.advance(members, List.of());
        boolean mayRun = throttle.mayRun(seconds - meteredSeconds, (nowNanos - lastNanos) / 1e9);
        meteredSeconds = seconds;
        lastNanos = nowNanos;
        if (mayRun) {
            continueStopped();
        } else {
            List<Long> toStop = new ArrayList<>();
            for (ProcStat p : workers) {
                if (stoppedPids.add(p.pid())) {
                    toStop.add(p.pid());
                }
            }
            signaller.send(Signal.STOP, toStop);
        }
    }

    private void continueStopped() {
        if (!stoppedPids.isEmpty()) {
            signaller.send(Signal.CONT, List.copyOf(stoppedPids));
            stoppedPids.clear();
        }
    }

    private void record(GuardCounters updated) {
        counters = updated;
        recorder.accept(updated);
    }
}
