package dev.sliceplane.monitor.internal.health;

import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * {@code clock}: WARN or DOWN when this node's clock is off the authority's, as the resource
 * monitor's reports measure it ({@link AuthorityClock}); a skewed clock breaks the time windows of
 * tickets and leases. UP with "no measurement yet" until the authority has answered a report.
 */
@Component(configurationPid = HealthThresholds.PID,
        property = {HealthCheck.NAME + "=clock", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class ClockCheck implements HealthCheck {

    private final AuthorityClock clock;
    private volatile HealthThresholds limits;

    @Activate
    public ClockCheck(@Reference AuthorityClock clock, HealthThresholds limits) {
        this.clock = clock;
        this.limits = limits;
    }

    @Modified
    void modified(HealthThresholds updated) {
        limits = updated;
    }

    @Override
    public HealthResult check() {
        return Judgements.clock(clock.latest(), limits, Instant.now());
    }
}
