package dev.sliceplane.accounts.api;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A machine of a site that runs the node software.
 *
 * @param hostname the node's fully qualified host name, kept in lower case; unique and immutable
 * @param site the login base of the site the node belongs to, which must exist
 * @param identityKey the node's Ed25519 public key as unpadded base64url of its 32 bytes (the
 *        JWK {@code x} value, RFC 8037), or empty until the node has registered
 * @param bootState what the node should do when it boots
 */
public record Node(String hostname, String site, String identityKey, BootState bootState) {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{43}");

    public Node {
        hostname = Checks.hostname("hostname", hostname);
        Checks.loginBase("site", site);
        identityKey = identityKey == null ? "" : identityKey.strip();
        if (!identityKey.isEmpty() && !(BASE64URL.matcher(identityKey).matches()
                && Base64.getUrlDecoder().decode(identityKey).length == 32)) {
            throw RegistryException.invalid("identityKey",
                    "must be an Ed25519 public key as unpadded base64url of 32 bytes (43 characters)");
        }
        Checks.notNull("bootState", bootState);
    }

    /** Whether the node has registered its identity key. */
    public boolean registered() {
        return !identityKey.isEmpty();
    }

    /** This node with another boot state. */
    public Node withBootState(BootState state) {
        return new Node(hostname, site, identityKey, state);
    }
}
