package dev.sliceplane.accounts.internal.credentials;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.TokenClaims;

/**
 * The authority's credentials as compact JWS ({@link Jws}) signed by the current key of its
 * {@link KeyRing}: access tokens for principals, with header {@code {"alg":"EdDSA","kid":...,
 * "typ":"JWT"}} and claims {@code iss, sub, roles, site, iat, exp, jti} (RFC 7519, times in epoch
 * seconds); and node credentials, typed {@code node-credential+jwt}, with claims {@code iss, sub}
 * (host name), {@code site}, {@code cnf} (the node's key as a JWK, RFC 7800), {@code iat, exp,
 * jti}. A JOSE library was not used because jose4j signs with the JDK's EdDSA (about 3,200
 * verifications a second here) and Nimbus needs Google Tink for Ed25519; the tests read our tokens
 * with jose4j. Verification is {@link CredentialReader}'s over the same keys. Thread-safe.
 */
public final class TokenCodec implements CredentialVerifier {

    private final KeyRing keys;
    private final CredentialReader reader;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    public TokenCodec(KeyRing keys, String issuer, Duration lifetime, Duration skew, Clock clock, SecureRandom random,
            int verifiedCacheSize) {
        this.keys = keys;
        this.reader = new CredentialReader(keys, issuer, skew, clock, verifiedCacheSize);
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
        this.random = random;
    }

    public String issuer() {
        return issuer;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Signs an access token for {@code principal} with the current key. */
    public IssuedToken issue(Principal principal) {
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = issuedAt.plus(lifetime);
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", principal.email());
        ArrayNode roles = claims.putArray("roles");
        principal.roles().forEach(r -> roles.add(r.id()));
        claims.put("site", principal.site());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", randomId());
        return new IssuedToken(sign(keys.current(), claims), expiresAt);
    }

    /** Signs a node credential for a registered {@code node}, valid for {@code validFor}. */
    public IssuedToken issueNodeCredential(Node node, Duration validFor) {
        if (!node.registered()) {
            throw new IllegalArgumentException("node " + node.hostname() + " has no identity key");
        }
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = issuedAt.plus(validFor);
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", node.hostname());
        claims.put("site", node.site());
        ObjectNode jwk = claims.putObject("cnf").putObject("jwk");
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", node.identityKey());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", randomId());
        return new IssuedToken(Jws.sign(keys.current(), CredentialReader.NODE_CREDENTIAL_TYPE, claims), expiresAt);
    }

    @Override
    public TokenClaims verify(String token) {
        return reader.verify(token);
    }

    @Override
    public NodeCredentialClaims verifyNodeCredential(String credential) {
        return reader.verifyNodeCredential(credential);
    }

    /** Signs access-token {@code claims} with {@code key}; visible for tests that forge tokens. */
    static String sign(SigningKey key, ObjectNode claims) {
        return Jws.sign(key, CredentialReader.ACCESS_TOKEN_TYPE, claims);
    }

    private String randomId() {
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        return SigningKey.B64.encodeToString(jti);
    }
}
