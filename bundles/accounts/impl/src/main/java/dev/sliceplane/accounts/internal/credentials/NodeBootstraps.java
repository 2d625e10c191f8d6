package dev.sliceplane.accounts.internal.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Pattern;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.accounts.internal.store.BootstrapTokenStore;
import dev.sliceplane.accounts.internal.store.NodeStore;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;

/**
 * One-time bootstrap tokens, {@code spb_<32 random bytes>}, with which a registered node proves
 * itself once to record its identity key. Only {@code SHA-256(token)} is stored (a 256-bit
 * random secret needs no slow KDF). Redeeming deletes the token and records the key in one
 * transaction: if the key cannot be recorded (another node has it) the token survives; if two
 * redeem at once, one wins. Registered by the registry component while the database is open.
 */
public final class NodeBootstraps {

    static final String PREFIX = "spb_";
    private static final Pattern SHAPE = Pattern.compile("spb_[A-Za-z0-9_-]{43}");
    private static final Pattern PUBLIC_KEY = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final RegistryDatabase database;
    private final Clock clock;
    private final SecureRandom random;

    public NodeBootstraps(RegistryDatabase database, Clock clock, SecureRandom random) {
        this.database = database;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A new bootstrap token for a node already in the registry; earlier tokens stay valid until
     * used or expired.
     *
     * @throws RegistryException NOT_FOUND for an unknown node
     */
    public IssuedToken issue(String hostname, String issuedBy, Duration lifetime) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Jws.B64.encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(lifetime);
        database.inTransaction(c -> {
            NodeStore.get(c, hostname);
            BootstrapTokenStore.deleteExpired(c, now);
            BootstrapTokenStore.insert(c, hash(token), hostname, now, expires, issuedBy);
            return null;
        });
        return new IssuedToken(token, expires);
    }

    /**
     * Consumes {@code token} and records {@code publicKey} as the node's identity key; a node in
     * the install state moves to boot. Returns the node as stored.
     *
     * @throws InvalidTokenException when the token is malformed, unknown, used, expired, or another node's
     * @throws RegistryException     INVALID (publicKey) for a key that is no Ed25519 public key;
     *                               ALREADY_EXISTS (identityKey) when another node has the key
     */
    public Node redeem(String hostname, String token, String publicKey) {
        checkPublicKey(publicKey);
        if (token == null || !SHAPE.matcher(token).matches()) {
            throw new InvalidTokenException("not a bootstrap token");
        }
        String node = hostname.toLowerCase(java.util.Locale.ROOT);
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            if (!BootstrapTokenStore.consume(c, hash(token), node, now)) {
                throw new InvalidTokenException("the bootstrap token is unknown, used, expired or another node's");
            }
            Node current = NodeStore.get(c, node);
            BootState state = current.bootState() == BootState.INSTALL ? BootState.BOOT : current.bootState();
            NodeStore.update(c, new Node(current.hostname(), current.site(), publicKey, state));
            return NodeStore.get(c, node);
        });
    }

    /** Unused, unexpired tokens of a node. */
    public int liveTokens(String hostname) {
        Instant now = clock.instant();
        return database.inTransaction(c -> BootstrapTokenStore.countLive(c, hostname, now));
    }

    /** An Ed25519 public key: unpadded base64url of 32 bytes that decode to a curve point. */
    static void checkPublicKey(String publicKey) {
        String problem = "must be an Ed25519 public key as unpadded base64url of its 32 bytes";
        if (publicKey == null || !PUBLIC_KEY.matcher(publicKey).matches()) {
            throw RegistryException.invalid("publicKey", problem);
        }
        byte[] bytes = Base64.getUrlDecoder().decode(publicKey);
        if (bytes.length != 32) {
            throw RegistryException.invalid("publicKey", problem);
        }
        try {
            Ed25519PublicKey.of(bytes);
        } catch (JwsException e) {
            throw RegistryException.invalid("publicKey", problem + " (not a point on the curve)");
        }
    }

    static String hash(String token) {
        try {
            return Jws.B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
