package dev.sliceplane.accounts.internal;

import javax.sql.DataSource;

import dev.sliceplane.accounts.internal.db.DatabaseKind;

/** The registry contract on H2 (a fresh in-memory database per test). */
class H2RegistryTest extends RegistryContract {

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.h2Memory();
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
