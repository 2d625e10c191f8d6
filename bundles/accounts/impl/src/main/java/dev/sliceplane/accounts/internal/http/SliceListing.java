package dev.sliceplane.accounts.internal.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * {@code GET /slices} for one caller: the slices matching the filter that the caller may see
 * ({@link AccessRules#canSeeSlice}), sorted by name. Admins and techs get the registry's list as
 * it is; for PIs and users it asks the registry only for the slices they could see (their site's,
 * their own), so the work follows what they see rather than the size of the registry.
 */
final class SliceListing {

    private final Registry registry;

    SliceListing(Registry registry) {
        this.registry = registry;
    }

    List<Slice> visible(Caller caller, SliceFilter filter) {
        AccessRules.listSlices(caller);
        if (caller.hasAnyRole(Roles.ADMIN, Roles.TECH)) {
            return registry.listSlices(filter);
        }
        Map<String, Slice> byName = new TreeMap<>();
        if (caller.hasRole(Roles.PI) && (filter.site() == null || filter.site().equals(caller.site()))) {
            registry.listSlices(new SliceFilter(caller.site(), filter.member())).forEach(s -> byName.put(s.name(), s));
        }
        if (filter.member() == null || filter.member().equalsIgnoreCase(caller.id())) {
            registry.listSlices(new SliceFilter(filter.site(), caller.id())).forEach(s -> byName.put(s.name(), s));
        }
        return byName.values().stream().filter(s -> AccessRules.canSeeSlice(caller, s)).toList();
    }
}
