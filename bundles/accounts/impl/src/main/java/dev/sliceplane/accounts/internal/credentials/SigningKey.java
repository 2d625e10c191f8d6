package dev.sliceplane.accounts.internal.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * One of the authority's Ed25519 keys. Its {@code kid} is the RFC 7638 JWK thumbprint of the
 * public key, so anyone holding the JWKS can recompute it. {@code retires} is null for the
 * current key; a retired key signs nothing and stays published until then, so the tokens it
 * signed verify until they expire. Immutable.
 */
public final class SigningKey {

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final String kid;
    private final Instant created;
    private final Instant retires;
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] publicBytes;

    SigningKey(Ed25519PrivateKeyParameters privateKey, Instant created, Instant retires) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = privateKey.generatePublicKey();
        this.publicBytes = publicKey.getEncoded();
        this.created = Objects.requireNonNull(created, "created");
        this.retires = retires;
        this.kid = thumbprint(publicBytes);
    }

    static SigningKey generate(SecureRandom random, Instant now) {
        return new SigningKey(new Ed25519PrivateKeyParameters(random), now, null);
    }

    SigningKey retiring(Instant at) {
        return new SigningKey(privateKey, created, at);
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
        return B64.encodeToString(publicBytes);
    }

    Ed25519PrivateKeyParameters privateKey() {
        return privateKey;
    }

    Ed25519PublicKeyParameters publicKey() {
        return publicKey;
    }

    /** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
    public static String thumbprint(byte[] publicKey) {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + B64.encodeToString(publicKey) + "\"}";
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", created=" + created + ", retires=" + retires + "]";
    }
}
