package dev.sliceplane.nodemanager.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.vmm.api.Vmm;

/**
 * The node manager's health. While it runs: DOWN once its journal failed (it then refuses every
 * change until a restart) or its file is not writable, WARN while released slivers wait to be
 * destroyed, else UP with the lease count and the start-up reconciliation. While it does not run:
 * on a node, DOWN with what it waits for, like the accounts cache's check (a node that cannot
 * grant slivers yet, such as a joined node before its credential is loaded, is not ready, and
 * clients wait for it); in a process that is not a node (roles of {@code dev.sliceplane.node}
 * without {@code node}), UP. Runs every second, so a node is ready as soon as its manager is.
 */
@Component(property = {HealthCheck.NAME + "=nodemanager", HealthCheck.INTERVAL_SECONDS + ":Long=1"})
public final class NodeManagerHealth implements HealthCheck {

    /** The platform's node identity: its {@code roles} say whether this process is a node. */
    static final String NODE_IDENTITY_PID = "dev.sliceplane.node";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeManager manager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuthorityKeys authorityKeys;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SliceDirectory slices;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeSigner nodeSigner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Vmm vmm;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    public NodeManagerHealth() {
    }

    /** For tests: the check with these services bound (null: absent). */
    NodeManagerHealth(NodeManager manager, AuthorityKeys authorityKeys, SliceDirectory slices, NodeSigner nodeSigner,
            Vmm vmm, ConfigurationAdmin configAdmin) {
        this.manager = manager;
        this.authorityKeys = authorityKeys;
        this.slices = slices;
        this.nodeSigner = nodeSigner;
        this.vmm = vmm;
        this.configAdmin = configAdmin;
    }

    @Override
    public HealthResult check() {
        NodeManager running = manager;
        return running == null ? notRunning() : of(running);
    }

    private HealthResult notRunning() {
        if (!isNode()) {
            return HealthResult.up("not running: this process is not a node (" + NODE_IDENTITY_PID + " roles)");
        }
        List<String> missing = new ArrayList<>();
        if (nodeSigner == null) {
            missing.add("the node's credential (NodeSigner)");
        }
        if (authorityKeys == null) {
            missing.add("the authority's keys (AuthorityKeys)");
        }
        if (slices == null) {
            missing.add("the slice directory (SliceDirectory)");
        }
        if (vmm == null) {
            missing.add("the VMM");
        }
        if (missing.isEmpty()) {
            return HealthResult.down("the node manager failed to start although its services are there; see the node log");
        }
        return HealthResult.down("not running yet: it waits for " + String.join(", ", missing));
    }

    /** Whether the node identity's roles include {@code node}; they do by default (authority and node). */
    private boolean isNode() {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return true;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + NODE_IDENTITY_PID + ")");
            Dictionary<String, Object> properties = found == null || found.length == 0 ? null : found[0].getProperties();
            Object roles = properties == null ? null : properties.get("roles");
            if (roles == null) {
                return true;
            }
            List<String> names = roles instanceof String[] array ? Arrays.asList(array) : List.of(roles.toString());
            return names.stream().flatMap(r -> Arrays.stream(r.split(","))).map(String::strip).anyMatch("node"::equals);
        } catch (Exception e) {
            return true;
        }
    }

    private static HealthResult of(NodeManager manager) {
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
