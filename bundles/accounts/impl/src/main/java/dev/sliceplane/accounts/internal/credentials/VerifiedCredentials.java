package dev.sliceplane.accounts.internal.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiPredicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Credentials verified recently, by their exact text. A client sends the same bearer token with
 * every request for its whole life (15 minutes by default), and checking an Ed25519 signature
 * costs about 50 µs here, so a repeat is answered from this cache: the same string was verified
 * in full before, so its signature and claims are what they were. What can change is checked again
 * on every hit: the expiry (with the allowed skew) and whether the signing key is still published.
 * It holds a bounded number of entries ({@value #DEFAULT_SIZE} by default, about 5 MB), each
 * dropped when it expires; time is the
 * verifier's clock, and maintenance runs on the calling thread, so the cache starts no threads.
 * Thread-safe.
 *
 * @param <T> the verified claims
 */
final class VerifiedCredentials<T> {

    static final int DEFAULT_SIZE = 10_000;

    private record Entry<T>(T claims, String kid, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration skew;
    /** Null when the cache is off. */
    private final Cache<String, Entry<T>> entries;

    VerifiedCredentials(Clock clock, Duration skew, int maximumSize) {
        this.clock = clock;
        this.skew = skew;
        this.entries = maximumSize == 0 ? null : Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new UntilExpiry())
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .build();
    }

    /**
     * The claims {@code token} was verified to carry, if it was verified before, has not expired,
     * and {@code keyPublished} still holds for its key id and now; otherwise null.
     */
    T get(String token, BiPredicate<String, Instant> keyPublished) {
        Entry<T> entry = entries == null ? null : entries.getIfPresent(token);
        Instant now = clock.instant();
        if (entry == null || !validAt(entry, now) || !keyPublished.test(entry.kid(), now)) {
            return null;
        }
        return entry.claims();
    }

    /** Remembers that {@code token}, signed with key {@code kid}, verified to {@code claims} valid until {@code expiresAt}. */
    void put(String token, String kid, T claims, Instant expiresAt) {
        if (entries != null) {
            entries.put(token, new Entry<>(claims, kid, expiresAt));
        }
    }

    long size() {
        if (entries == null) {
            return 0;
        }
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private boolean validAt(Entry<T> entry, Instant now) {
        return entry.expiresAt().plus(skew).isAfter(now);
    }

    /** Drops an entry once it is no longer valid, which bounds memory; {@link #get} checks validity itself. */
    private final class UntilExpiry implements Expiry<String, Entry<T>> {

        @Override
        public long expireAfterCreate(String token, Entry<T> entry, long currentTime) {
            long millis = entry.expiresAt().plus(skew).toEpochMilli() - clock.millis();
            return Math.max(0, Math.min(millis, Duration.ofDays(400).toMillis())) * 1_000_000L;
        }

        @Override
        public long expireAfterUpdate(String token, Entry<T> entry, long currentTime, long currentDuration) {
            return expireAfterCreate(token, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Entry<T> entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
