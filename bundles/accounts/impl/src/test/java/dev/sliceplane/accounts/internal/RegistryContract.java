package dev.sliceplane.accounts.internal;

import static dev.sliceplane.accounts.internal.Fixtures.ED25519_A;
import static dev.sliceplane.accounts.internal.Fixtures.ED25519_B;
import static dev.sliceplane.accounts.internal.Fixtures.NEXT_MONTH;
import static dev.sliceplane.accounts.internal.Fixtures.NOW;
import static dev.sliceplane.accounts.internal.Fixtures.key;
import static dev.sliceplane.accounts.internal.Fixtures.node;
import static dev.sliceplane.accounts.internal.Fixtures.principal;
import static dev.sliceplane.accounts.internal.Fixtures.site;
import static dev.sliceplane.accounts.internal.Fixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeFilter;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.RegistryException.Reason;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.accounts.internal.db.SchemaMigrations;
import dev.sliceplane.accounts.internal.credentials.PasswordHash;
import dev.sliceplane.accounts.internal.credentials.PasswordHasher;
import dev.sliceplane.accounts.internal.store.PasswordStore;

/**
 * The registry's behaviour, written once and run on each database by a subclass that supplies
 * an empty database. Every call goes through the real schema, constraints and transactions.
 */
abstract class RegistryContract {

    /** An empty database for one test. */
    abstract DataSource emptyDatabase();

    abstract DatabaseKind kind();

    /** Quoted: Flyway creates it in lower case, which H2 would not find unquoted. */
    static final String HISTORY = "\"" + SchemaMigrations.HISTORY_TABLE + "\"";

    DataSource dataSource;
    RegistryDatabase database;
    JdbcRegistry registry;

    @BeforeEach
    void open() {
        dataSource = emptyDatabase();
        database = RegistryDatabase.open(kind(), dataSource, 4);
        registry = new JdbcRegistry(database, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    static RegistryException fails(Reason reason, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    static RegistryException fails(Reason reason, String field, Executable call) {
        RegistryException e = fails(reason, call);
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    int rows(String table) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The migration files this bundle ships (every branch adds its own, so they are counted). */
    static int shippedMigrations() {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of("target/classes/dev/sliceplane/accounts/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Successful versioned migrations in Flyway's history (it may also record other events). */
    int appliedMigrations() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + HISTORY
                        + " WHERE \"version\" IS NOT NULL AND \"success\" = TRUE")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void sql(String statement) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void siteAddGetListUpdateDelete() {
        Site added = registry.addSite(site("princeton"));
        registry.addSite(site("mit"));
        assertEquals(site("princeton"), added);
        assertEquals(added, registry.getSite("princeton"));
        assertEquals(List.of("mit", "princeton"), registry.listSites().stream().map(Site::loginBase).toList());

        Site changed = new Site("princeton", "Princeton University", "", 3);
        assertEquals(changed, registry.updateSite(changed));
        assertEquals(changed, registry.getSite("princeton"));

        registry.deleteSite("princeton");
        fails(Reason.NOT_FOUND, () -> registry.getSite("princeton"));
        assertEquals(1, registry.listSites().size());
    }

    @Test
    void siteDuplicateLoginBaseIsAlreadyExists() {
        registry.addSite(site("princeton"));
        RegistryException e = fails(Reason.ALREADY_EXISTS, "loginBase", () -> registry.addSite(site("princeton")));
        assertEquals("site 'princeton' exists already", e.getMessage());
    }

    @Test
    void unknownSiteIsNotFound() {
        fails(Reason.NOT_FOUND, () -> registry.getSite("nowhere"));
        fails(Reason.NOT_FOUND, () -> registry.updateSite(site("nowhere")));
        fails(Reason.NOT_FOUND, () -> registry.deleteSite("nowhere"));
    }

    @Test
    void siteWithSlicesPrincipalsOrNodesIsReferenced() {
        registry.addSite(site("princeton"));
        registry.addSlice(slice("princeton_codeen"));
        RegistryException e = fails(Reason.REFERENCED, () -> registry.deleteSite("princeton"));
        assertTrue(e.getMessage().contains("still has slices"), e.getMessage());
        registry.deleteSlice("princeton_codeen");

        registry.addPrincipal(principal("alice@princeton.edu", "princeton"));
        e = fails(Reason.REFERENCED, () -> registry.deleteSite("princeton"));
        assertTrue(e.getMessage().contains("still has principals"), e.getMessage());
        registry.deletePrincipal("alice@princeton.edu");

        registry.addNode(node("planetlab1.princeton.edu", "princeton"));
        e = fails(Reason.REFERENCED, () -> registry.deleteSite("princeton"));
        assertTrue(e.getMessage().contains("still has nodes"), e.getMessage());
        registry.deleteNode("planetlab1.princeton.edu");

        registry.deleteSite("princeton");
        assertEquals(0, rows("site"));
    }

    @Test
    void sqlMetacharactersAreStoredVerbatim() {
        String name = "Robert'); DROP TABLE site; -- \"quoted\" \\ %_";
        registry.addSite(new Site("bobby", name, "https://example.org/?q=1'--", 1));
        assertEquals(name, registry.getSite("bobby").name());
        assertEquals("https://example.org/?q=1'--", registry.getSite("bobby").url());
        fails(Reason.NOT_FOUND, () -> registry.getSite("bobby' OR '1'='1"));
        assertEquals(1, rows("site"));
    }

    private void sites() {
        registry.addSite(site("princeton"));
        registry.addSite(site("mit"));
    }

    @Test
    void principalAddGetListUpdateDelete() {
        sites();
        Principal alice = registry.addPrincipal(principal("alice@princeton.edu", "princeton", Role.PI, Role.USER));
        registry.addPrincipal(principal("bob@mit.edu", "mit", Role.USER));
        registry.addPrincipal(principal("carol@mit.edu", "mit", Role.TECH, Role.NODE_OWNER));
        assertEquals(Set.of(Role.PI, Role.USER), alice.roles());
        assertEquals(alice, registry.getPrincipal("alice@princeton.edu"));

        assertEquals(List.of("alice@princeton.edu", "bob@mit.edu", "carol@mit.edu"),
                emails(registry.listPrincipals(PrincipalFilter.ALL)));
        assertEquals(List.of("bob@mit.edu", "carol@mit.edu"), emails(registry.listPrincipals(PrincipalFilter.ofSite("mit"))));
        assertEquals(List.of("alice@princeton.edu", "bob@mit.edu"), emails(registry.listPrincipals(PrincipalFilter.ofRole(Role.USER))));
        assertEquals(List.of("carol@mit.edu"), emails(registry.listPrincipals(new PrincipalFilter("mit", Role.TECH))));
        assertEquals(Set.of(Role.TECH, Role.NODE_OWNER),
                registry.listPrincipals(PrincipalFilter.ofSite("mit")).get(1).roles(), "roles come with lists too");

        Principal moved = new Principal("alice@princeton.edu", "Alice A.", "mit", Set.of(Role.ADMIN), false);
        assertEquals(moved, registry.updatePrincipal(moved));
        assertEquals(moved, registry.getPrincipal("alice@princeton.edu"));

        registry.deletePrincipal("alice@princeton.edu");
        fails(Reason.NOT_FOUND, () -> registry.getPrincipal("alice@princeton.edu"));
        assertEquals(3, rows("principal_role"), "the deleted principal's roles went with them");
    }

    @Test
    void principalEmailIsCaseInsensitive() {
        sites();
        registry.addPrincipal(principal("Alice@Princeton.EDU", "princeton"));
        assertEquals("alice@princeton.edu", registry.getPrincipal("ALICE@princeton.edu").email());
        fails(Reason.ALREADY_EXISTS, "email", () -> registry.addPrincipal(principal("alice@princeton.edu", "princeton")));
    }

    @Test
    void principalOfUnknownSiteIsInvalid() {
        sites();
        RegistryException e = fails(Reason.INVALID, "site", () -> registry.addPrincipal(principal("a@b.org", "nowhere")));
        assertEquals("site: no site 'nowhere'", e.getMessage());
        registry.addPrincipal(principal("a@b.org", "mit"));
        fails(Reason.INVALID, "site", () -> registry.updatePrincipal(principal("a@b.org", "nowhere")));
        assertEquals("mit", registry.getPrincipal("a@b.org").site());
    }

    @Test
    void unknownPrincipalIsNotFound() {
        sites();
        fails(Reason.NOT_FOUND, () -> registry.getPrincipal("ghost@mit.edu"));
        fails(Reason.NOT_FOUND, () -> registry.updatePrincipal(principal("ghost@mit.edu", "mit")));
        fails(Reason.NOT_FOUND, () -> registry.deletePrincipal("ghost@mit.edu"));
    }

    @Test
    void deletingAPrincipalRemovesTheirKeysAndMemberships() {
        sites();
        registry.addPrincipal(principal("alice@princeton.edu", "princeton"));
        registry.addKey(key("alice@princeton.edu", ED25519_A));
        registry.addSlice(slice("princeton_codeen", "alice@princeton.edu"));
        registry.deletePrincipal("alice@princeton.edu");
        assertEquals(Set.of(), registry.getSlice("princeton_codeen").members());
        assertEquals(List.of(), registry.listKeys(null));
    }

    private List<String> emails(List<Principal> principals) {
        return principals.stream().map(Principal::email).toList();
    }

    private void people() {
        registry.addSite(site("princeton"));
        registry.addSite(site("mit"));
        registry.addPrincipal(principal("alice@princeton.edu", "princeton", Role.PI));
        registry.addPrincipal(principal("bob@mit.edu", "mit", Role.USER));
    }

    @Test
    void sliceAddGetListUpdateDelete() {
        people();
        Slice codeen = registry.addSlice(slice("princeton_codeen", "alice@princeton.edu", "bob@mit.edu"));
        registry.addSlice(slice("princeton_coral", "alice@princeton.edu"));
        registry.addSlice(slice("mit_chord", "bob@mit.edu"));
        assertEquals(slice("princeton_codeen", "alice@princeton.edu", "bob@mit.edu"), codeen);
        assertEquals("princeton", codeen.site());
        assertEquals(codeen, registry.getSlice("princeton_codeen"));

        assertEquals(List.of("mit_chord", "princeton_codeen", "princeton_coral"), names(registry.listSlices(SliceFilter.ALL)));
        assertEquals(List.of("princeton_codeen", "princeton_coral"), names(registry.listSlices(SliceFilter.ofSite("princeton"))));
        assertEquals(List.of("mit_chord", "princeton_codeen"), names(registry.listSlices(SliceFilter.ofMember("BOB@mit.edu"))));
        assertEquals(List.of("princeton_codeen"), names(registry.listSlices(new SliceFilter("princeton", "bob@mit.edu"))));
        assertEquals(Set.of("alice@princeton.edu", "bob@mit.edu"),
                registry.listSlices(SliceFilter.ofMember("bob@mit.edu")).get(1).members(), "all members, not just the filtered one");

        Instant later = NEXT_MONTH.plus(1, ChronoUnit.DAYS).plusNanos(123_456_789);
        Slice changed = new Slice("princeton_codeen", "a CDN", "https://codeen.cs.princeton.edu/", later,
                Set.of("bob@mit.edu"), 5);
        Slice stored = registry.updateSlice(changed);
        assertEquals(changed, stored);
        assertEquals(later.truncatedTo(ChronoUnit.MICROS), stored.expires(), "kept to the microsecond");

        registry.deleteSlice("princeton_codeen");
        fails(Reason.NOT_FOUND, () -> registry.getSlice("princeton_codeen"));
        assertEquals(2, rows("slice_member"), "the deleted slice's memberships went with it");
    }

    @Test
    void sliceDuplicateNameIsAlreadyExists() {
        people();
        registry.addSlice(slice("princeton_codeen"));
        fails(Reason.ALREADY_EXISTS, "name", () -> registry.addSlice(slice("princeton_codeen")));
    }

    @Test
    void sliceNamePrefixThatIsNoSiteIsInvalid() {
        people();
        RegistryException e = fails(Reason.INVALID, "name", () -> registry.addSlice(slice("nowhere_codeen")));
        assertEquals("name: no site 'nowhere' for slice 'nowhere_codeen'", e.getMessage());
    }

    @Test
    void sliceWithUnknownMemberIsInvalidAndNothingIsStored() {
        people();
        RegistryException e = fails(Reason.INVALID, "members",
                () -> registry.addSlice(slice("princeton_codeen", "alice@princeton.edu", "ghost@nowhere.org")));
        assertEquals("members: no principal 'ghost@nowhere.org'", e.getMessage());
        assertEquals(0, rows("slice"), "the slice row inserted before the failing member was rolled back");
        assertEquals(0, rows("slice_member"));
    }

    @Test
    void failedSliceUpdateLeavesTheSliceAsItWas() {
        people();
        Slice before = registry.addSlice(slice("princeton_codeen", "alice@princeton.edu"));
        Slice bad = new Slice("princeton_codeen", "changed", "", NEXT_MONTH.plusSeconds(60),
                Set.of("bob@mit.edu", "ghost@nowhere.org"), 7);
        fails(Reason.INVALID, "members", () -> registry.updateSlice(bad));
        assertEquals(before, registry.getSlice("princeton_codeen"));
    }

    @Test
    void sliceExpiryMustBeInTheFuture() {
        people();
        RegistryException e = fails(Reason.INVALID, "expires",
                () -> registry.addSlice(slice("princeton_codeen").withExpires(NOW)));
        assertTrue(e.getMessage().startsWith("expires: must be in the future"), e.getMessage());
        registry.addSlice(slice("princeton_codeen"));
        fails(Reason.INVALID, "expires",
                () -> registry.updateSlice(slice("princeton_codeen").withExpires(NOW.minusSeconds(1))));
    }

    @Test
    void siteSliceCapIsEnforced() {
        people();
        registry.updateSite(new Site("mit", "MIT", "", 2));
        registry.addSlice(slice("mit_one"));
        registry.addSlice(slice("mit_two"));
        RegistryException e = fails(Reason.LIMIT_REACHED, () -> registry.addSlice(slice("mit_three")));
        assertEquals("site 'mit' holds its maximum of 2 slices", e.getMessage());
    }

    @Test
    void concurrentSliceCreationsRespectTheCap() throws Exception {
        people();
        registry.updateSite(new Site("mit", "MIT", "", 3));
        int attempts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String name = "mit_s" + i;
                Callable<Boolean> create = () -> {
                    start.await();
                    try {
                        registry.addSlice(slice(name));
                        return true;
                    } catch (RegistryException e) {
                        assertEquals(Reason.LIMIT_REACHED, e.reason(), e.getMessage());
                        return false;
                    }
                };
                results.add(pool.submit(create));
            }
            start.countDown();
            int created = 0;
            for (Future<Boolean> result : results) {
                created += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(3, created);
            assertEquals(3, registry.listSlices(SliceFilter.ofSite("mit")).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void membersAreAddedAndRemoved() {
        people();
        registry.addSlice(slice("princeton_codeen", "alice@princeton.edu"));
        Slice slice = registry.addMember("princeton_codeen", "Bob@MIT.edu");
        assertEquals(Set.of("alice@princeton.edu", "bob@mit.edu"), slice.members());
        assertEquals(slice, registry.addMember("princeton_codeen", "bob@mit.edu"), "adding twice is harmless");

        slice = registry.removeMember("princeton_codeen", "alice@princeton.edu");
        assertEquals(Set.of("bob@mit.edu"), slice.members());
        RegistryException e = fails(Reason.NOT_FOUND, () -> registry.removeMember("princeton_codeen", "alice@princeton.edu"));
        assertEquals("'alice@princeton.edu' is not a member of slice 'princeton_codeen'", e.getMessage());
    }

    @Test
    void memberOfUnknownPrincipalOrSlice() {
        people();
        registry.addSlice(slice("princeton_codeen"));
        RegistryException e = fails(Reason.INVALID, "member", () -> registry.addMember("princeton_codeen", "ghost@nowhere.org"));
        assertEquals("member: no principal 'ghost@nowhere.org'", e.getMessage());
        fails(Reason.NOT_FOUND, () -> registry.addMember("princeton_nothing", "alice@princeton.edu"));
        fails(Reason.NOT_FOUND, () -> registry.removeMember("princeton_nothing", "alice@princeton.edu"));
        assertEquals(0, rows("slice_member"));
    }

    @Test
    void unknownSliceIsNotFound() {
        people();
        fails(Reason.NOT_FOUND, () -> registry.getSlice("princeton_nothing"));
        fails(Reason.NOT_FOUND, () -> registry.updateSlice(slice("princeton_nothing")));
        fails(Reason.NOT_FOUND, () -> registry.deleteSlice("princeton_nothing"));
    }

    private List<String> names(List<Slice> slices) {
        return slices.stream().map(Slice::name).toList();
    }

    @Test
    void nodeAddGetListUpdateDelete() {
        sites();
        Node one = registry.addNode(node("planetlab1.cs.princeton.edu", "princeton"));
        registry.addNode(node("planetlab2.cs.princeton.edu", "princeton"));
        registry.addNode(new Node("node1.csail.mit.edu", "mit", Fixtures.identityKey(1), BootState.BOOT));
        assertEquals(node("planetlab1.cs.princeton.edu", "princeton"), one);
        assertEquals(one, registry.getNode("PlanetLab1.cs.princeton.edu"));
        assertTrue(!one.registered());

        assertEquals(3, registry.listNodes(NodeFilter.ALL).size());
        assertEquals(List.of("planetlab1.cs.princeton.edu", "planetlab2.cs.princeton.edu"),
                hostnames(registry.listNodes(NodeFilter.ofSite("princeton"))));
        assertEquals(List.of("node1.csail.mit.edu"), hostnames(registry.listNodes(new NodeFilter(null, BootState.BOOT))));

        Node registered = new Node("planetlab1.cs.princeton.edu", "princeton", Fixtures.identityKey(2), BootState.BOOT);
        assertEquals(registered, registry.updateNode(registered));
        assertTrue(registry.getNode("planetlab1.cs.princeton.edu").registered());
        assertEquals(registered.withBootState(BootState.DISABLED), registry.updateNode(registered.withBootState(BootState.DISABLED)));

        registry.deleteNode("planetlab1.cs.princeton.edu");
        fails(Reason.NOT_FOUND, () -> registry.getNode("planetlab1.cs.princeton.edu"));
        fails(Reason.NOT_FOUND, () -> registry.deleteNode("planetlab1.cs.princeton.edu"));
        fails(Reason.NOT_FOUND, () -> registry.updateNode(registered));
    }

    @Test
    void nodeDuplicatesAndUnknownSite() {
        sites();
        registry.addNode(new Node("a.mit.edu", "mit", Fixtures.identityKey(1), BootState.BOOT));
        fails(Reason.ALREADY_EXISTS, "hostname", () -> registry.addNode(node("a.mit.edu", "mit")));
        fails(Reason.ALREADY_EXISTS, "identityKey",
                () -> registry.addNode(new Node("b.mit.edu", "mit", Fixtures.identityKey(1), BootState.BOOT)));
        registry.addNode(node("c.mit.edu", "mit"));
        registry.addNode(node("d.mit.edu", "mit")); // unregistered nodes share the empty key
        fails(Reason.INVALID, "site", () -> registry.addNode(node("e.nowhere.org", "nowhere")));
        fails(Reason.INVALID, "site", () -> registry.updateNode(node("c.mit.edu", "nowhere")));
        assertEquals(3, rows("node"));
    }

    private List<String> hostnames(List<Node> nodes) {
        return nodes.stream().map(Node::hostname).toList();
    }

    private void owners() {
        registry.addSite(site("princeton"));
        registry.addPrincipal(principal("alice@princeton.edu", "princeton"));
        registry.addPrincipal(principal("bob@princeton.edu", "princeton"));
    }

    @Test
    void keyAddGetListDelete() {
        owners();
        PublicKey a = registry.addKey(PublicKey.parse("alice@princeton.edu", "ssh-ed25519 " + ED25519_A + " alice@laptop"));
        PublicKey b = registry.addKey(key("bob@princeton.edu", ED25519_B));
        assertEquals(a, registry.getKey(a.fingerprint()));
        assertTrue(a.fingerprint().startsWith("SHA256:"));
        assertEquals(List.of(a), registry.listKeys("alice@princeton.edu"));
        assertEquals(List.of(a, b), registry.listKeys(null));

        registry.deleteKey(a.fingerprint());
        fails(Reason.NOT_FOUND, () -> registry.getKey(a.fingerprint()));
        fails(Reason.NOT_FOUND, () -> registry.deleteKey(a.fingerprint()));
        assertEquals(List.of(b), registry.listKeys(null));
    }

    @Test
    void duplicateKeyAndUnknownOwner() {
        owners();
        registry.addKey(key("alice@princeton.edu", ED25519_A));
        fails(Reason.ALREADY_EXISTS, "key", () -> registry.addKey(key("bob@princeton.edu", ED25519_A)));
        RegistryException e = fails(Reason.INVALID, "owner", () -> registry.addKey(key("ghost@nowhere.org", ED25519_B)));
        assertEquals("owner: no principal 'ghost@nowhere.org'", e.getMessage());
    }

    @Test
    void passwordHashesAreStoredReplacedAndGoWithTheirPrincipal() {
        owners();
        PasswordHash first = new PasswordHash(PasswordHash.ARGON2ID, 19, new PasswordHasher.Parameters(19456, 2, 1),
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, new byte[32]);
        PasswordHash second = new PasswordHash(PasswordHash.ARGON2ID, 19, new PasswordHasher.Parameters(65536, 3, 4),
                new byte[16], new byte[] {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16});
        assertNull(database.inTransaction(c -> PasswordStore.get(c, "alice@princeton.edu")));

        database.inTransaction(c -> {
            PasswordStore.put(c, "alice@princeton.edu", first, NOW);
            return null;
        });
        PasswordHash read = database.inTransaction(c -> PasswordStore.get(c, "alice@princeton.edu"));
        assertEquals(first.parameters(), read.parameters());
        assertEquals(19, read.version());
        assertEquals(List.of(first.salt().length, first.hash().length), List.of(read.salt().length, read.hash().length));
        assertTrue(java.util.Arrays.equals(first.salt(), read.salt()));
        assertTrue(java.util.Arrays.equals(first.hash(), read.hash()));

        database.inTransaction(c -> {
            PasswordStore.put(c, "alice@princeton.edu", second, NOW);
            return null;
        });
        read = database.inTransaction(c -> PasswordStore.get(c, "alice@princeton.edu"));
        assertEquals(new PasswordHasher.Parameters(65536, 3, 4), read.parameters());
        assertTrue(java.util.Arrays.equals(second.hash(), read.hash()));

        fails(Reason.NOT_FOUND, () -> database.inTransaction(c -> {
            PasswordStore.put(c, "ghost@nowhere.org", first, NOW);
            return null;
        }));
        registry.deletePrincipal("alice@princeton.edu");
        assertNull(database.inTransaction(c -> PasswordStore.get(c, "alice@princeton.edu")));
    }

    @Test
    void migrationsAppliedOnceAndNotAgainOnReopen() {
        int shipped = shippedMigrations();
        assertTrue(shipped >= 4, "V1 to V4 and any others are shipped: " + shipped);
        assertEquals(shipped, database.migrationsApplied());
        assertEquals(shipped, appliedMigrations());
        registry.addSite(site("princeton"));
        database.close();

        database = RegistryDatabase.open(kind(), dataSource, 2);
        assertEquals(0, database.migrationsApplied());
        assertEquals(shipped, appliedMigrations());
        assertEquals(site("princeton"), new JdbcRegistry(database, Clock.systemUTC()).getSite("princeton"));
    }

    @Test
    void editedMigrationStopsTheOpen() {
        database.close();
        sql("UPDATE " + HISTORY + " SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RegistryDatabase.open(kind(), dataSource, 2));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        database = null;
    }

    @Test
    void unknownAppliedMigrationStopsTheOpen() {
        database.close();
        sql("INSERT INTO " + HISTORY + " (\"installed_rank\", \"version\", \"description\", \"type\","
                + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                + " VALUES (99, '999', 'from a newer version', 'SQL', 'V999__from_a_newer_version.sql', 42, 'test', 1, TRUE)");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RegistryDatabase.open(kind(), dataSource, 2));
        assertTrue(e.getMessage().contains("999"), e.getMessage());
        database = null;
    }

    @Test
    void aBuildThatMigratedTheDatabaseSkipsFlywayAtItsNextStartAndNoOtherBuildDoes() throws SQLException {
        database.close();
        database = null;
        try (Connection held = dataSource.getConnection()) {
            assertEquals(0, SchemaMigrations.migrate(dataSource, held, Optional.of("accounts 1.0.0 100")),
                    "Flyway found the schema current, and the build is recorded");
            sql("INSERT INTO " + HISTORY + " (\"installed_rank\", \"version\", \"description\", \"type\","
                    + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '999', 'from a newer version', 'SQL', 'V999__from_a_newer_version.sql', 42, 'test', 1, TRUE)");

            assertEquals(0, SchemaMigrations.migrate(dataSource, held, Optional.of("accounts 1.0.0 100")),
                    "the same build does not run Flyway, so it does not see the unknown migration");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SchemaMigrations.migrate(dataSource, held, Optional.of("accounts 1.0.0 200")));
            assertTrue(e.getMessage().contains("999"), "an updated bundle runs Flyway: " + e.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> SchemaMigrations.migrate(dataSource, held, Optional.of("accounts 1.0.0 200")),
                    "a failed run records nothing");
            assertThrows(IllegalStateException.class, () -> SchemaMigrations.migrate(dataSource, held, Optional.empty()),
                    "without a build (outside OSGi) Flyway always runs");
        }
    }

    @Test
    void nullAndBlankArgumentsAreInvalid() {
        fails(Reason.INVALID, "site", () -> registry.addSite(null));
        fails(Reason.INVALID, "loginBase", () -> registry.getSite(" "));
        fails(Reason.INVALID, "member", () -> registry.addMember("princeton_codeen", null));
    }
}
