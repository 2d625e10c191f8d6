package dev.sliceplane.monitor.internal.health;

import java.time.Instant;
import java.util.Optional;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * {@code vmm}: a node (role {@code node}) is not ready without its VMM: DOWN until a backend runs,
 * WARN when its sampling fails or has stopped (its latest sample older than {@code staleWarnPeriods}
 * periods). A process that is only the authority has no slivers and is UP here. (This check was the
 * platform's until the monitor took the node's health over.)
 */
@Component(configurationPid = HealthThresholds.PID,
        property = {HealthCheck.NAME + "=vmm", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class VmmCheck implements HealthCheck {

    private volatile HealthThresholds limits;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Vmm vmm;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Activate
    public VmmCheck(HealthThresholds limits) {
        this.limits = limits;
    }

    @Modified
    void modified(HealthThresholds updated) {
        limits = updated;
    }

    @Override
    public HealthResult check() {
        Vmm current = vmm;
        ConfigurationAdmin admin = configurationAdmin;
        if (current == null) {
            return Judgements.vmm(Optional.empty(), Optional.empty(), 0, PlatformSettings.isNode(admin),
                    PlatformSettings.samplePeriod(admin), limits, Instant.now());
        }
        BackendInfo backend = current.backend();
        Optional<VmmSnapshot> last = current.lastSample();
        return Judgements.vmm(Optional.of((backend.simulated() ? "SIMULATION " : "") + backend.name()),
                last.map(VmmSnapshot::at), last.map(s -> s.slivers().size()).orElse(0), true,
                PlatformSettings.samplePeriod(admin), limits, Instant.now());
    }
}
