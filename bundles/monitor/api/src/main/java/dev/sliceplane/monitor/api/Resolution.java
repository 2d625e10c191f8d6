package dev.sliceplane.monitor.api;

import java.time.Duration;

/** The resolutions history is kept at: about an hour of 10 s points and a day of 5 min points. */
public enum Resolution {
    /** 360 points of 10 s: the last hour. */
    TEN_SECONDS(Duration.ofSeconds(10), 360),
    /** 288 points of 5 min: the last 24 hours. */
    FIVE_MINUTES(Duration.ofMinutes(5), 288);

    private final Duration step;
    private final int points;

    Resolution(Duration step, int points) {
        this.step = step;
        this.points = points;
    }

    /** The width of one point. */
    public Duration step() {
        return step;
    }

    /** How many points are kept. */
    public int points() {
        return points;
    }

    /** The span covered. */
    public Duration span() {
        return step.multipliedBy(points);
    }

    /** {@code 10s} or {@code 5m}, as the query API names them. */
    public String label() {
        return this == TEN_SECONDS ? "10s" : "5m";
    }

    /** The resolution labelled {@code label} ({@code 10s}, {@code 5m}), or null. */
    public static Resolution ofLabel(String label) {
        for (Resolution r : values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        return null;
    }
}
