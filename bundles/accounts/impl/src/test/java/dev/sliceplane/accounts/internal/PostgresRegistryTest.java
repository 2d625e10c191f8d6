package dev.sliceplane.accounts.internal;

import javax.sql.DataSource;

import dev.sliceplane.accounts.internal.db.DatabaseKind;

/**
 * The registry contract on a real PostgreSQL server (a freshly created schema per test); see
 * {@link TestDatabases} for how the server is found and when these tests skip.
 */
class PostgresRegistryTest extends RegistryContract {

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.postgresFresh();
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
