package dev.sliceplane.platform.api.acquisition;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The registry's nodes: the authority only. Provided by the accounts bundle. Thread-safe; may
 * read the database.
 */
@ProviderType
public interface NodeDirectory {

    Optional<NodeRecord> node(String hostname);

    List<NodeRecord> nodes();
}
