package dev.sliceplane.discovery.web.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/**
 * The {@link Discovery} implementation in use, held in one place for every route of the bundle.
 * The reference is dynamic and greedy, so a swap (the swap manager raising the other
 * implementation's ranking) rebinds it in place: the servlets that use this component are never
 * deactivated, and a request in flight keeps the implementation it read. Optional, so the routes
 * stay registered (answering 503) while no implementation runs.
 */
@Component(service = ActiveDiscovery.class)
public final class ActiveDiscovery {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Discovery discovery;

    public ActiveDiscovery() {
    }

    /** For tests: a fixed implementation. */
    ActiveDiscovery(Discovery discovery) {
        this.discovery = discovery;
    }

    /** The implementation now; 503 when none runs. */
    Discovery get() {
        Discovery current = discovery;
        if (current == null) {
            throw new ProblemException(Problem.of(503, "no-discovery", "Discovery unavailable",
                    "no discovery implementation is running on this node; see GET /api/v1/swap"));
        }
        return current;
    }
}
