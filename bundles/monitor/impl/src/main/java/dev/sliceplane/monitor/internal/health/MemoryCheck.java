package dev.sliceplane.monitor.internal.health;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * {@code memory}: WARN or DOWN when little memory is available (MemAvailable against MemTotal), from
 * the monitor's latest node figures (UP before the first).
 */
@Component(configurationPid = HealthThresholds.PID,
        property = {HealthCheck.NAME + "=memory", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class MemoryCheck implements HealthCheck {

    private volatile HealthThresholds limits;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    @Activate
    public MemoryCheck(HealthThresholds limits) {
        this.limits = limits;
    }

    @Modified
    void modified(HealthThresholds updated) {
        limits = updated;
    }

    @Override
    public HealthResult check() {
        Monitor current = monitor;
        return Judgements.memory(current == null ? Optional.empty() : current.node(), limits);
    }
}
