package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.TokenClaims;

/** The cache of verified credentials in {@link CredentialReader}: a hit is still checked for expiry and key. */
class VerifiedCredentialsTest {

    @TempDir
    Path temp;

    MutableClock clock;
    AuthorityComponent authority;
    /** Key ids withdrawn from the reader's view of the published keys, as a node's refreshed JWKS would. */
    Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    CredentialReader reader;

    @BeforeEach
    void open() {
        clock = new MutableClock(TokenCodecTest.T0);
        authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), clock);
        VerificationKeys published = (kid, now) -> withdrawn.contains(kid) ? null
                : authority.keyRing().verificationKey(kid, now);
        reader = new CredentialReader(published, "sliceplane-test", Duration.ofSeconds(30), clock);
    }

    @Test
    void aRepeatedTokenIsAnsweredFromTheCacheAndATamperedOneIsNot() {
        String token = authority.issue(TokenCodecTest.ALICE).token();
        TokenClaims first = reader.verify(token);
        assertSame(first, reader.verify(token), "the second verification is a cache hit");
        String[] parts = token.split("\\.");
        String otherSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
                + parts[2].substring(1);
        assertThrows(InvalidTokenException.class, () -> reader.verify(otherSignature));
        assertThrows(InvalidTokenException.class, () -> reader.verify(null));
    }

    @Test
    void aCachedTokenExpiresOnTime() {
        String token = authority.issue(TokenCodecTest.ALICE).token();
        TokenClaims first = reader.verify(token);
        clock.advance(Duration.ofSeconds(900 + 29));
        assertSame(first, reader.verify(token));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("expired", assertThrows(InvalidTokenException.class, () -> reader.verify(token)).getMessage());
    }

    @Test
    void aCachedTokenIsRefusedOnceItsKeyIsWithdrawn() {
        String token = authority.issue(TokenCodecTest.ALICE).token();
        reader.verify(token);
        withdrawn.add(authority.keyRing().current().kid());
        assertEquals("unknown or retired key id",
                assertThrows(InvalidTokenException.class, () -> reader.verify(token)).getMessage());
        withdrawn.clear();
        assertNotNull(reader.verify(token));
    }

    @Test
    void nodeCredentialsAreCachedApartFromAccessTokens() {
        String token = authority.issue(TokenCodecTest.ALICE).token();
        reader.verify(token);
        assertEquals("typ must be node-credential+jwt",
                assertThrows(InvalidTokenException.class, () -> reader.verifyNodeCredential(token)).getMessage());
    }

    @Test
    void sizeZeroTurnsTheCacheOff() {
        TestConfig config = TestConfig.defaults();
        config.verifiedCacheSize = 0;
        AuthorityComponent uncached = new AuthorityComponent(temp.resolve("keys"), config, clock);
        String token = uncached.issue(TokenCodecTest.ALICE).token();
        assertNotSame(uncached.verify(token), uncached.verify(token));
        assertSame(authority.verify(token), authority.verify(token));
    }

    @Test
    void theCacheIsBounded() {
        VerifiedCredentials<String> cache = new VerifiedCredentials<>(clock, Duration.ofSeconds(30), 1_000);
        Instant expires = clock.instant().plusSeconds(900);
        for (int i = 0; i < 1_500; i++) {
            cache.put("token-" + i, "k", "claims-" + i, expires);
        }
        assertEquals(1_000, cache.size());
    }

}
