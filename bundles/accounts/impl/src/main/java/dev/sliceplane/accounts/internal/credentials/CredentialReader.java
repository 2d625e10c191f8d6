package dev.sliceplane.accounts.internal.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.TokenClaims;

/**
 * Strict reading of the two credentials an authority signs, against a set of published keys:
 * access tokens ({@code typ} {@value #ACCESS_TOKEN_TYPE}, claims {@code iss, sub, roles, site,
 * iat, exp, jti}) and node credentials ({@code typ} {@value #NODE_CREDENTIAL_TYPE}, claims
 * {@code iss, sub, site, cnf, iat, exp, jti}). The same class serves the authority (over its key
 * ring) and a joined node (over the JWKS it cached), so both judge a token alike. A credential
 * presented again is answered from {@link VerifiedCredentials}, which checks its expiry and key
 * again. Thread-safe.
 */
public final class CredentialReader implements CredentialVerifier {

    /** The {@code typ} of access tokens, as RFC 7519 suggests for JWTs. */
    public static final String ACCESS_TOKEN_TYPE = "JWT";
    /** The {@code typ} of node credentials: explicitly typed (RFC 8725, 3.11) so none passes as the other. */
    public static final String NODE_CREDENTIAL_TYPE = "node-credential+jwt";

    private final VerificationKeys keys;
    private final String issuer;
    private final Duration skew;
    private final Clock clock;
    private final VerifiedCredentials<TokenClaims> verifiedTokens;
    private final VerifiedCredentials<NodeCredentialClaims> verifiedNodeCredentials;

    public CredentialReader(VerificationKeys keys, String issuer, Duration skew, Clock clock) {
        this(keys, issuer, skew, clock, VerifiedCredentials.DEFAULT_SIZE);
    }

    /** With room for {@code verifiedCacheSize} verified credentials of each kind; 0: verify every time in full. */
    public CredentialReader(VerificationKeys keys, String issuer, Duration skew, Clock clock, int verifiedCacheSize) {
        this.keys = keys;
        this.issuer = issuer;
        this.skew = skew;
        this.clock = clock;
        this.verifiedTokens = new VerifiedCredentials<>(clock, skew, verifiedCacheSize);
        this.verifiedNodeCredentials = new VerifiedCredentials<>(clock, skew, verifiedCacheSize);
    }

    public String issuer() {
        return issuer;
    }

    @Override
    public TokenClaims verify(String token) {
        TokenClaims known = token == null ? null : verifiedTokens.get(token, this::keyPublished);
        if (known != null) {
            return known;
        }
        TokenClaims verified = verifyInFull(token, clock.instant());
        verifiedTokens.put(token, Jws.peekKeyId(token), verified, verified.expiresAt());
        return verified;
    }

    private TokenClaims verifyInFull(String token, Instant now) {
        JsonNode claims = Jws.verify(token, ACCESS_TOKEN_TYPE, keys, now);
        Instant[] times = checkIssuerAndTimes(claims, now);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        JsonNode roleList = claims.path("roles");
        if (!roleList.isArray()) {
            throw new InvalidTokenException("roles must be an array");
        }
        for (JsonNode role : roleList) {
            try {
                roles.add(Role.of(role.asText()));
            } catch (RuntimeException e) {
                throw new InvalidTokenException("unknown role in token");
            }
        }
        return new TokenClaims(issuer, text(claims, "sub"), roles, text(claims, "site"), times[0], times[1],
                text(claims, "jti"));
    }

    @Override
    public NodeCredentialClaims verifyNodeCredential(String credential) {
        NodeCredentialClaims known = credential == null ? null
                : verifiedNodeCredentials.get(credential, this::keyPublished);
        if (known != null) {
            return known;
        }
        NodeCredentialClaims verified = verifyNodeCredentialInFull(credential, clock.instant());
        verifiedNodeCredentials.put(credential, Jws.peekKeyId(credential), verified, verified.expiresAt());
        return verified;
    }

    private boolean keyPublished(String kid, Instant now) {
        return keys.verificationKey(kid, now) != null;
    }

    private NodeCredentialClaims verifyNodeCredentialInFull(String credential, Instant now) {
        JsonNode claims = Jws.verify(credential, NODE_CREDENTIAL_TYPE, keys, now);
        Instant[] times = checkIssuerAndTimes(claims, now);
        JsonNode jwk = claims.path("cnf").path("jwk");
        String x = jwk.path("x").asText("");
        if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())
                || !x.matches("[A-Za-z0-9_-]{43}")) {
            throw new InvalidTokenException("cnf must hold the node's Ed25519 key as a JWK");
        }
        return new NodeCredentialClaims(issuer, text(claims, "sub"), text(claims, "site"), x, times[0], times[1],
                text(claims, "jti"));
    }

    /** Checks {@code iss} and {@code exp}; returns {@code iat} and {@code exp}. */
    private Instant[] checkIssuerAndTimes(JsonNode claims, Instant now) {
        if (!issuer.equals(claims.path("iss").asText(null))) {
            throw new InvalidTokenException("wrong issuer");
        }
        JsonNode exp = claims.path("exp");
        JsonNode iat = claims.path("iat");
        if (!exp.canConvertToLong() || !iat.canConvertToLong()) {
            throw new InvalidTokenException("exp and iat must be numbers");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
        if (!expiresAt.plus(skew).isAfter(now)) {
            throw new InvalidTokenException("expired");
        }
        return new Instant[] {Instant.ofEpochSecond(iat.asLong()), expiresAt};
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.path(name);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new InvalidTokenException(name + " is required");
        }
        return value.asText();
    }
}
