package dev.sliceplane.monitor.internal.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.monitor.api.SliverFigures;
import dev.sliceplane.platform.api.acquisition.Resources;

/** What the reporter's tests share: a clock they move, resources, and a monitor with fixed figures. */
final class Fixtures {

    private Fixtures() {
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Resources of {@code cpu} cores and {@code memoryMiB}, with 100 processes and 1 GiB of disk per core. */
    static Resources res(double cpu, long memoryMiB) {
        return new Resources(cpu, memoryMiB << 20, (int) Math.round(cpu * 100), (long) (cpu * (1L << 30)));
    }

    /** A 4-core node's figures with the given CPU, load and memory; the rest plausible. */
    static NodeFigures figures(Instant at, Double cpuBusy, double load1, long memAvailable) {
        return new NodeFigures(at, "node1.test", "simulated", true, 4, cpuBusy, cpuBusy == null ? null : 4 * (1 - cpuBusy),
                load1, load1, load1, 8L << 30, memAvailable, 0, 0, "/", 100L << 30, 50L << 30, 1000, null, 0, 0, 0,
                null, null);
    }

    /** A monitor whose node figures are {@code node} ({@code null}: no sample yet). */
    static Monitor monitor(NodeFigures node) {
        return new Monitor() {
            @Override
            public Optional<NodeFigures> node() {
                return Optional.ofNullable(node);
            }

            @Override
            public List<SliverFigures> slivers() {
                return List.of();
            }

            @Override
            public List<SliceFigures> managementSlices() {
                return List.of();
            }

            @Override
            public History history(Series series, Resolution resolution) {
                throw new IllegalArgumentException("no history in this test");
            }

            @Override
            public List<Series> series() {
                return List.of();
            }
        };
    }
}
