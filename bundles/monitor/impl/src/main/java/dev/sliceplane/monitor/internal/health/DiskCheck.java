package dev.sliceplane.monitor.internal.health;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * {@code disk}: WARN or DOWN when the filesystem holding the node's data is nearly full, from the
 * monitor's latest node figures (UP before the first). The thresholds are PID
 * {@value HealthThresholds#PID}, which this component declares for Metatype; the other checks read it too.
 */
@Component(configurationPid = HealthThresholds.PID,
        property = {HealthCheck.NAME + "=disk", HealthCheck.INTERVAL_SECONDS + ":Long=10"})
@Designate(ocd = HealthThresholds.class)
public final class DiskCheck implements HealthCheck {

    private volatile HealthThresholds limits;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    @Activate
    public DiskCheck(HealthThresholds limits) {
        this.limits = limits;
    }

    @Modified
    void modified(HealthThresholds updated) {
        limits = updated;
    }

    @Override
    public HealthResult check() {
        Monitor current = monitor;
        return Judgements.disk(current == null ? Optional.empty() : current.node(), limits);
    }
}
