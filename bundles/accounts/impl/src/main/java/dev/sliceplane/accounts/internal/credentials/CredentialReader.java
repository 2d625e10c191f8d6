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
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;

/**
 * Strict reading of the two credentials an authority signs, against a set of published keys:
 * access tokens ({@code typ} {@value #ACCESS_TOKEN_TYPE}, claims {@code iss, sub, roles, site,
 * iat, exp, jti}) and node credentials ({@code typ} {@value #NODE_CREDENTIAL_TYPE}, claims
 * {@code iss, sub, site, cnf, iat, exp, jti}). The same class serves the authority (over its key
 * ring) and a joined node (over the JWKS it cached), so both judge a token alike. Thread-safe.
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

    public CredentialReader(VerificationKeys keys, String issuer, Duration skew, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.skew = skew;
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    @Override
    public TokenClaims verify(String token) {
        Instant now = clock.instant();
        JsonNode claims = verifiedClaims(token, ACCESS_TOKEN_TYPE, now);
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
        Instant now = clock.instant();
        JsonNode claims = verifiedClaims(credential, NODE_CREDENTIAL_TYPE, now);
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

    /** The shared JWS check (form, typ, key, signature), its failures as this API's exception. */
    private JsonNode verifiedClaims(String token, String typ, Instant now) {
        try {
            return Jws.verify(token, typ, kid -> keys.verificationKey(kid, now)).claims();
        } catch (JwsException e) {
            throw new InvalidTokenException(e.getMessage());
        }
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
