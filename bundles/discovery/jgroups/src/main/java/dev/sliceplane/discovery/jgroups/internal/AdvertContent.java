package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.util.List;

/**
 * What this node says about itself in one advertisement, before it is signed: the parts of a
 * {@link dev.sliceplane.discovery.api.NodeAdvert} the node itself knows (not when it was received,
 * nor its liveness, which are the receiver's). Figures the monitor has not measured yet are null.
 */
record AdvertContent(URI url, List<String> roles, String version, String location, int cores, Double cpuBusy,
                     Double load1, long memTotal, Long memAvailable, long diskTotal, Long diskAvailable, int slivers,
                     String health) {

    AdvertContent {
        roles = List.copyOf(roles);
        location = location == null ? "" : location;
    }
}
