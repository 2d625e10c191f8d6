package dev.sliceplane.accounts.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a node that has joined an authority keeps of it: the slices that concern the node, with
 * their members' keys, fetched periodically and kept on disk, so the node goes on working while
 * the authority is unreachable. Registered only on such a node (an all-in-one authority has the
 * {@link Registry} instead). Expired slices are never returned, however old the cache.
 * Thread-safe; answers from memory.
 *
 * @since 1.2
 */
@ProviderType
public interface NodeCache {

    /** The slices that concern this node and have not expired, sorted by name. */
    List<NodeSlice> slices();

    /** One such slice by name. */
    Optional<NodeSlice> slice(String name);

    /** The public keys of a slice's members by e-mail address; empty for an unknown or expired slice. */
    Map<String, List<PublicKey>> memberKeys(String slice);

    /** How current the cache is. */
    NodeCacheStatus status();
}
