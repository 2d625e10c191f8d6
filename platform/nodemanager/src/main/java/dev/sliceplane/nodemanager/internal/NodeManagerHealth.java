package dev.sliceplane.nodemanager.internal;

import java.nio.file.Files;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * The node manager's health: DOWN once its journal failed (it then refuses every change until a
 * restart), DOWN if the journal's file is no longer writable, WARN while slivers wait to be
 * destroyed; otherwise UP with the lease count. Registered only while the node manager runs, so
 * a process without the acquisition services (not yet registered at an authority) shows nothing.
 */
@Component(property = {HealthCheck.NAME + "=nodemanager", HealthCheck.INTERVAL_SECONDS + ":Long=10"})
public final class NodeManagerHealth implements HealthCheck {

    private final NodeManager manager;

    @Activate
    public NodeManagerHealth(@Reference NodeManager manager) {
        this.manager = manager;
    }

    @Override
    public HealthResult check() {
        String failure = manager.journalFailure();
        if (failure != null) {
            return HealthResult.down("journal failed, changes refused until a restart: " + failure);
        }
        if (!Files.isWritable(manager.journalFile())) {
            return HealthResult.down("journal " + manager.journalFile() + " is not writable");
        }
        var report = manager.reconciled();
        String reconciled = "reconciled at " + manager.reconciledAt() + " (destroyed " + report.destroyed().size()
                + ", dropped " + report.dropped().size() + ")";
        int waiting = manager.sliversAwaitingDestruction();
        if (waiting > 0) {
            return HealthResult.warn(waiting + " released slivers could not be destroyed yet; " + reconciled);
        }
        return HealthResult.up(manager.leaseCount() + " leases; " + reconciled);
    }
}
