package dev.sliceplane.accounts.internal.credentials;

import java.security.MessageDigest;
import java.security.SecureRandom;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes passwords with Argon2id (BouncyCastle) and a random 16-byte salt, and verifies them in
 * constant time against a {@link PasswordHash} using the parameters stored with it, not the
 * current ones. Stored parameters beyond {@link #LIMITS} are refused rather than run, so a
 * tampered row cannot make one login take the node's memory. Thread-safe.
 */
public final class PasswordHasher {

    /**
     * Argon2id cost: memory in KiB, passes, lanes.
     *
     * @param memoryKib   memory per hash, in KiB
     * @param iterations  passes over the memory
     * @param parallelism lanes (computed one after the other here)
     */
    public record Parameters(int memoryKib, int iterations, int parallelism) {

        public Parameters {
            if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
                throw new IllegalArgumentException("Argon2 needs p >= 1, t >= 1, m >= 8p KiB; got " + this);
            }
        }

        boolean within(Parameters limits) {
            return memoryKib <= limits.memoryKib && iterations <= limits.iterations && parallelism <= limits.parallelism;
        }

        @Override
        public String toString() {
            return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
        }
    }

    /** OWASP's first Argon2id choice (2023): 19 MiB, 2 passes, 1 lane; tens of ms per hash here. */
    public static final Parameters DEFAULT = new Parameters(19 * 1024, 2, 1);
    /** The most a stored hash may ask for: 1 GiB, 32 passes, 16 lanes. */
    public static final Parameters LIMITS = new Parameters(1024 * 1024, 32, 16);

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    private final Parameters parameters;
    private final SecureRandom random;
    /**
     * Checked against for unknown principals, so that they cost what a known one does. Random
     * bytes, not a real hash: verifying against it does the same work, and making it costs
     * nothing at start (a real hash took a large part of a second of the node's boot under C1).
     */
    private final PasswordHash dummy;

    public PasswordHasher(Parameters parameters, SecureRandom random) {
        this.parameters = parameters;
        this.random = random;
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        this.dummy = new PasswordHash(PasswordHash.ARGON2ID, Argon2Parameters.ARGON2_VERSION_13, parameters, salt, hash);
    }

    public Parameters parameters() {
        return parameters;
    }

    /** A new hash of {@code password} with a fresh salt and the current parameters. */
    public PasswordHash hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(PasswordHash.ARGON2ID, Argon2Parameters.ARGON2_VERSION_13, parameters, salt,
                argon2(password, Argon2Parameters.ARGON2_VERSION_13, parameters, salt, HASH_BYTES));
    }

    /** Whether {@code password} is the one {@code stored} was made from, compared in constant time. */
    public boolean verify(char[] password, PasswordHash stored) {
        if (!PasswordHash.ARGON2ID.equals(stored.algorithm())
                || stored.version() != Argon2Parameters.ARGON2_VERSION_13
                || !stored.parameters().within(LIMITS)) {
            return false;
        }
        byte[] expected = stored.hash();
        if (expected.length < 16 || expected.length > 64) {
            return false;
        }
        byte[] actual = argon2(password, stored.version(), stored.parameters(), stored.salt(), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Does the work of a {@link #verify} that fails, for a principal that has no password. */
    public void verifyNothing(char[] password) {
        verify(password, dummy);
    }

    /** Whether {@code stored} was made with the current parameters (else it is re-hashed at the next login). */
    public boolean isCurrent(PasswordHash stored) {
        return PasswordHash.ARGON2ID.equals(stored.algorithm()) && stored.version() == Argon2Parameters.ARGON2_VERSION_13
                && stored.parameters().equals(parameters);
    }

    private static byte[] argon2(char[] password, int version, Parameters p, byte[] salt, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(version)
                .withMemoryAsKB(p.memoryKib())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
