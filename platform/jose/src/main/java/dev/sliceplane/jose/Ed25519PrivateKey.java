package dev.sliceplane.jose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair that signs. {@link #loadOrCreate} keeps it in a file readable by its owner
 * only: the 32-byte seed as unpadded base64url on one line. Thread-safe.
 */
public final class Ed25519PrivateKey implements JwsSigner {

    private final Ed25519PrivateKeyParameters key;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.publicKey = Ed25519PublicKey.of(key.generatePublicKey().getEncoded());
    }

    public static Ed25519PrivateKey generate(SecureRandom random) {
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(random));
    }

    /** From a 32-byte seed. */
    public static Ed25519PrivateKey ofSeed(byte[] seed) {
        if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * Loads the key kept in {@code file}, or makes one and writes it there (mode 0600 where the
     * file system has POSIX permissions; written to a temporary file and moved, so a crash never
     * leaves half a key).
     *
     * @throws IOException when the file cannot be read or written, or holds no key
     */
    public static Ed25519PrivateKey loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return ofSeed(Base64.getUrlDecoder().decode(stored));
            } catch (IllegalArgumentException e) {
                throw new IOException("the key file " + file + " holds no Ed25519 key; move it away to make a new one");
            }
        }
        Ed25519PrivateKey made = generate(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        byte[] content = (Jws.B64.encodeToString(made.key.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        Files.write(temporary, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return made;
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        key.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }
}
