package dev.sliceplane.accounts.internal.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;

/**
 * One of the authority's Ed25519 keys with what the {@link KeyRing} keeps beside it: its
 * {@code kid}, the RFC 7638 JWK thumbprint of the public key (so anyone holding the JWKS can
 * recompute it), when it was made and when it retires. {@code retires} is null for the current
 * key; a retired key signs nothing and stays published until then, so what it signed verifies
 * until it expires. {@code signedUntil} is the latest expiry of a long-lived credential it signed
 * (node credentials, agent certificates), so a retiring key stays published that long too; null
 * when it signed none. The key itself is the shared JOSE module's; this class only adds the ring's
 * bookkeeping and keeps the seed, which the key file stores. Immutable.
 */
public final class SigningKey {

    private static final int SEED_LENGTH = 32;

    private final String kid;
    private final Instant created;
    private final Instant retires;
    private final Instant signedUntil;
    private final byte[] seed;
    private final Ed25519PrivateKey privateKey;

    SigningKey(byte[] seed, Instant created, Instant retires) {
        this(seed, created, retires, null);
    }

    SigningKey(byte[] seed, Instant created, Instant retires, Instant signedUntil) {
        this.signedUntil = signedUntil;
        this.seed = Objects.requireNonNull(seed, "seed").clone();
        this.privateKey = Ed25519PrivateKey.ofSeed(this.seed);
        this.created = Objects.requireNonNull(created, "created");
        this.retires = retires;
        this.kid = thumbprint(privateKey.publicKey().bytes());
    }

    /** A new key: an Ed25519 private key is 32 random bytes (RFC 8032, 5.1.5). */
    static SigningKey generate(SecureRandom random, Instant now) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return new SigningKey(seed, now, null);
    }

    SigningKey retiring(Instant at) {
        return new SigningKey(seed, created, at, signedUntil);
    }

    /** This key, having signed something valid until {@code until}. */
    SigningKey signedUntil(Instant until) {
        return new SigningKey(seed, created, retires, until);
    }

    /** The latest expiry of a long-lived credential this key signed, or null. */
    public Instant signedUntil() {
        return signedUntil;
    }

    public String kid() {
        return kid;
    }

    public Instant created() {
        return created;
    }

    /** When this key stops being published; null while it is the current key. */
    public Instant retires() {
        return retires;
    }

    /** The public key, base64url without padding: the JWK's {@code x}. */
    public String x() {
        return publicKey().base64Url();
    }

    /** Signs JWS ({@link Jws#sign}) with the key id {@link #kid()}. */
    Ed25519PrivateKey privateKey() {
        return privateKey;
    }

    public Ed25519PublicKey publicKey() {
        return privateKey.publicKey();
    }

    /** The 32-byte seed, for the key file. */
    byte[] seed() {
        return seed.clone();
    }

    /** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
    public static String thumbprint(byte[] publicKey) {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + Jws.B64.encodeToString(publicKey) + "\"}";
        try {
            return Jws.B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", created=" + created + ", retires=" + retires + ", signedUntil=" + signedUntil + "]";
    }
}
