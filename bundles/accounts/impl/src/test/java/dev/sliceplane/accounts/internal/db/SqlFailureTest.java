package dev.sliceplane.accounts.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class SqlFailureTest {

    @Test
    void h2AndPostgresqlMessagesAreReadAlike() {
        SqlFailure h2 = SqlFailure.of(new SQLException("Referential integrity constraint violation: \"SLICE_SITE_FK: "
                + "PUBLIC.SLICE FOREIGN KEY(SITE) REFERENCES PUBLIC.SITE(LOGIN_BASE)\"", "23503"));
        SqlFailure postgres = SqlFailure.of(new SQLException("ERROR: update or delete on table \"site\" violates "
                + "foreign key constraint \"slice_site_fk\" on table \"slice\"", "23503"));
        for (SqlFailure failure : new SqlFailure[] {h2, postgres}) {
            assertEquals(SqlFailure.Kind.FOREIGN_KEY, failure.kind());
            assertTrue(failure.violates("slice_site_fk"));
            assertFalse(failure.violates("node_site_fk"));
        }
        assertEquals(SqlFailure.Kind.FOREIGN_KEY, SqlFailure.of(new SQLException("parent missing", "23506")).kind());
        assertEquals(SqlFailure.Kind.UNIQUE, SqlFailure.of(new SQLException("x", "23505")).kind());
    }

    @Test
    void otherFailuresViolateNothing() {
        SqlFailure failure = SqlFailure.of(new SQLException("connection refused: slice_site_fk", "08001"));
        assertEquals(SqlFailure.Kind.OTHER, failure.kind());
        assertFalse(failure.violates("slice_site_fk"));
        assertEquals(SqlFailure.Kind.OTHER, SqlFailure.of(new SQLException("no state")).kind());
    }
}
