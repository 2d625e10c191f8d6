package dev.sliceplane.monitor.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Resolution;

/**
 * The points of one series at one resolution. The point of the current step is open: its min,
 * max, sum and count live in fields, exact, so the common sample (nine in ten at 10 s steps
 * sampled every second) touches only this object, not arrays spread over the heap (with a
 * thousand slivers, those cache misses were most of a sample's cost). When a step closes its
 * point moves into a ring of primitive arrays (step index, min, avg, max, count) that grows by
 * doubling up to the resolution's point count, so an idle subject holds little and a busy one
 * allocates nothing per sample once grown. Closed values are {@code float}s: seven significant
 * digits are plenty for a monitor and halve the memory of a thousand slivers' history. Steps are
 * aligned to the epoch. Not thread-safe: its owner ({@link SubjectHistory}) guards it.
 */
final class StepRing {

    private static final int INITIAL_CAPACITY = 8;
    private static final long NONE = Long.MIN_VALUE;

    private final long stepMillis;
    /** Points kept, the open one included. */
    private final int maxPoints;

    // The open point.
    private long openStep = NONE;
    private long openStartMillis;
    private long openEndMillis;
    private double openMin;
    private double openMax;
    private double openSum;
    private int openCount;

    // The closed points, oldest at head.
    /** Step index since the epoch (fits an int for 10 s steps until the year 2650). */
    private int[] steps = new int[0];
    private float[] min = new float[0];
    private float[] avg = new float[0];
    private float[] max = new float[0];
    private int[] count = new int[0];
    private int head;
    private int closed;

    StepRing(Resolution resolution) {
        this.stepMillis = resolution.step().toMillis();
        this.maxPoints = resolution.points();
    }

    /**
     * Adds a sample taken at {@code epochMillis}. A sample older than the open point's step is
     * dropped: that step has closed (samples arrive in order; this only guards clock steps).
     */
    void add(long epochMillis, double value) {
        if (epochMillis >= openStartMillis && epochMillis < openEndMillis && openStep != NONE) {
            openCount++;
            openSum += value;
            if (value < openMin) {
                openMin = value;
            }
            if (value > openMax) {
                openMax = value;
            }
            return;
        }
        long step = Math.floorDiv(epochMillis, stepMillis);
        if (openStep != NONE) {
            if (step < openStep) {
                return;
            }
            close();
        }
        dropBefore(step - maxPoints + 1);
        openStep = step;
        openStartMillis = step * stepMillis;
        openEndMillis = openStartMillis + stepMillis;
        openMin = value;
        openMax = value;
        openSum = value;
        openCount = 1;
    }

    /** The points, oldest first; the open one last. */
    List<History.Point> points() {
        List<History.Point> points = new ArrayList<>(size());
        for (int i = 0; i < closed; i++) {
            int at = index(i);
            points.add(new History.Point(Instant.ofEpochMilli(steps[at] * stepMillis), min[at], avg[at], max[at],
                    count[at]));
        }
        if (openStep != NONE) {
            points.add(new History.Point(Instant.ofEpochMilli(openStartMillis), openMin, openSum / openCount, openMax,
                    openCount));
        }
        return points;
    }

    int size() {
        return closed + (openStep == NONE ? 0 : 1);
    }

    /** Closed points the arrays have room for now (for tests of growth). */
    int capacity() {
        return steps.length;
    }

    /** Moves the open point into the ring. */
    private void close() {
        if (closed == steps.length) {
            if (closed < maxPoints - 1) {
                grow();
            } else {
                dropOldest();
            }
        }
        int at = index(closed++);
        steps[at] = (int) openStep;
        min[at] = (float) openMin;
        max[at] = (float) openMax;
        // Rounded once, so min <= avg <= max holds for the floats as it did for the doubles.
        avg[at] = (float) (openSum / openCount);
        count[at] = openCount;
        openStep = NONE;
    }

    /** Drops the closed points whose step lies before {@code firstKept}: they have left the span. */
    private void dropBefore(long firstKept) {
        while (closed > 0 && steps[head] < firstKept) {
            dropOldest();
        }
    }

    private void dropOldest() {
        head = head + 1 == steps.length ? 0 : head + 1;
        closed--;
    }

    private void grow() {
        int capacity = Math.min(maxPoints - 1, Math.max(INITIAL_CAPACITY, steps.length * 2));
        steps = unrolled(steps, capacity);
        min = unrolled(min, capacity);
        avg = unrolled(avg, capacity);
        max = unrolled(max, capacity);
        count = unrolled(count, capacity);
        head = 0;
    }

    private int[] unrolled(int[] old, int capacity) {
        int[] copy = new int[capacity];
        for (int i = 0; i < closed; i++) {
            copy[i] = old[index(i)];
        }
        return copy;
    }

    private float[] unrolled(float[] old, int capacity) {
        float[] copy = new float[capacity];
        for (int i = 0; i < closed; i++) {
            copy[i] = old[index(i)];
        }
        return copy;
    }

    private int index(int i) {
        int at = head + i;
        return at >= steps.length ? at - steps.length : at;
    }

    @Override
    public String toString() {
        return "StepRing[" + stepMillis + " ms, " + size() + "/" + maxPoints + " points, capacity " + steps.length + "]";
    }
}
