package dev.sliceplane.platform.api.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Reads the ISO-8601 durations of components' configurations, with errors that name the setting. */
public final class ConfiguredDurations {

    private ConfiguredDurations() {
    }

    /**
     * The positive duration {@code text} (surrounding spaces allowed).
     *
     * @throws IllegalArgumentException naming the setting {@code name} when it is not one
     */
    public static Duration positive(String text, String name) {
        try {
            Duration duration = Duration.parse(text.trim());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + text);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT10S, not " + text, e);
        }
    }
}
