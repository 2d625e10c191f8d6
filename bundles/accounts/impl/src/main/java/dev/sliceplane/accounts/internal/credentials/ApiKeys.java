package dev.sliceplane.accounts.internal.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import dev.sliceplane.accounts.api.ApiKeyInfo;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.accounts.internal.store.ApiKeyStore;
import dev.sliceplane.jose.Jws;

/**
 * API keys: {@code sp_<id>.<secret>}, where {@code id} (12 random bytes) finds the row and
 * {@code secret} (32 random bytes) proves possession. Only {@code SHA-256(salt || secret)} is
 * stored. A fast hash is enough here because the secret is 256 random bits, not a password a
 * person chose: a slow KDF protects low-entropy secrets against guessing, and nothing guesses
 * 2^256. It also keeps an exchange at a few microseconds of hashing. Hashes are compared in
 * constant time. Registered by the registry component while the database is open.
 */
public final class ApiKeys {

    static final String PREFIX = "sp_";
    private static final Pattern SHAPE = Pattern.compile("sp_[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}");

    private final RegistryDatabase database;
    private final Clock clock;
    private final SecureRandom random;

    public ApiKeys(RegistryDatabase database, Clock clock, SecureRandom random) {
        this.database = database;
        this.clock = clock;
        this.random = random;
    }

    public NewApiKey create(String principal) {
        String id = randomText(12);
        String secret = randomText(32);
        String salt = randomText(16);
        ApiKeyInfo info = new ApiKeyInfo(id, principal, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        database.inTransaction(c -> {
            ApiKeyStore.insert(c, info, salt, hash(salt, secret));
            return null;
        });
        return new NewApiKey(info, PREFIX + id + "." + secret);
    }

    public List<ApiKeyInfo> list(String principal) {
        return database.inTransaction(c -> ApiKeyStore.list(c, principal));
    }

    public void delete(String id) {
        database.inTransaction(c -> {
            ApiKeyStore.delete(c, id);
            return null;
        });
    }

    /** The principal that owns {@code apiKey}. */
    public String authenticate(String apiKey) {
        if (apiKey == null || !SHAPE.matcher(apiKey).matches()) {
            throw new InvalidTokenException("not an API key");
        }
        int dot = apiKey.indexOf('.');
        String id = apiKey.substring(PREFIX.length(), dot);
        String secret = apiKey.substring(dot + 1);
        ApiKeyStore.Stored stored = database.inTransaction(c -> ApiKeyStore.get(c, id));
        if (stored == null || !MessageDigest.isEqual(stored.hash().getBytes(StandardCharsets.US_ASCII),
                hash(stored.salt(), secret).getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidTokenException("unknown API key");
        }
        return stored.info().principal();
    }

    static String hash(String salt, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.US_ASCII));
            return Jws.B64.encodeToString(sha.digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Jws.B64.encodeToString(b);
    }
}
