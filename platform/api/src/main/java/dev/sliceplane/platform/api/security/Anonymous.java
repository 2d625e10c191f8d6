package dev.sliceplane.platform.api.security;

/**
 * Marks routes open to callers without a credential, such as the token exchange or the
 * authority's public keys. A servlet service with {@link #PROPERTY} set to the HTTP methods it
 * opens (for example {@code POST}) lets the authentication filter pass anonymous callers on those
 * methods; every other route answers them 401. Operators open further read-only routes by
 * configuration.
 */
public final class Anonymous {

    /** Servlet service property: the HTTP methods anonymous callers may use, a String or String[]. */
    public static final String PROPERTY = "sliceplane.http.anonymous";

    private Anonymous() {
    }
}
