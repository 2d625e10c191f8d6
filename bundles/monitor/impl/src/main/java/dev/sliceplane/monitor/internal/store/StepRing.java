package dev.sliceplane.monitor.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Resolution;

/**
 * The points of one series at one resolution: a ring of primitive arrays (step index, min, avg,
 * max, count per point) that grows by doubling up to the resolution's point count, so an idle
 * subject holds little and a busy one allocates nothing per sample once grown. Values are kept
 * as {@code float}s (seven significant digits are plenty for a monitor and halve the memory of
 * a thousand slivers' history); the sum of the newest point's samples is kept exactly, so its
 * average is exact until it closes. Steps are aligned to the epoch. Not thread-safe: its owner
 * ({@link SubjectHistory}) guards it.
 */
final class StepRing {

    private static final int INITIAL_CAPACITY = 8;

    private final long stepMillis;
    private final int maxPoints;

    /** Step index since the epoch (fits an int for 10 s steps until the year 2650). */
    private int[] steps = new int[0];
    private float[] min = new float[0];
    private float[] avg = new float[0];
    private float[] max = new float[0];
    private int[] count = new int[0];
    /** Index of the oldest point. */
    private int head;
    private int size;
    /** The exact sum of the newest point's samples. */
    private double newestSum;

    StepRing(Resolution resolution) {
        this.stepMillis = resolution.step().toMillis();
        this.maxPoints = resolution.points();
    }

    /**
     * Adds a sample taken at {@code epochMillis}. A sample older than the newest point's step is
     * dropped: that step has closed (samples arrive in order; this only guards clock steps).
     */
    void add(long epochMillis, double value) {
        int step = (int) Math.floorDiv(epochMillis, stepMillis);
        if (size > 0) {
            int newest = index(size - 1);
            if (step == steps[newest]) {
                count[newest]++;
                newestSum += value;
                min[newest] = Math.min(min[newest], (float) value);
                max[newest] = Math.max(max[newest], (float) value);
                avg[newest] = (float) (newestSum / count[newest]);
                return;
            }
            if (step < steps[newest]) {
                return;
            }
        }
        dropBefore(step - maxPoints + 1);
        if (size == steps.length) {
            if (size < maxPoints) {
                grow();
            } else {
                dropOldest();
            }
        }
        int at = index(size++);
        steps[at] = step;
        min[at] = (float) value;
        avg[at] = (float) value;
        max[at] = (float) value;
        count[at] = 1;
        newestSum = value;
    }

    /** The points, oldest first. */
    List<History.Point> points() {
        List<History.Point> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int at = index(i);
            points.add(new History.Point(Instant.ofEpochMilli(steps[at] * stepMillis), min[at], avg[at], max[at],
                    count[at]));
        }
        return points;
    }

    int size() {
        return size;
    }

    /** Points the arrays have room for now (for tests of growth). */
    int capacity() {
        return steps.length;
    }

    /** Drops the points whose step lies before {@code firstKept}: they have left the span. */
    private void dropBefore(long firstKept) {
        while (size > 0 && steps[head] < firstKept) {
            dropOldest();
        }
    }

    private void dropOldest() {
        head = (head + 1) % steps.length;
        size--;
    }

    private void grow() {
        int capacity = Math.min(maxPoints, Math.max(INITIAL_CAPACITY, steps.length * 2));
        steps = unrolled(steps, capacity);
        min = unrolled(min, capacity);
        avg = unrolled(avg, capacity);
        max = unrolled(max, capacity);
        count = unrolled(count, capacity);
        head = 0;
    }

    private int[] unrolled(int[] old, int capacity) {
        int[] copy = new int[capacity];
        for (int i = 0; i < size; i++) {
            copy[i] = old[(head + i) % old.length];
        }
        return copy;
    }

    private float[] unrolled(float[] old, int capacity) {
        float[] copy = new float[capacity];
        for (int i = 0; i < size; i++) {
            copy[i] = old[(head + i) % old.length];
        }
        return copy;
    }

    private int index(int i) {
        return (head + i) % steps.length;
    }

    @Override
    public String toString() {
        return "StepRing[" + stepMillis + " ms, " + size + "/" + maxPoints + " points, capacity "
                + steps.length + ", steps " + Arrays.toString(Arrays.copyOf(steps, Math.min(4, steps.length))) + "...]";
    }
}
