package dev.sliceplane.accounts.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import dev.sliceplane.accounts.api.RegistryException.Reason;

class RegistryDatabaseTest {

    @Test
    void unmappedViolationsAreInvalidAndOtherFailuresUnavailable() {
        assertEquals(Reason.INVALID, RegistryDatabase.translate(new SQLException("check", "23514")).reason());
        assertEquals(Reason.UNAVAILABLE, RegistryDatabase.translate(
                new SQLTransientConnectionException("pool timed out", "08001")).reason());
        assertEquals(Reason.UNAVAILABLE, RegistryDatabase.translate(new SQLException("deadlock", "40P01")).reason());
        assertEquals(Reason.UNAVAILABLE, RegistryDatabase.translate(new SQLException("no state")).reason());
    }
}
