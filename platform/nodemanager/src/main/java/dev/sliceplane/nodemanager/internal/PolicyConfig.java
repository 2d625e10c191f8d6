package dev.sliceplane.nodemanager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The node owner's local policy as Configuration Admin delivers it (PID {@value
 * NodeManager#POLICY_PID}, file {@code etc/dev.sliceplane.nodemanager.policy.cfg}). Read into a
 * {@link Policy}; the defaults are the contract's.
 */
@ObjectClassDefinition(name = "Sliceplane node manager: local policy",
        description = "Which slices may hold slivers on this node, how much each may hold, and the lease clock.")
public @interface PolicyConfig {

    @AttributeDefinition(description = "Sites whose slices may redeem tickets here (login bases, comma-separated). Empty: every site.")
    String[] allowedSites() default {};

    @AttributeDefinition(description = "Slices that may redeem tickets here. Empty: every slice.")
    String[] allowedSlices() default {};

    @AttributeDefinition(description = "Sites whose slices are refused. Deny lists win over allow lists.")
    String[] deniedSites() default {};

    @AttributeDefinition(description = "Slices that are refused.")
    String[] deniedSlices() default {};

    @AttributeDefinition(description = "The most CPU one slice may hold here, in cores. 0: no cap.")
    double perSliceCpu() default 0;

    @AttributeDefinition(description = "The most memory one slice may hold here, in bytes. 0: no cap.")
    long perSliceMemory() default 0;

    @AttributeDefinition(description = "The most processes one slice may run here at once. 0: no cap.")
    int perSliceProcesses() default 0;

    @AttributeDefinition(description = "The most disk one slice may hold here, in bytes. 0: no cap.")
    long perSliceDisk() default 0;

    @AttributeDefinition(description = "The share of the node kept for management slices, in [0, 1).")
    double reservedShare() default 0.1;

    @AttributeDefinition(description = "How far grants may exceed the node's capacity (after the reserved share); 1.0: not at all.")
    double oversubscription() default 1.0;

    @AttributeDefinition(description = "The longest a lease runs from its start or last renewal (ISO-8601 duration).")
    String maxLeaseTerm() default "P1D";

    @AttributeDefinition(description = "A lease this close to its end is reported as expiring (ISO-8601 duration).")
    String warnBefore() default "PT10M";

    @AttributeDefinition(description = "How often expired leases are reclaimed (ISO-8601 duration).")
    String reclaimInterval() default "PT10S";
}
