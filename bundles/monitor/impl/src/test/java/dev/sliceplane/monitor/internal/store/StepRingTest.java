package dev.sliceplane.monitor.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Resolution;

class StepRingTest {

    /** A 10 s step boundary: 2026-11-26T07:00:00Z. */
    private static final long T0 = Instant.parse("2026-11-26T07:00:00Z").toEpochMilli();

    @Test
    void samplesInOneStepMakeOnePointWithMinAvgMax() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        ring.add(T0, 4);
        ring.add(T0 + 3_000, 1);
        ring.add(T0 + 9_999, 10);
        List<History.Point> points = ring.points();
        assertEquals(1, points.size());
        History.Point p = points.get(0);
        assertEquals(Instant.ofEpochMilli(T0), p.start());
        assertEquals(1, p.min());
        assertEquals(5, p.avg());
        assertEquals(10, p.max());
        assertEquals(3, p.samples());
    }

    @Test
    void stepsAreAlignedToTheEpochNotToTheFirstSample() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        ring.add(T0 + 9_000, 1);
        ring.add(T0 + 10_000, 2); // the next step begins exactly here
        ring.add(T0 + 19_999, 4);
        List<History.Point> points = ring.points();
        assertEquals(2, points.size());
        assertEquals(Instant.ofEpochMilli(T0), points.get(0).start());
        assertEquals(1, points.get(0).samples());
        assertEquals(Instant.ofEpochMilli(T0 + 10_000), points.get(1).start());
        assertEquals(3, points.get(1).avg());
        assertEquals(2, points.get(1).samples());

        StepRing fiveMinutes = new StepRing(Resolution.FIVE_MINUTES);
        fiveMinutes.add(T0 + 299_999, 1);
        fiveMinutes.add(T0 + 300_000, 1);
        assertEquals(List.of(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 300_000)),
                fiveMinutes.points().stream().map(History.Point::start).toList());
    }

    @Test
    void stepsWithoutSamplesHaveNoPoint() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        ring.add(T0, 1);
        ring.add(T0 + 50_000, 2);
        assertEquals(List.of(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 50_000)),
                ring.points().stream().map(History.Point::start).toList());
    }

    @Test
    void aLateSampleForAClosedStepIsDropped() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        ring.add(T0 + 10_000, 1);
        ring.add(T0 + 5_000, 100);
        assertEquals(1, ring.size());
        assertEquals(1, ring.points().get(0).max());
    }

    @Test
    void growsAsPointsArriveUpToTheResolutionsPoints() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        assertEquals(0, ring.capacity(), "an unused ring holds nothing");
        ring.add(T0, 1);
        assertEquals(0, ring.capacity(), "the open point needs no arrays");
        ring.add(T0 + 10_000L, 1);
        assertEquals(8, ring.capacity());
        for (int i = 2; i < 20; i++) {
            ring.add(T0 + i * 10_000L, i);
        }
        assertEquals(32, ring.capacity(), "19 closed points");
        for (int i = 20; i < 1000; i++) {
            ring.add(T0 + i * 10_000L, i);
        }
        assertEquals(359, ring.capacity(), "359 closed and the open one");
        assertEquals(360, ring.size());
    }

    @Test
    void anHourOfTenSecondPointsWrapsAroundKeepingTheNewest() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        int samples = 2 * 3600 + 7; // two hours of one sample a second
        for (int s = 0; s < samples; s++) {
            ring.add(T0 + s * 1000L, s);
        }
        List<History.Point> points = ring.points();
        assertEquals(360, points.size());
        long lastStep = T0 + (samples - 1) * 1000L / 10_000 * 10_000;
        assertEquals(Instant.ofEpochMilli(lastStep), points.get(359).start());
        assertEquals(Instant.ofEpochMilli(lastStep - 359 * 10_000L), points.get(0).start());
        for (int i = 1; i < points.size(); i++) {
            assertEquals(10_000, points.get(i).start().toEpochMilli() - points.get(i - 1).start().toEpochMilli());
        }
        // a full step of samples s..s+9 has min s, max s+9, avg s+4.5
        History.Point full = points.get(100);
        assertEquals(10, full.samples());
        assertEquals(full.min() + 9, full.max());
        assertEquals(full.min() + 4.5, full.avg(), 1e-3);
        assertEquals(7, points.get(359).samples(), "the newest step is still filling");
    }

    @Test
    void aDayOfFiveMinutePointsWrapsAround() {
        StepRing ring = new StepRing(Resolution.FIVE_MINUTES);
        for (int minute = 0; minute < 2 * 24 * 60; minute++) {
            ring.add(T0 + minute * 60_000L, minute);
        }
        List<History.Point> points = ring.points();
        assertEquals(288, points.size());
        assertEquals(Instant.ofEpochMilli(T0 + (2 * 24 * 60 - 5) * 60_000L), points.get(287).start());
        assertEquals(Instant.ofEpochMilli(T0 + 24 * 3_600_000L), points.get(0).start());
        assertEquals(5, points.get(0).samples());
    }

    @Test
    void aGapLongerThanTheSpanLeavesOnlyTheNewPoint() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        for (int i = 0; i < 100; i++) {
            ring.add(T0 + i * 10_000L, i);
        }
        ring.add(T0 + 99 * 10_000L + 3_600_000L, 7); // exactly an hour after the last point
        List<History.Point> points = ring.points();
        assertEquals(1, points.size(), "points older than an hour before the newest are gone");
        assertEquals(7, points.get(0).avg());

        StepRing partly = new StepRing(Resolution.TEN_SECONDS);
        for (int i = 0; i < 100; i++) {
            partly.add(T0 + i * 10_000L, i);
        }
        partly.add(T0 + 400 * 10_000L, 1); // 360 steps after step 40: steps 41..99 stay
        assertEquals(60, partly.size());
        assertEquals(Instant.ofEpochMilli(T0 + 41 * 10_000L), partly.points().get(0).start());
    }

    @Test
    void minAvgMaxStayOrderedForLargeAndNegativeValues() {
        StepRing ring = new StepRing(Resolution.TEN_SECONDS);
        double[] values = {123_456_789_012.0, 123_456_789_013.5, -0.25, 7e-9, 99_999_999_999.9};
        for (int i = 0; i < values.length; i++) {
            ring.add(T0 + i, values[i]);
        }
        History.Point p = ring.points().get(0);
        assertTrue(p.min() <= p.avg() && p.avg() <= p.max(), p.toString());
        assertEquals(-0.25, p.min());
        assertEquals(123_456_789_013.5, p.max(), 123_456_789_013.5 * 1e-6);
        double mean = (values[0] + values[1] + values[2] + values[3] + values[4]) / 5;
        assertEquals(mean, p.avg(), mean * 1e-6);
    }
}
