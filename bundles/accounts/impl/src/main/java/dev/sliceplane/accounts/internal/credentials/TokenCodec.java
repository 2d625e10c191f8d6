package dev.sliceplane.accounts.internal.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.TokenClaims;
import dev.sliceplane.accounts.api.TokenVerifier;

/**
 * Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), written directly on BouncyCastle's
 * low-level Ed25519: the header is {@code {"alg":"EdDSA","kid":...,"typ":"JWT"}}, the payload the
 * JWT claims {@code iss, sub, roles, site, iat, exp, jti} (RFC 7519, times in epoch seconds).
 * A JOSE library was not used because jose4j signs with the JDK's EdDSA (about 3,200 verifications
 * a second here) and Nimbus needs Google Tink for Ed25519; the tests read our tokens with jose4j.
 * Verification accepts only {@code alg} EdDSA, a published {@code kid}, our issuer, and a token
 * not expired (with {@code skew} of clock leeway). Thread-safe.
 */
public final class TokenCodec implements TokenVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads a token's header and claims; resolved once, where ObjectMapper.readTree looks it up per call. */
    private static final ObjectReader TREE = JSON.readerFor(JsonNode.class);
    private static final int SIGNATURE_LENGTH = 64;

    private final KeyRing keys;
    private final String issuer;
    private final Duration lifetime;
    private final Duration skew;
    private final Clock clock;
    private final SecureRandom random;

    public TokenCodec(KeyRing keys, String issuer, Duration lifetime, Duration skew, Clock clock, SecureRandom random) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.skew = skew;
        this.clock = clock;
        this.random = random;
    }

    public String issuer() {
        return issuer;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Signs a token for {@code principal} with the current key. */
    public IssuedToken issue(Principal principal) {
        Instant now = clock.instant();
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        Instant expiresAt = issuedAt.plus(lifetime);
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", issuer);
        claims.put("sub", principal.email());
        ArrayNode roles = claims.putArray("roles");
        principal.roles().forEach(r -> roles.add(r.id()));
        claims.put("site", principal.site());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", SigningKey.B64.encodeToString(jti));
        return new IssuedToken(sign(keys.current(), claims), expiresAt);
    }

    /** Signs {@code claims} with {@code key}; visible for tests that forge tokens. */
    static String sign(SigningKey key, ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "EdDSA");
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        try {
            String input = SigningKey.B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + SigningKey.B64.encodeToString(JSON.writeValueAsBytes(claims));
            byte[] message = input.getBytes(StandardCharsets.US_ASCII);
            byte[] signature = new byte[SIGNATURE_LENGTH];
            key.privateKey().sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
            return input + "." + SigningKey.B64.encodeToString(signature);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write token JSON", e);
        }
    }

    @Override
    public TokenClaims verify(String token) {
        if (token == null || token.length() > 8192) {
            throw new InvalidTokenException("no token, or one too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidTokenException("not a compact JWS (three base64url parts)");
        }
        JsonNode header = parse(token.substring(0, first), "header");
        if (!"EdDSA".equals(header.path("alg").asText(null))) {
            throw new InvalidTokenException("alg must be EdDSA");
        }
        if (header.has("crit")) {
            throw new InvalidTokenException("critical header parameters are not understood");
        }
        Instant now = clock.instant();
        String kid = header.path("kid").asText("");
        SigningKey key = keys.find(kid, now);
        if (key == null) {
            throw new InvalidTokenException("unknown or retired key id");
        }
        byte[] signature = decode(token.substring(second + 1), "signature");
        byte[] message = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        Ed25519PublicKeyParameters publicKey = key.publicKey();
        if (signature.length != SIGNATURE_LENGTH
                || !publicKey.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0)) {
            throw new InvalidTokenException("bad signature");
        }
        JsonNode claims = parse(token.substring(first + 1, second), "claims");
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
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode role : claims.path("roles")) {
            try {
                roles.add(Role.of(role.asText()));
            } catch (RuntimeException e) {
                throw new InvalidTokenException("unknown role in token");
            }
        }
        String sub = claims.path("sub").asText(null);
        String site = claims.path("site").asText(null);
        String jti = claims.path("jti").asText(null);
        if (sub == null || site == null || jti == null) {
            throw new InvalidTokenException("sub, site and jti are required");
        }
        return new TokenClaims(issuer, sub, roles, site, Instant.ofEpochSecond(iat.asLong()), expiresAt, jti);
    }

    private static JsonNode parse(String part, String what) {
        try {
            JsonNode node = TREE.readTree(decode(part, what));
            if (node == null || !node.isObject()) {
                throw new InvalidTokenException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidTokenException(what + " is not JSON");
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return SigningKey.B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(what + " is not base64url");
        }
    }
}
