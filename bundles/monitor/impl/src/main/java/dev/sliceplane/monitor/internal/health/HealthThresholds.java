package dev.sliceplane.monitor.internal.health;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The thresholds of the monitor's health checks, PID {@value #PID} (file
 * {@code etc/dev.sliceplane.monitor.health.cfg}). Every check reads the same configuration; how many
 * results in a row change a check's state is the platform's setting ({@code dev.sliceplane.health}).
 */
@ObjectClassDefinition(name = "Sliceplane monitor health checks",
        description = "Thresholds of the disk, memory, clock and samples checks.")
public @interface HealthThresholds {

    String PID = "dev.sliceplane.monitor.health";

    @AttributeDefinition(description = "disk: WARN when the data filesystem is at least this full, in percent.")
    double diskWarnPercent() default 90;

    @AttributeDefinition(description = "disk: DOWN when the data filesystem is at least this full, in percent.")
    double diskDownPercent() default 97;

    @AttributeDefinition(description = "memory: WARN when MemAvailable is below this share of MemTotal, in percent.")
    double memoryWarnPercent() default 10;

    @AttributeDefinition(description = "memory: DOWN when MemAvailable is below this share of MemTotal, in percent.")
    double memoryDownPercent() default 3;

    @AttributeDefinition(description = "clock: WARN when the clock is known to be further than this from the "
            + "authority's, in seconds.")
    double clockWarnSeconds() default 1;

    @AttributeDefinition(description = "clock: DOWN when the clock is known to be further than this from the "
            + "authority's, in seconds (tickets and leases carry time windows).")
    double clockDownSeconds() default 10;

    @AttributeDefinition(description = "samples and vmm: WARN when the latest sample is older than this many "
            + "VMM sample periods (dev.sliceplane.vmm sampleSeconds).")
    double staleWarnPeriods() default 3;

    @AttributeDefinition(description = "samples: DOWN when the latest sample is older than this many VMM sample periods.")
    double staleDownPeriods() default 10;
}
