package dev.sliceplane.platform.api.slice;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** All management slices of this node, with their usage; the monitor publishes these like slivers. */
@ProviderType
public interface SliceRegistry {

    /** Every slice, sorted by name. */
    List<SliceSnapshot> slices();

    /** One slice by name. */
    Optional<SliceSnapshot> slice(String name);
}
