package dev.sliceplane.platform.api.swap;

/**
 * One installed implementation of a sub-service.
 *
 * @param symbolicName its bundle symbolic name, used to name it in a swap
 * @param version      its bundle version
 * @param bundleId     its bundle id
 * @param bundleState  its bundle state (INSTALLED, RESOLVED, ACTIVE, ...)
 * @param isDefault    whether it is the default implementation
 * @param active       whether it is the active implementation
 */
public record ImplementationInfo(
        String symbolicName,
        String version,
        long bundleId,
        String bundleState,
        boolean isDefault,
        boolean active) {
}
