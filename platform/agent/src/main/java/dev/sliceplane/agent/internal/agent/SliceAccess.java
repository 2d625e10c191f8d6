package dev.sliceplane.agent.internal.agent;

import java.util.Optional;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Who may act on a slice's tickets: administrators, the PIs of the slice's site (the prefix of its
 * name), and, to ask for or list tickets, the slice's members.
 */
public final class SliceAccess {

    private SliceAccess() {
    }

    /** Whether {@code caller} is an admin or a PI of the site that owns {@code sliceName}. */
    public static boolean managesSite(Caller caller, String sliceName) {
        if (caller.isAdmin()) {
            return true;
        }
        int underscore = sliceName.indexOf('_');
        String site = underscore < 0 ? sliceName : sliceName.substring(0, underscore);
        return caller.hasRole(Roles.PI) && caller.site().equals(site);
    }

    /**
     * The slice, if {@code caller} may use it (member, PI of its site, admin).
     *
     * @throws DeniedException 404 {@code slice-unknown} (unknown or expired), 403 {@code not-a-member}
     */
    public static SliceRecord usable(Caller caller, String sliceName, SliceDirectory slices, String where) {
        Optional<SliceRecord> slice = slices.slice(sliceName);
        if (slice.isEmpty()) {
            throw Denials.denied(404, "slice-unknown", "slice", where, "slice.known",
                    "slice " + sliceName + " is not registered or has expired");
        }
        if (!managesSite(caller, sliceName) && !slice.get().hasMember(caller.id())) {
            throw Denials.denied(403, "not-a-member", "slice", where, "slice.members",
                    caller.name() + " is not a member of slice " + sliceName + " nor a PI of its site");
        }
        return slice.get();
    }
}
