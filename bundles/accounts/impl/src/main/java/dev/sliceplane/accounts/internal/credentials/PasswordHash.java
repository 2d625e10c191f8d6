package dev.sliceplane.accounts.internal.credentials;

import java.util.Objects;

/**
 * A stored password hash with everything needed to verify it again: the algorithm and its
 * parameters travel with the hash, so raising the parameters later leaves old hashes verifiable.
 * Arrays are copied in and out; {@link #toString()} shows only the parameters.
 */
public final class PasswordHash {

    /** The one algorithm used: Argon2id (RFC 9106). */
    public static final String ARGON2ID = "argon2id";

    private final String algorithm;
    private final int version;
    private final PasswordHasher.Parameters parameters;
    private final byte[] salt;
    private final byte[] hash;

    public PasswordHash(String algorithm, int version, PasswordHasher.Parameters parameters, byte[] salt, byte[] hash) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.version = version;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.salt = Objects.requireNonNull(salt, "salt").clone();
        this.hash = Objects.requireNonNull(hash, "hash").clone();
    }

    public String algorithm() {
        return algorithm;
    }

    /** The Argon2 version number (0x13 = 19 for Argon2 1.3). */
    public int version() {
        return version;
    }

    public PasswordHasher.Parameters parameters() {
        return parameters;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public String toString() {
        return algorithm + "[v=" + version + ", " + parameters + "]";
    }
}
