package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Argon2id hashing and verification: salts, parameters carried with the hash, tampering. */
class PasswordHasherTest {

    static final PasswordHasher.Parameters SMALL = new PasswordHasher.Parameters(64, 1, 1);
    final PasswordHasher hasher = new PasswordHasher(SMALL, new SecureRandom());

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() {
        PasswordHash hash = hasher.hash("correct horse battery".toCharArray());
        assertTrue(hasher.verify("correct horse battery".toCharArray(), hash));
        assertFalse(hasher.verify("correct horse batterY".toCharArray(), hash));
        assertFalse(hasher.verify("".toCharArray(), hash));
        assertFalse(hasher.verify("correct horse battery ".toCharArray(), hash));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        PasswordHash a = hasher.hash("correct horse battery".toCharArray());
        PasswordHash b = hasher.hash("correct horse battery".toCharArray());
        assertEquals(16, a.salt().length);
        assertEquals(32, a.hash().length);
        assertFalse(Arrays.equals(a.salt(), b.salt()));
        assertFalse(Arrays.equals(a.hash(), b.hash()));
    }

    @Test
    void theHashIsArgon2idOfTheSaltAndPasswordWithTheStoredParameters() {
        PasswordHash hash = hasher.hash("correct horse battery".toCharArray());
        assertEquals(PasswordHash.ARGON2ID, hash.algorithm());
        assertEquals(0x13, hash.version());
        assertEquals(SMALL, hash.parameters());
        // Recomputed independently of the hasher, straight from BouncyCastle.
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(0x13)
                .withMemoryAsKB(64).withIterations(1).withParallelism(1).withSalt(hash.salt()).build());
        byte[] expected = new byte[32];
        generator.generateBytes("correct horse battery".toCharArray(), expected);
        assertArrayEquals(expected, hash.hash());
    }

    @Test
    void parametersAreReadBackFromTheHashNotTheVerifiersOwn() {
        // A hash made by this hasher is verified by one configured differently: the stored
        // parameters (m=128, t=3, p=2) are read back and used, not the verifier's own.
        PasswordHasher other = new PasswordHasher(new PasswordHasher.Parameters(128, 3, 2), new SecureRandom());
        PasswordHash made = other.hash("ünïcödé pässwörd".toCharArray());
        assertEquals(new PasswordHasher.Parameters(128, 3, 2), made.parameters());
        assertTrue(hasher.verify("ünïcödé pässwörd".toCharArray(), made));
        assertFalse(hasher.isCurrent(made));
        assertTrue(other.isCurrent(made));
    }

    @Test
    void tamperedHashesSaltsAndParametersFail() {
        PasswordHash hash = hasher.hash("correct horse battery".toCharArray());
        byte[] flipped = hash.hash();
        flipped[31] ^= 1;
        byte[] salt = hash.salt();
        salt[0] ^= (byte) 0x80;
        char[] password = "correct horse battery".toCharArray();
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), hash.version(), hash.parameters(), hash.salt(), flipped)));
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), hash.version(), hash.parameters(), salt, hash.hash())));
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), hash.version(),
                new PasswordHasher.Parameters(64, 2, 1), hash.salt(), hash.hash())), "other iterations");
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), hash.version(),
                new PasswordHasher.Parameters(72, 1, 1), hash.salt(), hash.hash())), "other memory");
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), 0x10, hash.parameters(), hash.salt(), hash.hash())),
                "Argon2 1.0 is not accepted");
        assertFalse(hasher.verify(password, new PasswordHash("argon2i", hash.version(), hash.parameters(), hash.salt(), hash.hash())));
        assertFalse(hasher.verify(password, new PasswordHash(hash.algorithm(), hash.version(), hash.parameters(), hash.salt(),
                Arrays.copyOf(hash.hash(), 8))), "a truncated hash");
        assertTrue(hasher.verify(password, hash), "the original still verifies");
    }

    @Test
    void storedParametersBeyondTheLimitsAreNotRun() {
        PasswordHash greedy = new PasswordHash(PasswordHash.ARGON2ID, 0x13, new PasswordHasher.Parameters(4 * 1024 * 1024, 1, 1),
                new byte[16], new byte[32]);
        long started = System.nanoTime();
        assertFalse(hasher.verify("correct horse battery".toCharArray(), greedy));
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "refused without hashing 4 GiB");
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher.Parameters(7, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher.Parameters(64, 0, 1));
    }

    @Test
    void theDefaultParametersAreOwaspsAndCostMilliseconds() {
        PasswordHasher real = new PasswordHasher(PasswordHasher.DEFAULT, new SecureRandom());
        assertEquals(new PasswordHasher.Parameters(19 * 1024, 2, 1), real.parameters());
        long started = System.nanoTime();
        PasswordHash hash = real.hash("correct horse battery".toCharArray());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(real.verify("correct horse battery".toCharArray(), hash));
        System.out.println("Argon2id " + PasswordHasher.DEFAULT + ": one hash took " + millis + " ms");
    }

    @Test
    void toStringShowsNoSecret() {
        PasswordHash hash = hasher.hash("correct horse battery".toCharArray());
        String text = hash.toString();
        assertFalse(text.contains(HexFormat.of().formatHex(hash.hash())));
        assertEquals("argon2id[v=19, m=64,t=1,p=1]", text);
    }

    @Test
    void anUnknownPrincipalCostsAVerification() {
        // verifyNothing runs a real Argon2id with the current parameters and fails.
        PasswordHasher slow = new PasswordHasher(new PasswordHasher.Parameters(8 * 1024, 2, 1), new SecureRandom());
        PasswordHash hash = slow.hash("correct horse battery".toCharArray());
        long known = median(() -> slow.verify("wrong password 123".toCharArray(), hash));
        long unknown = median(() -> slow.verifyNothing("wrong password 123".toCharArray()));
        assertTrue(unknown > known / 3 && unknown < known * 3, "known " + known + " ns, unknown " + unknown + " ns");
    }

    private static long median(Runnable work) {
        long[] times = new long[7];
        for (int i = 0; i < times.length; i++) {
            long started = System.nanoTime();
            work.run();
            times[i] = System.nanoTime() - started;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}
