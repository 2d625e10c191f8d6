package dev.sliceplane.platform.api.swap;

import java.util.List;

/**
 * One sub-service in the catalogue.
 *
 * @param name            its name, such as {@code discovery}
 * @param core            core sub-services refuse swaps
 * @param api             the service interfaces its implementations provide
 * @param active          the symbolic name of the active implementation, or {@code null}
 * @param implementations every installed implementation
 */
public record SubServiceInfo(
        String name,
        boolean core,
        List<String> api,
        String active,
        List<ImplementationInfo> implementations) {
}
