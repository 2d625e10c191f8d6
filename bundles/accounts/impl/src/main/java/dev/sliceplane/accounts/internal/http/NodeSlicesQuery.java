package dev.sliceplane.accounts.internal.http;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;

/**
 * The slices that concern a node, with their members' keys. For now every slice that has not
 * expired concerns every node (slivers are not yet assigned to nodes); keys come in one query.
 */
final class NodeSlicesQuery {

    private final Registry registry;
    private final Clock clock;

    NodeSlicesQuery(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @throws dev.sliceplane.accounts.api.RegistryException NOT_FOUND for an unknown node */
    List<NodeSlice> forNode(String hostname) {
        registry.getNode(hostname);
        Instant now = clock.instant();
        Map<String, List<PublicKey>> keysByOwner = new HashMap<>();
        for (PublicKey key : registry.listKeys(null)) {
            keysByOwner.computeIfAbsent(key.owner(), owner -> new ArrayList<>()).add(key);
        }
        List<NodeSlice> slices = new ArrayList<>();
        for (Slice slice : registry.listSlices(SliceFilter.ALL)) {
            if (slice.expires().isAfter(now)) {
                slices.add(NodeSlice.of(slice, keysByOwner));
            }
        }
        return slices;
    }
}
