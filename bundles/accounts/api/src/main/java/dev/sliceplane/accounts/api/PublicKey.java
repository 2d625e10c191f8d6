package dev.sliceplane.accounts.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * A principal's SSH public key, as in an {@code authorized_keys} line. Slivers of the slices a
 * principal belongs to get these keys.
 *
 * @param owner the e-mail address of the principal the key belongs to, which must exist
 * @param type the key type, one of {@link #TYPES}, such as {@code ssh-ed25519}
 * @param key the base64 key blob (the second field of an OpenSSH public key line); the type
 *        written inside the blob must equal {@code type}
 * @param fingerprint {@code SHA256:} and the unpadded base64 SHA-256 of the blob, as
 *        {@code ssh-keygen -l} prints it; unique across the registry. Computed from the key:
 *        pass null, or the value it must equal.
 */
public record PublicKey(String owner, String type, String key, String fingerprint) {

    /** The key types accepted. */
    public static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    /** Large enough for a 16384-bit RSA key. */
    static final int MAX_KEY = 4096;

    public PublicKey {
        owner = Checks.email("owner", owner);
        Checks.required("type", type);
        if (!TYPES.contains(type)) {
            throw RegistryException.invalid("type", "must be one of " + new java.util.TreeSet<>(TYPES)
                    + ", got '" + Checks.shorten(type) + "'");
        }
        Checks.required("key", key);
        if (key.length() > MAX_KEY) {
            throw RegistryException.invalid("key", "must be at most " + MAX_KEY + " characters");
        }
        byte[] blob = decode(key);
        String inner = typeInside(blob);
        if (!type.equals(inner)) {
            throw RegistryException.invalid("key", "is a '" + Checks.shorten(inner) + "' key, not '" + type + "'");
        }
        String computed = fingerprintOf(blob);
        if (fingerprint != null && !fingerprint.equals(computed)) {
            throw RegistryException.invalid("fingerprint", "does not match the key (it is " + computed + ")");
        }
        fingerprint = computed;
    }

    /**
     * Reads an OpenSSH public key line, {@code type base64 [comment]}; the comment is dropped.
     *
     * @throws RegistryException {@link RegistryException.Reason#INVALID} naming the field at fault
     */
    public static PublicKey parse(String owner, String line) {
        Checks.required("key", line);
        String[] fields = line.strip().split("\\s+", 3);
        if (fields.length < 2) {
            throw RegistryException.invalid("key", "must be an OpenSSH public key line: 'type base64 [comment]'");
        }
        return new PublicKey(owner, fields[0], fields[1], null);
    }

    /** The key as an {@code authorized_keys} line without a comment. */
    public String openSshLine() {
        return type + " " + key;
    }

    private static byte[] decode(String key) {
        try {
            return Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("key", "is not valid base64");
        }
    }

    /** An SSH key blob starts with its type as a length-prefixed string (RFC 4253, 6.6). */
    private static String typeInside(byte[] blob) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (buffer.remaining() < 4) {
            throw RegistryException.invalid("key", "is too short to be an SSH public key");
        }
        int length = buffer.getInt();
        if (length <= 0 || length > 64 || length > buffer.remaining() - 1) {
            throw RegistryException.invalid("key", "is not an SSH public key blob");
        }
        byte[] name = new byte[length];
        buffer.get(name);
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static String fingerprintOf(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
