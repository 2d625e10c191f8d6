package dev.sliceplane.platform.api.acquisition;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The registered slices as this node knows them: the registry on the authority, the node's cache
 * of the slices that concern it on a joined node (which keeps answering while the authority is
 * down). Expired slices are never returned. Provided by the accounts bundle. Thread-safe.
 */
@ProviderType
public interface SliceDirectory {

    /** The slice with this name, unless it is unknown or expired. */
    Optional<SliceRecord> slice(String name);
}
