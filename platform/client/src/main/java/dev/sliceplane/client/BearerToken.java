package dev.sliceplane.client;

import java.util.Objects;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the bearer token for each request comes from. The token is asked for before every
 * request, so a source that refreshes tokens before they expire needs nothing more; one that can
 * also react to a refusal implements {@link #refresh}.
 */
@ConsumerType
public interface BearerToken {

    /** The token to send now; null to send none. */
    String current();

    /**
     * Called once when a server answered 401 to {@code rejected} (a 401 means nothing was done, so
     * the request is retried). Thread-safe: concurrent calls to several nodes may all be refused.
     *
     * @return a fresh token to retry with, or null to report the 401
     */
    default String refresh(String rejected) {
        return null;
    }

    /** A token asked from {@code supplier} before every request (it may refresh on its own). */
    static BearerToken of(Supplier<String> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return supplier::get;
    }

    /** The same token for every request. */
    static BearerToken fixed(String token) {
        Objects.requireNonNull(token, "token");
        return () -> token;
    }
}
