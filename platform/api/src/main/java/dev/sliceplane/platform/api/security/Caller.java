package dev.sliceplane.platform.api.security;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The authenticated party behind a request, or {@link #ANONYMOUS}.
 *
 * @param kind      whether a person (or program) of the registry, a node, or no one
 * @param id        the principal's e-mail address or the node's host name; {@code ""} when anonymous
 * @param site      the login base of the caller's site; {@code ""} when anonymous
 * @param roles     role names as in {@link Roles}
 * @param tokenId   the credential's unique id ({@code jti}), for the audit log; {@code ""} when anonymous
 * @param expiresAt when the credential stops being valid; {@code null} when anonymous
 */
public record Caller(Kind kind, String id, String site, Set<String> roles, String tokenId, Instant expiresAt) {

    /** Request attribute under which the authentication filter leaves the caller. */
    public static final String REQUEST_ATTRIBUTE = "dev.sliceplane.caller";

    /** Whoever sent no credential. */
    public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, "", "", Set.of(), "", null);

    /** What kind of party a caller is. */
    public enum Kind {
        ANONYMOUS, PRINCIPAL, NODE
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        Objects.requireNonNull(tokenId, "tokenId");
        if (kind != Kind.ANONYMOUS && (id.isEmpty() || expiresAt == null)) {
            throw new IllegalArgumentException("an authenticated caller has an id and an expiry");
        }
    }

    /** A principal of the registry, as its access token names it. */
    public static Caller principal(String email, String site, Set<String> roles, String tokenId, Instant expiresAt) {
        return new Caller(Kind.PRINCIPAL, email, site, roles, tokenId, expiresAt);
    }

    /** A node, as its node credential names it; it has the {@link Roles#NODE} role. */
    public static Caller node(String hostname, String site, String tokenId, Instant expiresAt) {
        return new Caller(Kind.NODE, hostname, site, Set.of(Roles.NODE), tokenId, expiresAt);
    }

    /** The caller the filter left on {@code request}; {@link #ANONYMOUS} when there is none. */
    public static Caller of(HttpServletRequest request) {
        return request.getAttribute(REQUEST_ATTRIBUTE) instanceof Caller caller ? caller : ANONYMOUS;
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the caller has at least one of {@code anyOf}. */
    public boolean hasAnyRole(String... anyOf) {
        return Arrays.stream(anyOf).anyMatch(roles::contains);
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }

    /** How the caller appears in logs and the audit log: {@code anonymous} or the id. */
    public String name() {
        return isAnonymous() ? "anonymous" : id;
    }
}
