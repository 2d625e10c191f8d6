/**
 * Health checks: components that judge one aspect of a node register a {@link HealthCheck}
 * service; the platform runs every check and aggregates the results at {@code /api/v1/health}.
 */
@Export
@Version("1.2.0")
package dev.sliceplane.platform.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
