package dev.sliceplane.accounts.internal.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway before the registry serves a call. The versioned SQL
 * files live in this bundle under {@value #LOCATION}; each runs in its own transaction and is
 * recorded with its checksum in {@value #HISTORY_TABLE}. Before migrating, Flyway validates what
 * was applied: an edited migration (checksum mismatch) or one this bundle does not know (a
 * database written by a newer version) stops the start instead of running on a schema we do not
 * understand.
 *
 * <p>Flyway is embedded in this bundle; it is given this bundle's class loader, through which it
 * finds both the migrations and its database plugins.
 *
 * <p>After a successful run the bundle's build (symbolic name, version and when it was installed
 * or last updated) is recorded in {@value #BUILD_TABLE}; a start of the same build on that
 * database skips Flyway, which would only find nothing to do, at the price of loading some 400
 * classes (~0.1 s of every start). Any other build, including an updated bundle of the same
 * version, runs Flyway again, as does every use outside an OSGi framework.
 */
public final class SchemaMigrations {

    static final String LOCATION = "classpath:dev/sliceplane/accounts/migration";
    public static final String HISTORY_TABLE = "registry_schema_history";
    static final String BUILD_TABLE = "registry_schema_build";

    private SchemaMigrations() {
    }

    /**
     * Validates the applied migrations and applies the pending ones. Flyway takes its own
     * connections from {@code dataSource}; the recorded build is read and written on {@code held}.
     *
     * @return how many migrations were applied now
     * @throws IllegalStateException when the database's history does not match this bundle's
     *         migrations, or a migration fails
     */
    public static int migrate(DataSource dataSource, Connection held) {
        return migrate(dataSource, held, thisBuild());
    }

    /** As {@link #migrate(DataSource, Connection)}, for the given build; none: always run Flyway. */
    public static int migrate(DataSource dataSource, Connection held, Optional<String> build) {
        if (build.isPresent() && build.get().equals(migratedBuild(held))) {
            return 0;
        }
        int applied = runFlyway(dataSource);
        if (build.isPresent()) {
            recordBuild(held, build.get());
        }
        return applied;
    }

    private static Optional<String> thisBuild() {
        Bundle bundle = FrameworkUtil.getBundle(SchemaMigrations.class);
        return bundle == null ? Optional.empty()
                : Optional.of(bundle.getSymbolicName() + " " + bundle.getVersion() + " " + bundle.getLastModified());
    }

    /** The build that last migrated the database; {@code null} when none is recorded. */
    private static String migratedBuild(Connection c) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT build FROM " + BUILD_TABLE)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            return null; // no such table yet: a database this code never migrated
        }
    }

    private static void recordBuild(Connection c, String build) {
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE IF NOT EXISTS " + BUILD_TABLE + " (build VARCHAR(500) NOT NULL)");
            s.execute("DELETE FROM " + BUILD_TABLE);
            try (var insert = c.prepareStatement("INSERT INTO " + BUILD_TABLE + " (build) VALUES (?)")) {
                insert.setString(1, build);
                insert.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            // Only a saving lost: the next start runs Flyway again.
            LoggerFactory.getLogger(SchemaMigrations.class).warn("cannot record the migrated build: {}", e.toString());
        }
    }

    private static int runFlyway(DataSource dataSource) {
        Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                // Through slf4j, so the node's log levels apply (start-up stays quiet).
                .loggers("slf4j")
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                // By default Flyway ignores applied migrations it does not know ("future"); a
                // registry schema newer than this bundle is an error, not something to run on.
                .ignoreMigrationPatterns(new String[0])
                .cleanDisabled(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new IllegalStateException("the registry schema cannot be migrated: " + e.getMessage(), e);
        }
    }
}
