package dev.sliceplane.accounts.internal.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

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
 */
public final class SchemaMigrations {

    static final String LOCATION = "classpath:dev/sliceplane/accounts/migration";
    public static final String HISTORY_TABLE = "registry_schema_history";

    private SchemaMigrations() {
    }

    /**
     * Validates the applied migrations and applies the pending ones.
     *
     * @return how many migrations were applied now
     * @throws IllegalStateException when the database's history does not match this bundle's
     *         migrations, or a migration fails
     */
    public static int migrate(DataSource dataSource) {
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
