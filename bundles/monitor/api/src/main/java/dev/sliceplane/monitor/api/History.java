package dev.sliceplane.monitor.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The history of one series at one resolution.
 *
 * @param series     what was measured
 * @param resolution at which resolution
 * @param points     oldest first; a step with no sample has no point
 */
public record History(Series series, Resolution resolution, List<Point> points) {

    public History {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(resolution, "resolution");
        points = List.copyOf(points);
    }

    /**
     * The samples that fell in one step.
     *
     * @param start   the step's start (a multiple of the step since the epoch)
     * @param min     the smallest sample
     * @param avg     the mean of the samples
     * @param max     the largest sample
     * @param samples how many samples
     */
    public record Point(Instant start, double min, double avg, double max, int samples) {
    }
}
