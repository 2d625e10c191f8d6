package dev.sliceplane.platform.api.health;

import java.util.Objects;

/**
 * The outcome of one run of a {@link HealthCheck}.
 *
 * @param status  the state; never {@code null} and never {@link HealthStatus#STARTING}
 * @param message a short sentence for an operator, may be empty
 */
public record HealthResult(HealthStatus status, String message) {

    public HealthResult {
        Objects.requireNonNull(status, "status");
        if (status == HealthStatus.STARTING) {
            throw new IllegalArgumentException("a check result cannot be STARTING");
        }
        message = message == null ? "" : message;
    }

    public static HealthResult up(String message) {
        return new HealthResult(HealthStatus.UP, message);
    }

    public static HealthResult warn(String message) {
        return new HealthResult(HealthStatus.WARN, message);
    }

    public static HealthResult down(String message) {
        return new HealthResult(HealthStatus.DOWN, message);
    }
}
