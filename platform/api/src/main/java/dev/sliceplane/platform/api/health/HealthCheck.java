package dev.sliceplane.platform.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One health check, registered as an OSGi service (whiteboard). The platform calls
 * {@link #check()} periodically on its own executor with a deadline; a check that throws or
 * overruns the deadline counts as {@link HealthStatus#DOWN}.
 *
 * <p>Register with the service property {@link #NAME}; without it the component name or the
 * implementation class name is used. A check's reported state changes only after
 * {@link #CONSECUTIVE} equal results in a row.
 */
@ConsumerType
public interface HealthCheck {

    /** Service property: the check's stable name, shown in {@code /api/v1/health}. */
    String NAME = "sliceplane.health.name";

    /** Service property: how often the check runs, in seconds (default 5). */
    String INTERVAL_SECONDS = "sliceplane.health.interval";

    /**
     * Service property: how many consecutive equal results it takes to change the check's
     * reported state (an integer ≥ 1; default: the platform's {@code consecutive} setting in PID
     * {@code dev.sliceplane.health}, 3). A flapping check therefore does not flap the node. The
     * first result after the check starts is reported at once.
     *
     * @since 1.1
     */
    String CONSECUTIVE = "sliceplane.health.consecutive";

    /**
     * Runs the check once.
     *
     * @return the result; never {@code null}
     * @throws Exception when the check itself fails, which is reported as DOWN
     */
    HealthResult check() throws Exception;
}
