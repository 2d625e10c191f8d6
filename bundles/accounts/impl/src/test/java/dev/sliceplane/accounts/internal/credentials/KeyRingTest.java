package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration PUBLISH = Duration.ofMinutes(15);

    @TempDir
    Path temp;

    Path dir() {
        return temp.resolve("accounts").resolve("keys");
    }

    List<Path> keyFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.toString().endsWith(".key")).sorted().toList();
        }
    }

    @Test
    void firstStartCreatesAKeyReadableByTheOwnerOnly() throws IOException {
        KeyRing ring = KeyRing.open(dir(), 3, new SecureRandom(), T0);
        assertNotNull(ring.current());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
        List<Path> files = keyFiles();
        assertEquals(1, files.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
        assertTrue(Files.readString(files.get(0)).contains(ring.current().kid()));
    }

    @Test
    void restartReloadsTheSameKey() {
        KeyRing first = KeyRing.open(dir(), 3, new SecureRandom(), T0);
        KeyRing second = KeyRing.open(dir(), 3, new SecureRandom(), T0.plusSeconds(60));
        assertEquals(first.current().kid(), second.current().kid());
        assertEquals(first.current().x(), second.current().x());
        assertEquals(first.current().created(), second.current().created());
    }

    @Test
    void loosePermissionsAreTightenedOnOpen() throws IOException {
        Files.createDirectories(dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        KeyRing.open(dir(), 3, new SecureRandom(), T0);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
    }

    @Test
    void rotationKeepsThePreviousKeyPublishedUntilItsTokensExpire() throws IOException {
        KeyRing ring = KeyRing.open(dir(), 3, new SecureRandom(), T0);
        SigningKey old = ring.current();
        SigningKey next = ring.rotate(T0.plusSeconds(10), PUBLISH);
        assertNotEquals(old.kid(), next.kid());
        assertEquals(next.kid(), ring.current().kid());
        assertEquals(List.of(next.kid(), old.kid()), ring.published(T0.plusSeconds(11)).stream().map(SigningKey::kid).toList());
        assertNotNull(ring.find(old.kid(), T0.plusSeconds(11)));

        Instant after = T0.plusSeconds(10).plus(PUBLISH);
        assertEquals(List.of(next.kid()), ring.published(after).stream().map(SigningKey::kid).toList());
        assertNull(ring.find(old.kid(), after));

        // The retire time survives a restart; past it the retired key is deleted.
        KeyRing reopened = KeyRing.open(dir(), 3, new SecureRandom(), T0.plusSeconds(11));
        assertEquals(next.kid(), reopened.current().kid());
        assertEquals(2, reopened.published(T0.plusSeconds(11)).size());
        assertEquals(2, keyFiles().size());
        KeyRing later = KeyRing.open(dir(), 3, new SecureRandom(), after.plusSeconds(1));
        assertEquals(List.of(next.kid()), later.published(after).stream().map(SigningKey::kid).toList());
        assertEquals(1, keyFiles().size());
    }

    @Test
    void atMostKeepRetiredKeysArePublished() throws IOException {
        KeyRing ring = KeyRing.open(dir(), 2, new SecureRandom(), T0);
        for (int i = 1; i <= 4; i++) {
            ring.rotate(T0.plusSeconds(i), PUBLISH);
        }
        assertEquals(3, ring.published(T0.plusSeconds(5)).size(), "the current key and two retired ones");
        assertEquals(3, keyFiles().size());
    }

    @Test
    void rotateIfOlderRotatesOnlyWhenDue() {
        KeyRing ring = KeyRing.open(dir(), 3, new SecureRandom(), T0);
        String kid = ring.current().kid();
        assertTrue(!ring.rotateIfOlder(Duration.ofDays(30), T0.plus(Duration.ofDays(29)), PUBLISH));
        assertEquals(kid, ring.current().kid());
        assertTrue(ring.rotateIfOlder(Duration.ofDays(30), T0.plus(Duration.ofDays(30)), PUBLISH));
        assertNotEquals(kid, ring.current().kid());
    }

    @Test
    void aKeyThatSignedSomethingLongLivedStaysPublishedUntilItExpires() {
        KeyRing ring = KeyRing.open(dir(), 3, new SecureRandom(), T0);
        SigningKey old = ring.current();
        Instant credentialExpires = T0.plus(Duration.ofDays(7)).plusSeconds(1);
        assertEquals(old.kid(), ring.signLongLived(credentialExpires, SigningKey::kid));
        Instant recorded = T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(1));
        assertEquals(recorded, ring.current().signedUntil(), "rounded up to the hour");
        ring.signLongLived(T0.plus(Duration.ofDays(1)), SigningKey::kid);
        assertEquals(recorded, ring.current().signedUntil(), "never moves back");

        ring.rotate(T0.plusSeconds(10), PUBLISH);
        assertEquals(recorded.plus(PUBLISH), ring.find(old.kid(), T0.plusSeconds(10)).retires());
        assertNotNull(ring.find(old.kid(), credentialExpires), "published while what it signed is valid");
        assertNull(ring.find(old.kid(), recorded.plus(PUBLISH)));

        // Kept on disk: a restart knows the horizon.
        KeyRing reloaded = KeyRing.open(dir(), 3, new SecureRandom(), T0.plusSeconds(20));
        assertNotNull(reloaded.find(old.kid(), credentialExpires));
    }

    @Test
    void aDamagedKeyFileStopsTheOpen() throws IOException {
        KeyRing.open(dir(), 3, new SecureRandom(), T0);
        Files.writeString(keyFiles().get(0), "d=not-a-key\nkid=x\ncreated=" + T0 + "\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> KeyRing.open(dir(), 3, new SecureRandom(), T0));
        assertTrue(e.getCause().getMessage().contains("damaged"), e.getCause().getMessage());
    }
}
