package dev.sliceplane.accounts.internal;

import javax.sql.DataSource;

import dev.sliceplane.accounts.internal.db.DatabaseKind;

/** Node bootstrap tokens on PostgreSQL (skipped without SLICEPLANE_TEST_PG_URL, failing under CI). */
class PostgresNodeBootstrapTest extends NodeBootstrapContract {

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.postgresFresh();
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
