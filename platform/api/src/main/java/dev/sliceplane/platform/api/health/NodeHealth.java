package dev.sliceplane.platform.api.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's health as {@code GET /api/v1/health} reports it: the worst reported state of all
 * {@link HealthCheck}s, each already held to its consecutive-results rule. Read it instead of
 * running the checks again, e.g. to advertise the node's health to others; reading it never runs
 * a check.
 *
 * @since 1.2
 */
@ProviderType
public interface NodeHealth {

    /** The node's aggregate state now; {@link HealthStatus#STARTING} until every check has run once. */
    HealthStatus status();
}
