package dev.sliceplane.monitor.internal.store;

import java.util.List;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;

/**
 * The history of one subject (the node, a sliver, a management slice): a {@link StepRing} per
 * metric and resolution. The sampler records all metrics of a sample under one lock, from a
 * scratch array it reuses; readers copy points out under the same lock. Thread-safe.
 */
final class SubjectHistory {

    private final List<String> metrics;
    /** [metric][resolution ordinal]; guarded by this. */
    private final StepRing[][] rings;

    SubjectHistory(List<String> metrics) {
        this.metrics = metrics;
        this.rings = new StepRing[metrics.size()][Resolution.values().length];
        for (StepRing[] perResolution : rings) {
            for (Resolution resolution : Resolution.values()) {
                perResolution[resolution.ordinal()] = new StepRing(resolution);
            }
        }
    }

    /**
     * Records one sample of every metric, {@code values[i]} for {@code metrics.get(i)}; a NaN is
     * a figure not known at this sample (a rate on the first sample), which adds no sample.
     */
    synchronized void record(long epochMillis, double[] values) {
        for (int m = 0; m < rings.length; m++) {
            double value = values[m];
            if (!Double.isNaN(value)) {
                for (StepRing ring : rings[m]) {
                    ring.add(epochMillis, value);
                }
            }
        }
    }

    /** The metric's history, or null when this subject has no such metric. */
    History history(Series series, Resolution resolution) {
        int m = metrics.indexOf(series.metric());
        if (m < 0) {
            return null;
        }
        List<History.Point> points;
        synchronized (this) {
            points = rings[m][resolution.ordinal()].points();
        }
        return new History(series, resolution, points);
    }

    List<String> metrics() {
        return metrics;
    }
}
