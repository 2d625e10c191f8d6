package dev.sliceplane.discovery.jgroups.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * {@code discovery}: whether this node is in its discovery group and what it sees there. A node
 * without a credential yet joins no group, which this says (UP: it is the normal state of a node
 * before it has joined its authority); WARN only when joining failed (a port in use, a bad bind
 * address). Rejected adverts are counted in the message, not judged: members of another
 * authority's group on the same seeds would otherwise make this node look unwell.
 *
 * <p>The discovery service is bound by reference only and fetched when the check runs: the
 * discovery component reads the node's aggregate health, which runs this check, so binding the
 * service object here would make Declarative Services build a cycle while the node starts.
 */
@Component(property = {HealthCheck.NAME + "=discovery", HealthCheck.INTERVAL_SECONDS + ":Long=5"})
public final class DiscoveryHealth implements HealthCheck {

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeSigner signer;

    @Reference(service = Discovery.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(mechanism=" + JGroupsDiscovery.MECHANISM + ")")
    private volatile ServiceReference<Discovery> discovery;

    @Activate
    public DiscoveryHealth(BundleContext context) {
        this.context = context;
    }

    @Override
    public HealthResult check() {
        if (signer == null) {
            return HealthResult.up("no node credential yet: this node joins no discovery group until it has one");
        }
        ServiceReference<Discovery> ref = discovery;
        Discovery current = ref == null ? null : context.getService(ref);
        try {
            if (current instanceof JGroupsDiscovery jgroups) {
                return jgroups.health();
            }
            return HealthResult.up("discovery on JGroups is not active here");
        } finally {
            if (current != null) {
                context.ungetService(ref);
            }
        }
    }
}
