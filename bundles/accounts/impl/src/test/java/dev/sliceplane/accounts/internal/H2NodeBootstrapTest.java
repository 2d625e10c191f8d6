package dev.sliceplane.accounts.internal;

import javax.sql.DataSource;

import dev.sliceplane.accounts.internal.db.DatabaseKind;

/** Node bootstrap tokens on H2. */
class H2NodeBootstrapTest extends NodeBootstrapContract {

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.h2Memory();
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
