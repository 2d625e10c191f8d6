package dev.sliceplane.accounts.internal;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeFilter;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.accounts.internal.store.KeyStore;
import dev.sliceplane.accounts.internal.store.NodeStore;
import dev.sliceplane.accounts.internal.store.PrincipalStore;
import dev.sliceplane.accounts.internal.store.SiteStore;
import dev.sliceplane.accounts.internal.store.SliceStore;

/**
 * The {@link Registry} over JDBC: each call is one transaction on the registry database, and
 * what the records cannot check alone (an expiry in the future) is checked here. Reads return
 * what the database holds after the write, so callers see stored values (normalised e-mails,
 * microsecond expiries), not their own input.
 */
public final class JdbcRegistry implements Registry {

    private final RegistryDatabase database;
    private final Clock clock;

    public JdbcRegistry(RegistryDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    // Sites

    @Override
    public Site addSite(Site site) {
        required("site", site);
        return database.inTransaction(c -> {
            SiteStore.insert(c, site);
            return SiteStore.get(c, site.loginBase());
        });
    }

    @Override
    public Site getSite(String loginBase) {
        String key = required("loginBase", loginBase);
        return database.inTransaction(c -> SiteStore.get(c, key));
    }

    @Override
    public List<Site> listSites() {
        return database.inTransaction(SiteStore::list);
    }

    @Override
    public Site updateSite(Site site) {
        required("site", site);
        return database.inTransaction(c -> {
            SiteStore.update(c, site);
            return SiteStore.get(c, site.loginBase());
        });
    }

    @Override
    public void deleteSite(String loginBase) {
        String key = required("loginBase", loginBase);
        database.inTransaction(c -> {
            SiteStore.delete(c, key);
            return null;
        });
    }

    // Principals

    @Override
    public Principal addPrincipal(Principal principal) {
        required("principal", principal);
        return database.inTransaction(c -> {
            PrincipalStore.insert(c, principal);
            return PrincipalStore.get(c, principal.email());
        });
    }

    @Override
    public Principal getPrincipal(String email) {
        String key = lowerCase(required("email", email));
        return database.inTransaction(c -> PrincipalStore.get(c, key));
    }

    @Override
    public List<Principal> listPrincipals(PrincipalFilter filter) {
        PrincipalFilter query = filter == null ? PrincipalFilter.ALL : filter;
        return database.inTransaction(c -> PrincipalStore.list(c, query));
    }

    @Override
    public Principal updatePrincipal(Principal principal) {
        required("principal", principal);
        return database.inTransaction(c -> {
            PrincipalStore.update(c, principal);
            return PrincipalStore.get(c, principal.email());
        });
    }

    @Override
    public void deletePrincipal(String email) {
        String key = lowerCase(required("email", email));
        database.inTransaction(c -> {
            PrincipalStore.delete(c, key);
            return null;
        });
    }

    // Slices

    @Override
    public Slice addSlice(Slice slice) {
        required("slice", slice);
        requireFutureExpiry(slice);
        return database.inTransaction(c -> {
            SliceStore.insert(c, slice);
            return SliceStore.get(c, slice.name());
        });
    }

    @Override
    public Slice getSlice(String name) {
        String key = required("name", name);
        return database.inTransaction(c -> SliceStore.get(c, key));
    }

    @Override
    public List<Slice> listSlices(SliceFilter filter) {
        SliceFilter query = filter == null ? SliceFilter.ALL
                : new SliceFilter(filter.site(), filter.member() == null ? null : lowerCase(filter.member()));
        return database.inTransaction(c -> SliceStore.list(c, query));
    }

    @Override
    public Slice updateSlice(Slice slice) {
        required("slice", slice);
        requireFutureExpiry(slice);
        return database.inTransaction(c -> {
            SliceStore.update(c, slice);
            return SliceStore.get(c, slice.name());
        });
    }

    @Override
    public void deleteSlice(String name) {
        String key = required("name", name);
        database.inTransaction(c -> {
            SliceStore.delete(c, key);
            return null;
        });
    }

    @Override
    public Slice addMember(String slice, String member) {
        String name = required("slice", slice);
        String email = lowerCase(required("member", member));
        return database.inTransaction(c -> {
            SliceStore.addMember(c, name, email);
            return SliceStore.get(c, name);
        });
    }

    @Override
    public Slice removeMember(String slice, String member) {
        String name = required("slice", slice);
        String email = lowerCase(required("member", member));
        return database.inTransaction(c -> {
            SliceStore.removeMember(c, name, email);
            return SliceStore.get(c, name);
        });
    }

    // Nodes

    @Override
    public Node addNode(Node node) {
        required("node", node);
        return database.inTransaction(c -> {
            NodeStore.insert(c, node);
            return NodeStore.get(c, node.hostname());
        });
    }

    @Override
    public Node getNode(String hostname) {
        String key = lowerCase(required("hostname", hostname));
        return database.inTransaction(c -> NodeStore.get(c, key));
    }

    @Override
    public List<Node> listNodes(NodeFilter filter) {
        NodeFilter query = filter == null ? NodeFilter.ALL : filter;
        return database.inTransaction(c -> NodeStore.list(c, query));
    }

    @Override
    public Node updateNode(Node node) {
        required("node", node);
        return database.inTransaction(c -> {
            NodeStore.update(c, node);
            return NodeStore.get(c, node.hostname());
        });
    }

    @Override
    public void deleteNode(String hostname) {
        String key = lowerCase(required("hostname", hostname));
        database.inTransaction(c -> {
            NodeStore.delete(c, key);
            return null;
        });
    }

    // Keys

    @Override
    public PublicKey addKey(PublicKey key) {
        required("key", key);
        return database.inTransaction(c -> {
            KeyStore.insert(c, key);
            return KeyStore.get(c, key.fingerprint());
        });
    }

    @Override
    public PublicKey getKey(String fingerprint) {
        String key = required("fingerprint", fingerprint);
        return database.inTransaction(c -> KeyStore.get(c, key));
    }

    @Override
    public List<PublicKey> listKeys(String owner) {
        String key = owner == null ? null : lowerCase(owner);
        return database.inTransaction(c -> KeyStore.list(c, key));
    }

    @Override
    public void deleteKey(String fingerprint) {
        String key = required("fingerprint", fingerprint);
        database.inTransaction(c -> {
            KeyStore.delete(c, key);
            return null;
        });
    }

    private void requireFutureExpiry(Slice slice) {
        if (!slice.expires().isAfter(clock.instant())) {
            throw RegistryException.invalid("expires", "must be in the future, got " + slice.expires());
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null || (value instanceof String && ((String) value).isBlank())) {
            throw RegistryException.invalid(field, "is required");
        }
        return value;
    }

    private static String lowerCase(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
