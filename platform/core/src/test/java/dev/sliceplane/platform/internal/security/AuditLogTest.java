package dev.sliceplane.platform.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private static AuditEntry entry(int n) {
        return new AuditEntry(Instant.parse("2026-11-26T00:00:00Z").plusSeconds(n), "user" + n + "@x.org", "PRINCIPAL",
                "jti" + n, "POST", "/api/v1/bundles", n % 2 == 0 ? 201 : 403, n % 2 == 0 ? "ok" : "denied",
                "127.0.0.1", n);
    }

    @Test
    void entriesAreOnDiskAndServedNewestFirstAfterAReopen() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(file, 1 << 20, 100);
        for (int i = 0; i < 5; i++) {
            log.record(entry(i));
        }
        log.close();
        assertEquals(5, Files.readAllLines(file).size());

        AuditLog reopened = new AuditLog(file, 1 << 20, 100);
        List<AuditEntry> recent = reopened.recent(3);
        assertEquals(List.of(entry(4), entry(3), entry(2)), recent);
        reopened.close();
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheNextEntryStartsOnItsOwnLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(file, 1 << 20, 100);
        log.record(entry(1));
        log.close();
        Files.writeString(file, "{\"time\":\"2026-11-2", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        AuditLog reopened = new AuditLog(file, 1 << 20, 100);
        reopened.record(entry(2));
        reopened.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(List.of(entry(2), entry(1)), new AuditLog(file, 1 << 20, 100).recent(10));
    }

    @Test
    void aFullFileIsRolledAndOnlyTheKeptNumberIsRemembered() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(file, 1000, 3);
        for (int i = 0; i < 20; i++) {
            log.record(entry(i));
        }
        log.close();
        assertTrue(Files.size(file) <= 1000, "the current file stays under its cap");
        assertTrue(Files.exists(dir.resolve("audit.jsonl.1")), "the older entries were rolled");
        assertEquals(List.of(entry(19), entry(18), entry(17)), log.recent(10));
    }
}
