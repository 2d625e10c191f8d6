package dev.sliceplane.cli.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class TokenStoreTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path home;

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    private TokenStore store() {
        return new TokenStore(home.resolve(".config/sliceplane"), new ObjectMapper(),
                new PrintStream(warnings, true, StandardCharsets.UTF_8));
    }

    @Test
    void tokensAreKeptPerNodeInAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws Exception {
        TokenStore store = store();
        store.put("http://a:8080", new StoredToken("token-a", EXPIRES, "/keys/a", "0123456789abcdef"));
        store.put("http://b:8080", new StoredToken("token-b", EXPIRES, null, null));

        assertEquals(Optional.of(new StoredToken("token-a", EXPIRES, "/keys/a", "0123456789abcdef")), store().get("http://a:8080"));
        assertEquals(Optional.of(new StoredToken("token-b", EXPIRES, null, null)), store().get("http://b:8080"));
        assertEquals(Optional.empty(), store().get("http://c:8080"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())));
        try (Stream<Path> files = Files.list(store.file().getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void rewritingKeepsTheFileOwnerOnly() throws Exception {
        TokenStore store = store();
        store.put("http://a:8080", new StoredToken("one", EXPIRES, null, null));
        store.put("http://a:8080", new StoredToken("two", EXPIRES, null, null));
        assertEquals("two", store.get("http://a:8080").orElseThrow().token());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    }

    @Test
    void aFileReadableByOthersIsTightenedWithAWarning() throws Exception {
        TokenStore store = store();
        store.put("http://a:8080", new StoredToken("one", EXPIRES, null, null));
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertTrue(store.get("http://a:8080").isPresent());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("was rw-r--r--; made it owner-only"), warnings.toString());
    }

    @Test
    void removeForgetsOneNodeOnly() {
        TokenStore store = store();
        store.put("http://a:8080", new StoredToken("one", EXPIRES, null, null));
        store.put("http://b:8080", new StoredToken("two", EXPIRES, null, null));
        assertTrue(store.remove("http://a:8080"));
        assertFalse(store.remove("http://a:8080"));
        assertEquals(Optional.empty(), store.get("http://a:8080"));
        assertTrue(store.get("http://b:8080").isPresent());
    }

    @Test
    void anUnreadableEntryCountsAsNoToken() throws Exception {
        TokenStore store = store();
        store.put("http://a:8080", new StoredToken("one", EXPIRES, null, null));
        Files.writeString(store.file(), "{\"http://a:8080\": {\"token\": \"one\", \"expiresAt\": \"soon\"}}");
        assertEquals(Optional.empty(), store.get("http://a:8080"));
    }

    @Test
    void aTokenIsUsableUntilThirtySecondsBeforeItExpires() {
        StoredToken token = new StoredToken("t", EXPIRES, null, null);
        assertTrue(token.usableAt(EXPIRES.minusSeconds(31)));
        assertFalse(token.usableAt(EXPIRES.minusSeconds(30)));
        assertFalse(token.usableAt(EXPIRES.plusSeconds(1)));
        assertFalse(token.toString().contains("t,"), "the token never shows in toString");
    }
}
