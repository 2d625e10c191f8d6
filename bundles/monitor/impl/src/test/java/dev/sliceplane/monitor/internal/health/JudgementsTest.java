package dev.sliceplane.monitor.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

class JudgementsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");
    private static final long GIB = 1L << 30;
    private static final Duration PERIOD = Duration.ofSeconds(5);
    static final HealthThresholds DEFAULTS = thresholds();

    @Test
    void diskWarnsFromNinetyAndIsDownFromNinetySevenPercentUsed() {
        assertEquals(HealthStatus.UP, Judgements.disk(disk(100 * GIB, 11 * GIB), DEFAULTS).status());
        HealthResult warn = Judgements.disk(disk(100 * GIB, 10 * GIB), DEFAULTS);
        assertEquals(HealthStatus.WARN, warn.status());
        assertTrue(warn.message().contains("/var/lib/sliceplane 90.0 % used, 10.0 GiB available"), warn.message());
        assertEquals(HealthStatus.WARN, Judgements.disk(disk(100 * GIB, 4 * GIB), DEFAULTS).status());
        assertEquals(HealthStatus.DOWN, Judgements.disk(disk(100 * GIB, 3 * GIB), DEFAULTS).status());
        assertEquals(HealthStatus.DOWN, Judgements.disk(disk(100 * GIB, 0), DEFAULTS).status());
    }

    @Test
    void memoryWarnsBelowTenAndIsDownBelowThreePercentAvailable() {
        assertEquals(HealthStatus.UP, Judgements.memory(memory(100 * GIB, 10 * GIB), DEFAULTS).status());
        HealthResult warn = Judgements.memory(memory(100 * GIB, 9 * GIB), DEFAULTS);
        assertEquals(HealthStatus.WARN, warn.status());
        assertTrue(warn.message().startsWith("9.0 GiB of 100.0 GiB available (9.0 %)"), warn.message());
        assertEquals(HealthStatus.WARN, Judgements.memory(memory(100 * GIB, 3 * GIB), DEFAULTS).status());
        assertEquals(HealthStatus.DOWN, Judgements.memory(memory(100 * GIB, 2 * GIB), DEFAULTS).status());
    }

    @Test
    void withoutASampleTheFiguresChecksAreUp() {
        HealthResult disk = Judgements.disk(Optional.empty(), DEFAULTS);
        assertEquals(HealthResult.up("no sample yet"), disk);
        assertEquals(HealthResult.up("no sample yet"), Judgements.memory(Optional.empty(), DEFAULTS));
        assertEquals(HealthStatus.UP, Judgements.disk(disk(0, 0), DEFAULTS).status(), "no filesystem measured");
    }

    @Test
    void clockIsUpUntilMeasuredThenJudgedByTheSkewKnownForCertain() {
        HealthResult unknown = Judgements.clock(Optional.empty(), DEFAULTS, NOW);
        assertEquals(HealthStatus.UP, unknown.status());
        assertTrue(unknown.message().startsWith("no measurement yet"), unknown.message());

        assertEquals(HealthStatus.UP, clock(0.8, 0.01).status());
        HealthResult warn = clock(-2.5, 0.01);
        assertEquals(HealthStatus.WARN, warn.status());
        assertTrue(warn.message().startsWith("offset -2.500 s ± 0.010 s, measured 3.0 s ago"), warn.message());
        assertEquals(HealthStatus.DOWN, clock(10.5, 0.1).status());
        assertEquals(HealthStatus.DOWN, clock(-60, 0.1).status());
        assertEquals(HealthStatus.UP, clock(1.4, 0.5).status(), "within the round trip's error it may be no skew");
        assertEquals(HealthStatus.WARN, clock(11, 2).status(), "at least 9 s off: WARN, not DOWN");
    }

    @Test
    void samplesWarnAfterThreePeriodsAndAreDownAfterTen() {
        Instant start = NOW.minusSeconds(3600);
        assertEquals(HealthStatus.UP, samples(NOW.minusSeconds(15), start).status());
        HealthResult warn = samples(NOW.minusSeconds(16), start);
        assertEquals(HealthStatus.WARN, warn.status());
        assertTrue(warn.message().startsWith("latest sample 16 s ago (period 5.0 s)"), warn.message());
        assertEquals(HealthStatus.WARN, samples(NOW.minusSeconds(50), start).status());
        assertEquals(HealthStatus.DOWN, samples(NOW.minusSeconds(51), start).status());
    }

    @Test
    void beforeTheFirstSampleTheAgeCountsFromTheStart() {
        HealthResult fresh = Judgements.samples(Optional.empty(), NOW.minusSeconds(2), PERIOD, DEFAULTS, NOW);
        assertEquals(HealthStatus.UP, fresh.status());
        assertTrue(fresh.message().startsWith("no sample in 2.0 s"), fresh.message());
        assertEquals(HealthStatus.DOWN,
                Judgements.samples(Optional.empty(), NOW.minusSeconds(120), PERIOD, DEFAULTS, NOW).status());
    }

    @Test
    void vmmIsDownWithoutABackendOnANodeAndWarnsWhenItsSamplingStops() {
        HealthResult none = Judgements.vmm(Optional.empty(), Optional.empty(), 0, true, PERIOD, DEFAULTS, NOW);
        assertEquals(HealthStatus.DOWN, none.status());
        assertEquals(HealthStatus.UP,
                Judgements.vmm(Optional.empty(), Optional.empty(), 0, false, PERIOD, DEFAULTS, NOW).status(),
                "an authority alone needs no VMM");
        assertEquals(HealthResult.up("SIMULATION simulated: no sample yet"),
                Judgements.vmm(Optional.of("SIMULATION simulated"), Optional.empty(), 0, true, PERIOD, DEFAULTS, NOW));
        assertEquals(HealthResult.up("linux: 3 slivers"), Judgements.vmm(Optional.of("linux"),
                Optional.of(NOW.minusSeconds(5)), 3, true, PERIOD, DEFAULTS, NOW));
        HealthResult stale = Judgements.vmm(Optional.of("linux"), Optional.of(NOW.minusSeconds(20)), 3, true, PERIOD,
                DEFAULTS, NOW);
        assertEquals(HealthStatus.WARN, stale.status());
        assertTrue(stale.message().contains("last sample 20 s ago"), stale.message());
    }

    @Test
    void bytesAreShownInBinaryUnits() {
        assertEquals("512 B", Judgements.bytes(512));
        assertEquals("1.5 KiB", Judgements.bytes(1536));
        assertEquals("2.0 TiB", Judgements.bytes(2L << 40));
    }

    private static HealthResult clock(double offset, double error) {
        return Judgements.clock(Optional.of(new AuthorityClock.Offset(offset, error, NOW.minusSeconds(3))), DEFAULTS,
                NOW);
    }

    private static HealthResult samples(Instant latest, Instant start) {
        return Judgements.samples(Optional.of(latest), start, PERIOD, DEFAULTS, NOW);
    }

    private static Optional<NodeFigures> disk(long size, long avail) {
        return Optional.of(figures(size, avail, 16 * GIB, 8 * GIB));
    }

    private static Optional<NodeFigures> memory(long total, long available) {
        return Optional.of(figures(100 * GIB, 50 * GIB, total, available));
    }

    static NodeFigures figures(long diskSize, long diskAvail, long memTotal, long memAvailable) {
        return new NodeFigures(NOW, "node1.test", "linux", false, 4, 0.5, 2.0, 1, 1, 1, memTotal, memAvailable, 0, 0,
                "/var/lib/sliceplane", diskSize, diskAvail, 1000, null, 0, 0, 0, null, null);
    }

    /** The defaults of {@link HealthThresholds}, read from the annotation as Config Admin would give them. */
    static HealthThresholds thresholds() {
        return (HealthThresholds) java.lang.reflect.Proxy.newProxyInstance(HealthThresholds.class.getClassLoader(),
                new Class<?>[] {HealthThresholds.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HealthThresholds.class;
                    }
                    return method.getDefaultValue();
                });
    }
}
