package dev.sliceplane.monitor.internal.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.monitor.api.SliverFigures;

/** A monitor whose figures the test sets; stands in for the store while it is being written. */
final class FakeMonitor implements Monitor {

    static final Instant AT = Instant.parse("2026-11-26T07:00:00Z");

    volatile NodeFigures node;
    volatile List<SliverFigures> slivers = List.of();

    static NodeFigures node(int slivers) {
        return new NodeFigures(AT, "node1.example.org", "simulated", true, 4, 0.25, 3.0, 1.5, 1.25, 1.0,
                8L << 30, 6L << 30, 2L << 30, 1L << 30, "/var/lib/sliceplane", 100L << 30, 40L << 30, 3600.5,
                null, slivers, 1_000_000, 2_000_000, 10.0, 20.0);
    }

    static SliverFigures sliver(String slice, double cpuSeconds) {
        return new SliverFigures(AT, slice, slice, "RUNNING", 0.5, cpuSeconds, 64L << 20, 80L << 20, 256L << 20, 3,
                4096L, null, null, null, null, 2, AT.plusSeconds(600));
    }

    static List<SliverFigures> slivers(int count) {
        List<SliverFigures> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(sliver("site" + i + "_slice", i * 1.5));
        }
        return all;
    }

    @Override
    public Optional<NodeFigures> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public List<SliverFigures> slivers() {
        return slivers;
    }

    @Override
    public List<SliceFigures> managementSlices() {
        return List.of();
    }

    @Override
    public History history(Series series, Resolution resolution) {
        throw new IllegalArgumentException("no history in this fake");
    }

    @Override
    public List<Series> series() {
        return List.of();
    }
}
