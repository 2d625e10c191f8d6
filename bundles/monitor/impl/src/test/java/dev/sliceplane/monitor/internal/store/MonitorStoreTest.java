package dev.sliceplane.monitor.internal.store;

import static dev.sliceplane.monitor.internal.store.Samples.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.api.Series.Scope;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.monitor.api.SliverFigures;
import dev.sliceplane.vmm.api.VmmEvent;

class MonitorStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-26T07:00:00Z");

    private final FakeContext context = new FakeContext();
    private final Samples samples = new Samples();
    private final MonitorStore store = new MonitorStore(context);

    private void sampleAt(long secondsAfterT0) {
        store.sampled(samples.at(T0.plusSeconds(secondsAfterT0)));
    }

    private SliverFigures sliver(String name) {
        return store.slivers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void nothingBeforeTheFirstSample() {
        assertTrue(store.node().isEmpty());
        assertTrue(store.slivers().isEmpty());
        assertTrue(store.nextSampleDue().isEmpty());
        assertEquals(0, store.history(new Series(Scope.NODE, "node1.test", "load1"), Resolution.TEN_SECONDS)
                .points().size());
    }

    @Test
    void nodeFiguresComeFromTheSampleAndTheContext() {
        context.clockOffset = -0.125;
        samples.ethRx = 1_000;
        samples.ethTx = 500;
        samples.loRx = 1_000_000;
        sampleAt(0);
        NodeFigures node = store.node().orElseThrow();
        assertEquals(T0, node.at());
        assertEquals("node1.test", node.hostname());
        assertEquals("test", node.backend());
        assertEquals(4, node.cores());
        assertEquals(0.25, node.cpuBusy());
        assertEquals(3.0, node.cpuFree());
        assertEquals(1.5, node.load1());
        assertEquals(6 * GIB, node.memAvailableBytes());
        assertEquals("/var/lib/sliceplane", node.diskPath());
        assertEquals(50 * GIB, node.diskAvailBytes());
        assertEquals(-0.125, node.clockOffsetSeconds());
        assertEquals(2_000, node.netRxBytes(), "loopback is left out: eth0 + eth1");
        assertEquals(2_500, node.netTxBytes());
        assertNull(node.netRxRate(), "a rate needs two samples");

        samples.ethRx += 10_000;
        samples.loRx += 99_999_999;
        sampleAt(2);
        NodeFigures second = store.node().orElseThrow();
        assertEquals(5_000.0, second.netRxRate(), 1e-9);
        assertEquals(0.0, second.netTxRate(), 1e-9);
        assertEquals(Duration.ofSeconds(2), store.samplePeriod());
        assertEquals(T0.plusSeconds(4), store.nextSampleDue().orElseThrow());
    }

    @Test
    void sliverRatesBetweenConsecutiveSamples() {
        samples.sliver("princeton_codeen", 10, 100L, 1_000L, 0L);
        sampleAt(0);
        SliverFigures first = sliver("princeton_codeen");
        assertNull(first.cpu());
        assertNull(first.netRxRate());
        assertEquals("princeton_codeen", first.slice());
        assertEquals("RUNNING", first.state());

        samples.sliver("princeton_codeen", 14, 200L, 5_000L, 300L);
        sampleAt(5);
        SliverFigures second = sliver("princeton_codeen");
        assertEquals(0.8, second.cpu(), 1e-9);
        assertEquals(800.0, second.netRxRate(), 1e-9);
        assertEquals(60.0, second.netTxRate(), 1e-9);
        assertEquals(14, second.cpuSeconds());
        assertEquals(T0.plusSeconds(5), second.at());
    }

    @Test
    void unmeasuredCountersAndResetsGiveNoRate() {
        samples.sliver("a", 10, null, null, null);
        sampleAt(0);
        samples.sliver("a", 2, null, null, null); // recreated under the same name between samples
        sampleAt(1);
        SliverFigures a = sliver("a");
        assertNull(a.cpu(), "a counter that went back is a reset, not a negative rate");
        assertNull(a.netRxRate());
        assertNull(a.memBytes());
        samples.sliver("a", 3, null, null, null);
        sampleAt(2);
        assertEquals(1.0, sliver("a").cpu(), 1e-9);
    }

    @Test
    void sliversAreListedByNameWithLeaseEndsAndLimits() {
        samples.sliver("zeta", 0, 1L, null, null);
        samples.sliver("alpha", 0, 1L, null, null);
        context.vmmLimits.put("alpha", 64L << 20);
        context.vmmLimits.put("zeta", null);
        context.leaseEnds.put("alpha", T0.plusSeconds(3600));
        sampleAt(0);
        assertEquals(List.of("alpha", "zeta"), store.slivers().stream().map(SliverFigures::name).toList());
        assertEquals(64L << 20, sliver("alpha").memLimitBytes());
        assertNull(sliver("zeta").memLimitBytes());
        assertEquals(T0.plusSeconds(3600), sliver("alpha").leaseEnd());
        assertNull(sliver("zeta").leaseEnd());
    }

    @Test
    void memoryLimitsAreCachedAndRefreshedOnCreationAndPeriodically() {
        for (int i = 0; i < 100; i++) {
            samples.sliver("s" + i, 0, 1L, null, null);
            context.vmmLimits.put("s" + i, (long) (i + 1) << 20);
        }
        sampleAt(0);
        assertEquals(1, context.listings, "the first sample reads every limit in one listing");
        assertEquals(0, context.lookups);
        for (int s = 1; s < 30; s++) {
            sampleAt(s);
        }
        assertEquals(1, context.listings, "no VMM call while nothing changes");
        assertEquals(0, context.lookups);

        samples.sliver("new", 0, 1L, null, null);
        context.vmmLimits.put("new", 5L << 20);
        store.event(VmmEvent.created("new", T0.plusSeconds(30)));
        sampleAt(30);
        assertEquals(1, context.lookups, "a new sliver is looked up alone");
        assertEquals(5L << 20, sliver("new").memLimitBytes());

        context.vmmLimits.put("s1", 99L << 20); // resized: no event
        sampleAt(31);
        assertEquals(2L << 20, sliver("s1").memLimitBytes());
        sampleAt(60);
        assertEquals(2, context.listings, "every minute everything is read again");
        assertEquals(99L << 20, sliver("s1").memLimitBytes());
    }

    @Test
    void withoutAVmmThereAreNoLimitsButFigures() {
        context.vmmLimits = null;
        samples.sliver("a", 0, 1L, null, null);
        sampleAt(0);
        assertNull(sliver("a").memLimitBytes());
        assertEquals(1, store.slivers().size());
    }

    @Test
    void aDisappearedSliverLosesItsFiguresAndHistory() {
        samples.sliver("a", 0, 1L, null, null);
        samples.sliver("b", 0, 1L, null, null);
        sampleAt(0);
        Series bMem = new Series(Scope.SLIVER, "b", "mem");
        assertEquals(1, store.history(bMem, Resolution.TEN_SECONDS).points().size());
        assertTrue(store.series().contains(bMem));

        samples.remove("b");
        sampleAt(1);
        assertEquals(List.of("a"), store.slivers().stream().map(SliverFigures::name).toList());
        assertFalse(store.series().contains(bMem));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.history(bMem, Resolution.TEN_SECONDS));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());

        samples.sliver("b", 0, 7L, null, null);
        sampleAt(2);
        List<History.Point> points = store.history(bMem, Resolution.TEN_SECONDS).points();
        assertEquals(1, points.size(), "a sliver created again starts a new history");
        assertEquals(7, points.get(0).max());
    }

    @Test
    void historyAggregatesSamplesPerStepAtBothResolutions() {
        for (int s = 0; s < 25; s++) {
            samples.sliver("a", s * 0.5, 100L + s, null, null); // half a core
            sampleAt(s);
        }
        List<History.Point> tenSeconds = store.history(new Series(Scope.SLIVER, "a", "mem"), Resolution.TEN_SECONDS)
                .points();
        assertEquals(3, tenSeconds.size());
        assertEquals(100, tenSeconds.get(0).min());
        assertEquals(104.5, tenSeconds.get(0).avg());
        assertEquals(109, tenSeconds.get(0).max());
        assertEquals(10, tenSeconds.get(0).samples());
        assertEquals(5, tenSeconds.get(2).samples());

        History cpu = store.history(new Series(Scope.SLIVER, "a", "cpu"), Resolution.FIVE_MINUTES);
        assertEquals(1, cpu.points().size());
        assertEquals(24, cpu.points().get(0).samples(), "the first sample has no rate, so no point sample");
        assertEquals(0.5, cpu.points().get(0).avg(), 1e-6);
        assertEquals(Resolution.FIVE_MINUTES, cpu.resolution());

        History load = store.history(new Series(Scope.NODE, "node1.test", "load1"), Resolution.TEN_SECONDS);
        assertEquals(3, load.points().size());
        assertEquals(1.5, load.points().get(0).avg());
        History slivers = store.history(new Series(Scope.NODE, "node1.test", "slivers"), Resolution.TEN_SECONDS);
        assertEquals(1, slivers.points().get(1).max());
    }

    @Test
    void unknownSubjectsAndMetricsAreRefusedWithTheReason() {
        sampleAt(0);
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
                () -> store.history(new Series(Scope.NODE, "node1.test", "cpux"), Resolution.TEN_SECONDS));
        assertTrue(metric.getMessage().contains("unknown metric 'cpux'"), metric.getMessage());
        assertTrue(metric.getMessage().contains("cpu_busy"), metric.getMessage());
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> store.history(new Series(Scope.NODE, "other", "load1"), Resolution.TEN_SECONDS));
        assertTrue(node.getMessage().contains("unknown subject 'other'"), node.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> store.history(new Series(Scope.SLICE, "mgmt_none", "cpu"), Resolution.TEN_SECONDS));
    }

    @Test
    void managementSlicesWithRatesAndHistoryAndDisappearance() {
        context.slices.add(Samples.slice("mgmt_monitor", 1_000_000_000L, 1_000, 2, T0));
        context.slices.add(Samples.slice("mgmt_accounts", 0, 0, 1, T0));
        sampleAt(0);
        List<SliceFigures> first = store.managementSlices();
        assertEquals(List.of("mgmt_accounts", "mgmt_monitor"), first.stream().map(SliceFigures::name).toList());
        SliceFigures monitor = first.get(1);
        assertNull(monitor.cpu());
        assertEquals(1.0, monitor.cpuSeconds());
        assertEquals(0.25, monitor.cpuShare());
        assertEquals("dev.sliceplane.monitor", monitor.bundle());
        assertEquals("RUNNING", monitor.state());

        context.slices.clear();
        context.slices.add(Samples.slice("mgmt_monitor", 1_500_000_000L, 11_000, 2, T0.plusSeconds(2)));
        sampleAt(2);
        SliceFigures later = store.managementSlices().get(0);
        assertEquals(0.25, later.cpu(), 1e-9);
        assertEquals(1, store.managementSlices().size());
        History allocated = store.history(new Series(Scope.SLICE, "mgmt_monitor", "allocated_rate"),
                Resolution.TEN_SECONDS);
        assertEquals(5_000, allocated.points().get(0).avg(), 1e-6);
        assertThrows(IllegalArgumentException.class,
                () -> store.history(new Series(Scope.SLICE, "mgmt_accounts", "cpu"), Resolution.TEN_SECONDS));
    }

    @Test
    void seriesNameEveryMetricOfEverySubject() {
        samples.sliver("a", 0, 1L, null, null);
        context.slices.add(Samples.slice("mgmt_monitor", 0, 0, 1, T0));
        sampleAt(0);
        List<Series> series = store.series();
        assertEquals(Metrics.NODE.size() + Metrics.SLIVER.size() + Metrics.SLICE.size(), series.size());
        assertTrue(series.contains(new Series(Scope.NODE, "node1.test", "clock_offset")));
        assertTrue(series.contains(new Series(Scope.SLIVER, "a", "net_tx")));
        assertTrue(series.contains(new Series(Scope.SLICE, "mgmt_monitor", "queued")));
    }

    @Test
    void aThousandSliversAnHourAtOneHertzStayWithinTheRings() {
        for (int i = 0; i < 1000; i++) {
            samples.sliver(String.format("slice_%04d", i), 0, 1L, null, null);
        }
        for (int s = 0; s < 3700; s += 7) { // a sample every 7 s: every 10 s step of the hour is hit
            store.sampled(samples.at(T0.plusSeconds(s)));
        }
        History h = store.history(new Series(Scope.SLIVER, "slice_0999", "mem"), Resolution.TEN_SECONDS);
        assertEquals(360, h.points().size());
        assertEquals(1000, store.slivers().size());
    }
}
