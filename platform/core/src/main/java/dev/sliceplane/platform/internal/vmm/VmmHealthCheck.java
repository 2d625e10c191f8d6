package dev.sliceplane.platform.internal.vmm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.internal.node.NodeIdentity;
import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * A node (role {@code node}) is not ready without its VMM: DOWN until a backend runs, WARN
 * when sampling has stopped. An authority-only process has no slivers and is always UP here.
 */
@Component(property = {HealthCheck.NAME + "=vmm", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class VmmHealthCheck implements HealthCheck {

    /** Samples older than this are stale; the default period is 5 s. */
    private static final Duration STALE = Duration.ofMinutes(1);

    private final NodeIdentity identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Vmm vmm;

    @Activate
    public VmmHealthCheck(@Reference NodeIdentity identity) {
        this.identity = identity;
    }

    @Override
    public HealthResult check() {
        if (!identity.describe().roles().contains("node")) {
            return HealthResult.up("not a node: no slivers here");
        }
        Vmm current = vmm;
        if (current == null) {
            return HealthResult.down("no VMM backend is running; the node log says why (dev.sliceplane.vmm)");
        }
        BackendInfo backend = current.backend();
        String label = (backend.simulated() ? "SIMULATION " : "") + backend.name();
        Optional<VmmSnapshot> last = current.lastSample();
        if (last.isEmpty()) {
            return HealthResult.up(label + ": no sample yet");
        }
        Duration age = Duration.between(last.get().at(), Instant.now());
        if (age.compareTo(STALE) > 0) {
            return HealthResult.warn(label + ": last sample " + age.toSeconds() + " s ago");
        }
        return HealthResult.up(label + ": " + last.get().slivers().size() + " slivers");
    }
}
