package dev.sliceplane.accounts.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;

import dev.sliceplane.accounts.internal.db.DatabaseKind;

/**
 * Data sources for the tests, made by the drivers' own OSGi DataSourceFactory classes: the same
 * code path the component takes in the framework.
 *
 * <p>PostgreSQL comes from {@value #PG_URL}, {@value #PG_USER} and {@value #PG_PASSWORD}
 * (.ci/run starts a server and sets them). Without them the PostgreSQL tests are skipped, except
 * under CI=true, where they fail: CI must run them.
 */
public final class TestDatabases {

    static final String PG_URL = "SLICEPLANE_TEST_PG_URL";
    static final String PG_USER = "SLICEPLANE_TEST_PG_USER";
    static final String PG_PASSWORD = "SLICEPLANE_TEST_PG_PASSWORD";
    /** Each PostgreSQL test runs in this schema, dropped and created afresh. */
    static final String PG_SCHEMA = "sliceplane_registry_test";

    private TestDatabases() {
    }

    public static DataSource h2Memory() {
        return h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    static DataSource h2File(Path directory) {
        return h2(DatabaseKind.H2.connectUrl(DatabaseKind.embeddedUrl(directory)));
    }

    static DataSource h2(String url) {
        return create(new org.h2.util.OsgiDataSourceFactory(new org.h2.Driver()), url, null, null);
    }

    /** Skips (or under CI fails) when no PostgreSQL server is configured. */
    static void assumePostgres() {
        if (System.getenv(PG_URL) == null || System.getenv(PG_URL).isBlank()) {
            String message = "PostgreSQL tests skipped: set " + PG_URL + ", " + PG_USER + " and " + PG_PASSWORD
                    + " (see .ci/run and bundles/accounts/README.md)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + message);
            }
            assumeTrue(false, message);
        }
    }

    /** A data source on an empty schema of the test database. */
    static DataSource postgresFresh() {
        assumePostgres();
        DataSource admin = postgres(System.getenv(PG_URL));
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + PG_SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL test schema: " + e.getMessage(), e);
        }
        String url = System.getenv(PG_URL);
        return postgres(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + PG_SCHEMA);
    }

    private static DataSource postgres(String url) {
        return create(new org.postgresql.osgi.PGDataSourceFactory(), url, System.getenv(PG_USER), System.getenv(PG_PASSWORD));
    }

    private static DataSource create(DataSourceFactory factory, String url, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, url);
        if (user != null) {
            properties.setProperty(DataSourceFactory.JDBC_USER, user);
        }
        if (password != null) {
            properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
        }
        try {
            return factory.createDataSource(properties);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
