package dev.sliceplane.vmm.process.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;

/**
 * One sliver's usage from a /proc snapshot: CPU from its {@link CpuMeter}, memory as the sum
 * of its processes' resident sets, processes as the sum of their threads, disk from the
 * cached walk of its home. On the way it reports program exits and what the guard killed
 * ({@code LIMIT_EXCEEDED}, one event per limit per sample, after the reported count is saved),
 * and stops looking at sessions that have emptied.
 */
final class UsageSampler {

    private static final long SAVE_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

    private final long pageSize;
    private final RecordStore store;
    private final ExitTracker exits;
    private final SliverAssembler assembler;
    private final DiskUsage disk;
    private final Consumer<VmmEvent> events;
    private final Clock clock;

    UsageSampler(long pageSize, RecordStore store, ExitTracker exits, SliverAssembler assembler, DiskUsage disk,
                 Consumer<VmmEvent> events, Clock clock) {
        this.pageSize = pageSize;
        this.store = store;
        this.exits = exits;
        this.assembler = assembler;
        this.disk = disk;
        this.events = events;
        this.clock = clock;
    }

    SliverUsage sample(Sliver sliver, ProcessTable table) {
        exits.settle(sliver, table);
        SliverProcesses processes = sliver.processes();
        List<ProcStat> members = processes.members(table);
        double cpuSeconds = sliver.meter().advance(members, settlements(sliver), supervisors(sliver));

        long rss = 0;
        int tasks = 0;
        for (ProcStat p : members) {
            if (p.alive()) {
                rss += p.rssPages() * pageSize;
                tasks += p.threads();
            }
        }
        long peak = sliver.notePeak(rss);
        GuardCounters counters = reportLimits(sliver);
        closeEmptySessions(sliver, processes, table);
        if (sliver.usageOlderThan(SAVE_INTERVAL_NANOS)) {
            assembler.saveUsage(sliver);
        }
        return new SliverUsage(sliver.name(), tasks > 0 ? SliverState.RUNNING : SliverState.IDLE, cpuSeconds, rss,
                peak, tasks, disk.bytes(sliver.name(), sliver.paths().home()), null, null, counters.memoryKills());
    }

    /** The supervisors of the sliver's programs, ended or not. */
    private static Set<ProcessKey> supervisors(Sliver sliver) {
        Set<ProcessKey> supervisors = new HashSet<>();
        for (ProgramRecord p : sliver.programs()) {
            p.session().leader().ifPresent(supervisors::add);
        }
        return supervisors;
    }

    /** Final times of supervisors whose programs ended. */
    private static List<CpuMeter.Settlement> settlements(Sliver sliver) {
        List<CpuMeter.Settlement> settlements = new ArrayList<>();
        for (ProgramRecord p : sliver.programs()) {
            if (p.ended() && !sliver.meter().settled().contains(p.id())) {
                Optional<SupervisorTimes> times = SupervisorTimes.read(sliver.paths().program(p.id()).times());
                times.ifPresent(t -> settlements.add(
                        new CpuMeter.Settlement(p.id(), p.session().leader(), t.ownSeconds(), t.childSeconds())));
            }
        }
        return settlements;
    }

    private GuardCounters reportLimits(Sliver sliver) {
        GuardCounters counters = sliver.guarded().counters();
        SliverRecord record = sliver.record();
        long memory = counters.memoryKills() - record.reportedMemoryKills();
        long processes = counters.processKills() - record.reportedProcessKills();
        if (memory <= 0 && processes <= 0) {
            return counters;
        }
        SliverRecord reported = record.withReported(counters.memoryKills(), counters.processKills());
        store.write(sliver.paths().record(), reported);
        sliver.setRecord(reported);
        if (memory > 0) {
            events.accept(VmmEvent.limitExceeded(sliver.name(), clock.instant(), Limit.MEMORY,
                    memory + (memory == 1 ? " process" : " processes") + " killed over the memory limit; last: "
                            + counters.lastMemoryKill()));
        }
        if (processes > 0) {
            events.accept(VmmEvent.limitExceeded(sliver.name(), clock.instant(), Limit.PROCESSES,
                    processes + (processes == 1 ? " process" : " processes") + " killed over the process limit; last: "
                            + counters.lastProcessKill()));
        }
        return counters;
    }

    private static void closeEmptySessions(Sliver sliver, SliverProcesses processes, ProcessTable table) {
        for (SliverProcesses.Program open : processes.programs()) {
            String id = open.paths().dir().getFileName().toString();
            boolean ended = sliver.programs().stream().anyMatch(p -> p.id().equals(id) && p.ended());
            if (ended && open.session().members(table).stream().noneMatch(ProcStat::alive)) {
                sliver.closeSession(id);
            }
        }
    }
}
