package dev.sliceplane.vmm.process.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.process.internal.StateLayout.SliverPaths;

/**
 * Builds a {@link Sliver} from its records, wiring its guard entry to persist what the guard
 * does, and saves its meter state. One place for both, so a created sliver and a recovered
 * one are made the same way.
 */
final class SliverAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(SliverAssembler.class);

    private final Host host;
    private final ProcessSettings settings;
    private final Signaller signaller;
    private final RecordStore store;

    SliverAssembler(Host host, ProcessSettings settings, Signaller signaller, RecordStore store) {
        this.host = host;
        this.settings = settings;
        this.signaller = signaller;
        this.store = store;
    }

    Sliver assemble(SliverRecord record, SliverPaths paths, GuardCounters counters, Optional<UsageState> usage) {
        GuardedSliver guarded = new GuardedSliver(record.name(), record.limits(), counters, signaller,
                host.ticksPerSecond(), host.pageSize(), settings.guardPeriod().toNanos(),
                updated -> saveCounters(paths, updated));
        CpuMeter meter = usage.map(this::meter).orElseGet(() -> new CpuMeter(host.ticksPerSecond()));
        return new Sliver(record, paths, guarded, meter, usage.map(UsageState::peakMemoryBytes).orElse(0L));
    }

    void saveUsage(Sliver sliver) {
        Map<String, long[]> seen = new HashMap<>();
        sliver.meter().seen().forEach((key, s) -> seen.put(key.toString(), new long[] {s.ppid(), s.own(), s.children()}));
        store.write(sliver.paths().usage(), new UsageState(host.bootId(), sliver.meter().seconds(), sliver.meter().deficit(),
                sliver.peakBytes(), seen, sliver.meter().settled()));
        sliver.usageSaved();
    }

    private CpuMeter meter(UsageState state) {
        Map<ProcessKey, CpuMeter.Seen> seen = new HashMap<>();
        if (host.bootId().equals(state.bootId()) && state.seen() != null) {
            state.seen().forEach((key, v) -> seen.put(ProcessKey.parse(key), new CpuMeter.Seen(v[0], v[1], v[2])));
        }
        return new CpuMeter(host.ticksPerSecond(), state.cpuSeconds(), state.cpuDeficitSeconds(), seen,
                state.settled() == null ? Set.of() : state.settled());
    }

    /** Runs on the guard thread, after a kill. */
    private void saveCounters(SliverPaths paths, GuardCounters counters) {
        try {
            store.write(paths.guard(), counters);
        } catch (RuntimeException e) {
            LOG.warn("cannot save what the guard did to {}: {}", paths.dir(), e.getMessage());
        }
    }
}
