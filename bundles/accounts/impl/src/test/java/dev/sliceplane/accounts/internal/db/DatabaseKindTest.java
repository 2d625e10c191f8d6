package dev.sliceplane.accounts.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DatabaseKindTest {

    @Test
    void kindComesFromTheUrl() {
        assertEquals(DatabaseKind.H2, DatabaseKind.of("jdbc:h2:file:/var/accounts/registry"));
        assertEquals(DatabaseKind.POSTGRESQL, DatabaseKind.of("jdbc:postgresql://db.example.org:5432/registry"));
        assertEquals("org.postgresql.Driver", DatabaseKind.POSTGRESQL.driverClass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseKind.of("jdbc:mysql://x/y"));
        assertEquals("jdbcUrl must start with jdbc:h2: or jdbc:postgresql:, got 'jdbc:mysql://x/y'", e.getMessage());
    }

    @Test
    void embeddedDatabaseLivesUnderTheDirectory() {
        assertEquals("jdbc:h2:file:/data/accounts/registry", DatabaseKind.embeddedUrl(Path.of("/data/accounts")));
    }

    @Test
    void h2WritesEveryCommitUnlessTheUrlSaysOtherwise() {
        assertEquals("jdbc:h2:file:/d/registry;WRITE_DELAY=0", DatabaseKind.H2.connectUrl("jdbc:h2:file:/d/registry"));
        assertEquals("jdbc:h2:file:/d/r;write_delay=100", DatabaseKind.H2.connectUrl("jdbc:h2:file:/d/r;write_delay=100"));
        assertEquals("jdbc:postgresql://h/db", DatabaseKind.POSTGRESQL.connectUrl("jdbc:postgresql://h/db"));
    }
}
