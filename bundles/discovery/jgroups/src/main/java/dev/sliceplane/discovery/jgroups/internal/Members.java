package dev.sliceplane.discovery.jgroups.internal;

import org.jgroups.Address;
import org.jgroups.util.UUID;

/** Stable text for a group address: a UUID's own text, whatever logical name this process cached for it. */
final class Members {

    private Members() {
    }

    static String id(Address address) {
        return address instanceof UUID uuid ? uuid.toStringLong() : String.valueOf(address);
    }
}
