package dev.sliceplane.vmm.simulated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.spi.BackendContext;

/** A simulated backend on a virtual clock with its events collected: what the tests drive. */
final class Sim implements AutoCloseable {

    static final java.time.Instant START = java.time.Instant.parse("2026-03-02T06:00:00Z");

    final VirtualClock clock;
    final List<VmmEvent> events = new ArrayList<>();
    final SimulatedBackend backend;
    final Path state;

    private Sim(Path state, Map<String, String> settings, VirtualClock clock) {
        this.state = state;
        this.clock = clock;
        this.backend = new SimulatedBackendFactory().open(new BackendContext(state, settings, events::add, clock));
    }

    static Sim open(Path state, Map<String, String> settings) {
        return new Sim(state, settings, new VirtualClock(START));
    }

    static Sim open(Path state, Map<String, String> settings, VirtualClock clock) {
        return new Sim(state, settings, clock);
    }

    static Map<String, String> settings(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Advances the clock and takes one pass. */
    List<SliverUsage> step(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        return backend.usage();
    }

    NodeStatus status() {
        return backend.nodeStatus().orElseThrow();
    }

    SliverUsage usage(List<SliverUsage> all, String sliver) {
        return all.stream().filter(u -> u.name().equals(sliver)).findFirst().orElseThrow();
    }

    /** The events collected so far, then forgets them. */
    List<VmmEvent> drain() {
        List<VmmEvent> copy = List.copyOf(events);
        events.clear();
        return copy;
    }

    static List<VmmEvent> of(List<VmmEvent> events, VmmEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    static List<VmmEvent> of(List<VmmEvent> events, VmmEvent.Kind kind, Limit limit) {
        return events.stream().filter(e -> e.kind() == kind && e.limit() == limit).toList();
    }

    @Override
    public void close() {
        backend.close();
    }
}
