package dev.sliceplane.jose;

/** Makes Ed25519 signatures: an {@link Ed25519PrivateKey}, or a key held elsewhere (a node's). */
@FunctionalInterface
public interface JwsSigner {

    /** The 64-byte Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message);
}
