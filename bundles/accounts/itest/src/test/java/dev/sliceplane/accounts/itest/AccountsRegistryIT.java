package dev.sliceplane.accounts.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.accounts.api.TokenVerifier;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;

/**
 * The accounts bundle inside Felix: the component finds the H2 driver through its
 * DataSourceFactory service, Flyway (embedded in the bundle) finds the migrations through the
 * bundle's class loader, and the Registry service works. With a PostgreSQL server configured
 * (SLICEPLANE_TEST_PG_*), the same bundle is moved there by configuration.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AccountsRegistryIT {

    static final String PID = "dev.sliceplane.accounts";
    static final long TIMEOUT_MS = 30_000;

    @InjectBundleContext
    BundleContext context;

    /**
     * As the distribution's etc/ does: accounts acts only once its node configuration says whether
     * this process is an authority (an empty authorityUrl: it is).
     */
    @BeforeAll
    static void thisProcessIsAnAuthority() throws Exception {
        BundleContext bundleContext = FrameworkUtil.getBundle(AccountsRegistryIT.class).getBundleContext();
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(bundleContext, ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = tracker.waitForService(TIMEOUT_MS);
            admin.getConfiguration("dev.sliceplane.accounts.node", "?")
                    .update(new Hashtable<>(Map.of("authorityUrl", "")));
        } finally {
            tracker.close();
        }
    }

    @Test
    void everyBundleIsActive() {
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            assertEquals(expected, bundle.getState(), bundle.getSymbolicName() + " is not " + (fragment ? "resolved" : "active"));
        }
    }

    @Test
    void registryStartsOnEmbeddedH2WithTheSchemaMigrated(
            @InjectService(filter = "(" + Registry.DATABASE_PROPERTY + "=h2)", timeout = TIMEOUT_MS) Registry registry)
            throws Exception {
        exercise(registry);

        Path data = Path.of(context.getProperty("sliceplane.data"), "accounts");
        assertTrue(Files.exists(data.resolve("registry.mv.db")), "the database file is under <data>/accounts");
        DataSource h2 = dataSource("org.h2.Driver", "jdbc:h2:file:" + data.resolve("registry"), null, null);
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT \"version\", \"success\" FROM \"registry_schema_history\""
                        + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            assertTrue(r.next(), "Flyway recorded the first migration");
            assertEquals("1", r.getString(1));
            assertTrue(r.getBoolean(2));
            assertTrue(r.next(), "and the second (API keys)");
            assertEquals("2", r.getString(1));
            assertTrue(r.getBoolean(2));
        }
    }

    @Test
    void credentialsExchangeAnApiKeyForATokenThatVerifies(
            @InjectService(filter = "(" + Registry.DATABASE_PROPERTY + "=h2)", timeout = TIMEOUT_MS) Registry registry,
            @InjectService(timeout = TIMEOUT_MS) Credentials credentials,
            @InjectService(timeout = TIMEOUT_MS) TokenVerifier verifier) throws Exception {
        registry.addSite(new Site("itcreds", "Credentials test site", "https://example.org/", 5));
        registry.addPrincipal(new Principal("carol@itcreds.org", "Carol", "itcreds", Set.of(Role.TECH), true));
        NewApiKey key = credentials.createApiKey("carol@itcreds.org");
        IssuedToken token = credentials.issueToken(key.secret());
        TokenClaims claims = verifier.verify(token.token());
        assertEquals("carol@itcreds.org", claims.subject());
        assertEquals(Set.of(Role.TECH), claims.roles());
        assertEquals(token.expiresAt(), claims.expiresAt());
        assertThrows(InvalidTokenException.class, () -> verifier.verify(token.token() + "x"));

        Path keys = Path.of(context.getProperty("sliceplane.data"), "accounts", "keys");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    }

    @Test
    void registryFollowsItsDriver() throws Exception {
        await("h2");
        Bundle h2 = Arrays.stream(context.getBundles()).filter(b -> "com.h2database".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        h2.stop();
        try {
            assertEquals(null, context.getServiceReference(Registry.class), "no registry while its driver is gone");
        } finally {
            h2.start();
        }
        exercise(await("h2"));
    }

    @Test
    void registryMovesToPostgresqlByConfiguration(@InjectService ConfigurationAdmin configurationAdmin) throws Exception {
        String url = System.getenv("SLICEPLANE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            String message = "PostgreSQL tests skipped: set SLICEPLANE_TEST_PG_URL, _USER and _PASSWORD (see .ci/run)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + message);
            }
            assumeTrue(false, message);
        }
        String user = System.getenv("SLICEPLANE_TEST_PG_USER");
        String password = System.getenv("SLICEPLANE_TEST_PG_PASSWORD");
        String schema = "sliceplane_registry_itest";
        try (Connection c = dataSource("org.postgresql.Driver", url, user, password).getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }

        Configuration configuration = configurationAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("jdbcUrl", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        properties.put("user", user);
        properties.put("password", password);
        try {
            configuration.update(properties);
            exercise(await("postgresql"));
        } finally {
            configuration.delete();
        }
        assertNotNull(await("h2"), "back on the embedded database once the configuration is gone");
    }

    /** Adds, reads and deletes one of each kind, including a transaction that must roll back. */
    private void exercise(Registry registry) {
        String base = "it" + Long.toString(System.nanoTime(), 36);
        registry.addSite(new Site(base, "In-framework test site", "", 5));
        registry.addPrincipal(new Principal("pi@" + base + ".org", "A PI", base, Set.of(Role.PI), true));
        Instant expires = Instant.now().plus(7, ChronoUnit.DAYS);
        Slice slice = registry.addSlice(new Slice(base + "_test", "", "", expires, Set.of("pi@" + base + ".org"), 10));
        assertEquals(Set.of("pi@" + base + ".org"), slice.members());
        registry.addNode(new Node("node1." + base + ".org", base, "", BootState.INSTALL));

        RegistryException e = assertThrows(RegistryException.class, () -> registry.addSlice(
                new Slice(base + "_broken", "", "", expires, Set.of("ghost@nowhere.org"), 1)));
        assertEquals(RegistryException.Reason.INVALID, e.reason());
        assertEquals(List.of(base + "_test"), registry.listSlices(SliceFilter.ofSite(base))
                .stream().map(Slice::name).toList());

        registry.deleteSlice(base + "_test");
        registry.deleteNode("node1." + base + ".org");
        registry.deletePrincipal("pi@" + base + ".org");
        registry.deleteSite(base);
    }

    private Registry await(String database) throws InterruptedException, InvalidSyntaxException {
        ServiceTracker<Registry, Registry> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Registry.class.getName() + ")(" + Registry.DATABASE_PROPERTY
                        + "=" + database + "))"), null);
        tracker.open();
        try {
            Registry registry = tracker.waitForService(TIMEOUT_MS);
            assertNotNull(registry, "no registry on " + database + " within " + TIMEOUT_MS + " ms");
            return registry;
        } finally {
            tracker.close();
        }
    }

    /** A data source from the driver's DataSourceFactory service, as the component gets its own. */
    private DataSource dataSource(String driverClass, String url, String user, String password)
            throws InvalidSyntaxException, InterruptedException, SQLException {
        ServiceTracker<DataSourceFactory, DataSourceFactory> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + DataSourceFactory.class.getName() + ")("
                        + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + driverClass + "))"), null);
        tracker.open();
        try {
            DataSourceFactory factory = tracker.waitForService(TimeUnit.SECONDS.toMillis(10));
            assertNotNull(factory, "no DataSourceFactory for " + driverClass);
            Properties properties = new Properties();
            properties.setProperty(DataSourceFactory.JDBC_URL, url);
            if (user != null) {
                properties.setProperty(DataSourceFactory.JDBC_USER, user);
                properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
            }
            return factory.createDataSource(properties);
        } finally {
            tracker.close();
        }
    }
}
