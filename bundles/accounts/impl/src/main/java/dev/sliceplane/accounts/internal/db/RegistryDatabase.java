package dev.sliceplane.accounts.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sliceplane.accounts.api.RegistryException;

/**
 * The registry's database: migrated on open, then served from a small connection pool, with
 * every call in one transaction that is committed before the call returns.
 *
 * <p>Why a pool: a PostgreSQL connection costs a server process and an authentication round
 * trip (milliseconds, many times a registry call), and an embedded H2 database is closed and
 * re-opened whenever its last connection closes. HikariCP wraps the driver's own DataSource, so
 * the driver is still loaded the OSGi way, through its DataSourceFactory service.
 */
public final class RegistryDatabase implements AutoCloseable {

    private final DatabaseKind kind;
    private final HikariDataSource pool;
    private final int migrationsApplied;

    private RegistryDatabase(DatabaseKind kind, HikariDataSource pool, int migrationsApplied) {
        this.kind = kind;
        this.pool = pool;
        this.migrationsApplied = migrationsApplied;
    }

    /**
     * Migrates the schema through {@code driverDataSource}, then opens the pool on it.
     *
     * @throws IllegalStateException if the schema cannot be migrated
     * @throws RuntimeException if the database cannot be reached
     */
    public static RegistryDatabase open(DatabaseKind kind, DataSource driverDataSource, int maxConnections) {
        // Held until the pool has a connection of its own: an embedded H2 database closes, and
        // compacts its file, when its last connection closes, and would be opened again between
        // the migration's steps and the pool (tens of milliseconds of every node start).
        try (Connection held = driverDataSource.getConnection()) {
            int applied = SchemaMigrations.migrate(driverDataSource, held);
            return new RegistryDatabase(kind, new HikariDataSource(poolConfig(driverDataSource, maxConnections)), applied);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static HikariConfig poolConfig(DataSource driverDataSource, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sliceplane-accounts");
        config.setDataSource(driverDataSource);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(10_000);
        config.setRegisterMbeans(false);
        return config;
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** How many migrations this open applied (0 when the schema was current). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     * A {@link RegistryException} from the work passes through; any other database failure
     * becomes {@link RegistryException.Reason#UNAVAILABLE}.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * A database failure the stores did not map. An integrity violation (SQLSTATE class 23) is
     * the caller's input breaking a rule, so retrying will not help: INVALID. Anything else is
     * the database's trouble: UNAVAILABLE.
     */
    static RegistryException translate(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            return new RegistryException(RegistryException.Reason.INVALID, null,
                    "rejected by the registry database: " + e.getMessage(), e);
        }
        return new RegistryException(RegistryException.Reason.UNAVAILABLE, null,
                "the registry database failed: " + e.getMessage(), e);
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
