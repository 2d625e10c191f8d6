package dev.sliceplane.accounts.internal.acquisition;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * {@link SliceDirectory} on the authority: straight from the {@link Registry} (present only there,
 * while its database is open), so a slice is known the moment it is created. An unknown name, a
 * malformed one and an expired slice are all absent; a database failure is thrown as the
 * registry's {@link RegistryException} (UNAVAILABLE), not mistaken for an unknown slice.
 */
@Component(service = SliceDirectory.class)
public final class RegistrySliceDirectory implements SliceDirectory {

    private final Registry registry;
    private final Clock clock;

    @Activate
    public RegistrySliceDirectory(@Reference Registry registry) {
        this(registry, Clock.systemUTC());
    }

    public RegistrySliceDirectory(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Optional<SliceRecord> slice(String name) {
        Slice slice;
        try {
            slice = registry.getSlice(name);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND || e.reason() == RegistryException.Reason.INVALID) {
                return Optional.empty();
            }
            throw e;
        }
        if (!slice.expires().isAfter(clock.instant())) {
            return Optional.empty();
        }
        Map<String, List<PublicKey>> keys = new HashMap<>();
        for (String member : slice.members()) {
            keys.put(member, registry.listKeys(member));
        }
        return Optional.of(SliceRecords.of(NodeSlice.of(slice, keys)));
    }
}
