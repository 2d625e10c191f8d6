package dev.sliceplane.platform.api.swap;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The catalogue of sub-services and their implementations, and the operation that swaps the
 * active implementation at run time.
 *
 * <p>A swap is make-before-break: the new implementation is started and its services are
 * registered with a ranking above the old one's, so dynamic greedy consumers rebind to it; the
 * old implementation stops only after no consumer uses it. The choice is persisted and restored
 * at start.
 */
@ProviderType
public interface SwapManager {

    /** Every sub-service with at least one installed implementation, sorted by name. */
    List<SubServiceInfo> services();

    /** One sub-service by name. */
    Optional<SubServiceInfo> service(String name);

    /**
     * Makes {@code implementation} the active implementation of {@code service}.
     *
     * @param service        the sub-service name
     * @param implementation the bundle symbolic name of an installed implementation
     * @return what happened
     * @throws SwapException when the swap is refused or fails; the old implementation then stays
     */
    SwapReport swap(String service, String implementation) throws SwapException;
}
