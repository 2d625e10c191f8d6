package dev.sliceplane.nodemanager.internal;

import java.util.Optional;

import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Who may use a slice's leases on this node: its members, the PIs of its site, administrators.
 * Members are checked against the slice as the {@code SliceDirectory} knows it now.
 */
final class Access {

    private Access() {
    }

    /** Whether {@code caller} may redeem tickets for {@code slice} and use its leases. */
    static boolean mayUse(Caller caller, SliceRecord slice) {
        if (caller.isAdmin()) {
            return true;
        }
        if (caller.kind() == Caller.Kind.PRINCIPAL && slice.hasMember(caller.id())) {
            return true;
        }
        return caller.kind() == Caller.Kind.PRINCIPAL && caller.hasRole(Roles.PI) && caller.site().equals(slice.site());
    }

    /**
     * Whether {@code caller} may see and change {@code lease}; {@code slice} is its slice if the
     * directory still knows it (an expired slice's lease stays visible to its site's PIs and admins).
     */
    static boolean maySee(Caller caller, Lease lease, Optional<SliceRecord> slice) {
        if (caller.isAdmin()) {
            return true;
        }
        if (slice.isPresent()) {
            return mayUse(caller, slice.get());
        }
        return caller.kind() == Caller.Kind.PRINCIPAL && caller.hasRole(Roles.PI) && caller.site().equals(lease.site());
    }
}
