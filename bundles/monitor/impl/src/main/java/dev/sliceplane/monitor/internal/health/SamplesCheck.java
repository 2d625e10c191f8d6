package dev.sliceplane.monitor.internal.health;

import java.time.Instant;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.vmm.api.Vmm;

/**
 * {@code samples}: WARN when the monitor's latest sample is older than {@code staleWarnPeriods} VMM
 * sample periods, DOWN beyond {@code staleDownPeriods}: its figures, history and reports are then
 * out of date. Before the monitor's first sample the age counts from when the monitor appeared.
 * Without a VMM there is nothing to sample (the {@code vmm} check says why), and without a monitor
 * nothing to judge: both UP.
 */
@Component(configurationPid = HealthThresholds.PID,
        property = {HealthCheck.NAME + "=samples", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class SamplesCheck implements HealthCheck {

    private volatile HealthThresholds limits;
    /** The monitor and when it was bound, replaced together. */
    private volatile Watched watched;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Vmm vmm;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    private record Watched(Monitor monitor, Instant since) {
    }

    @Activate
    public SamplesCheck(HealthThresholds limits) {
        this.limits = limits;
    }

    @Modified
    void modified(HealthThresholds updated) {
        limits = updated;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMonitor(Monitor monitor) {
        watched = new Watched(monitor, Instant.now());
    }

    void unsetMonitor(Monitor monitor) {
        Watched current = watched;
        if (current != null && current.monitor() == monitor) {
            watched = null;
        }
    }

    @Override
    public HealthResult check() {
        Watched current = watched;
        if (current == null) {
            return HealthResult.up("no monitor runs: nothing to judge");
        }
        if (vmm == null) {
            return HealthResult.up("no VMM runs: nothing to sample");
        }
        return Judgements.samples(current.monitor().node().map(NodeFigures::at), current.since(),
                PlatformSettings.samplePeriod(configurationAdmin), limits, Instant.now());
    }
}
