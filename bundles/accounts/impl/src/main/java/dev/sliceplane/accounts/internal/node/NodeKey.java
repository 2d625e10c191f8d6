package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import dev.sliceplane.accounts.internal.credentials.PrivateFiles;

/**
 * The node's own Ed25519 key pair, its identity at the authority: made on first start and kept in
 * {@code node.key} (0600), the 32-byte seed as base64url. Only the public half ever leaves the node.
 */
final class NodeKey {

    static final String FILE = "node.key";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Ed25519PrivateKeyParameters privateKey;

    private NodeKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    /** Loads the key in {@code directory}, or makes and stores one. */
    static NodeKey loadOrCreate(Path directory, SecureRandom random) throws IOException {
        Path file = directory.resolve(FILE);
        byte[] stored = NodeAgent.readIfExists(file);
        if (stored != null) {
            try {
                byte[] seed = Base64.getUrlDecoder().decode(new String(stored, StandardCharsets.US_ASCII).strip());
                return new NodeKey(new Ed25519PrivateKeyParameters(seed, 0));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IOException("the node key " + file + " is damaged; move it away to make a new one"
                        + " (the node must then register again with a bootstrap token)");
            }
        }
        NodeKey key = new NodeKey(new Ed25519PrivateKeyParameters(random));
        PrivateFiles.write(file, (B64.encodeToString(key.privateKey.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII));
        return key;
    }

    /** The public key as the authority records it: unpadded base64url of its 32 bytes. */
    String publicKey() {
        return B64.encodeToString(privateKey.generatePublicKey().getEncoded());
    }
}
