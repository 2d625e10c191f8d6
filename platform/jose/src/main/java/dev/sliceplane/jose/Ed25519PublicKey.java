package dev.sliceplane.jose;

import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, decoded once: keep and reuse instances, as verification with a decoded
 * key skips a point decompression. Immutable and thread-safe.
 */
public final class Ed25519PublicKey {

    private static final int SIGNATURE_LENGTH = 64;

    private final Ed25519PublicKeyParameters key;

    private Ed25519PublicKey(Ed25519PublicKeyParameters key) {
        this.key = key;
    }

    /**
     * @throws JwsException when {@code raw} is not 32 bytes or not a point of the curve
     */
    public static Ed25519PublicKey of(byte[] raw) {
        if (raw == null || raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new JwsException("an Ed25519 public key is 32 bytes");
        }
        try {
            return new Ed25519PublicKey(new Ed25519PublicKeyParameters(raw, 0));
        } catch (IllegalArgumentException e) {
            throw new JwsException("not an Ed25519 public key");
        }
    }

    /** From the unpadded base64url form of JWKs ({@code x}) and the registry. */
    public static Ed25519PublicKey ofBase64Url(String x) {
        try {
            return of(Base64.getUrlDecoder().decode(x));
        } catch (IllegalArgumentException e) {
            throw new JwsException("an Ed25519 public key must be base64url");
        }
    }

    public boolean verify(byte[] message, byte[] signature) {
        return signature.length == SIGNATURE_LENGTH
                && key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    public byte[] bytes() {
        return key.getEncoded();
    }

    /** Unpadded base64url, as a JWK's {@code x}. */
    public String base64Url() {
        return Jws.B64.encodeToString(bytes());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ed25519PublicKey that && Arrays.equals(bytes(), that.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + base64Url() + "]";
    }
}
