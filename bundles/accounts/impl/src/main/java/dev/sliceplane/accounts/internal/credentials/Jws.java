package dev.sliceplane.accounts.internal.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.InvalidTokenException;

/**
 * Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), written directly on BouncyCastle's
 * low-level Ed25519. Every JWS the authority signs carries an explicit {@code typ} (RFC 8725,
 * section 3.11) and verification demands the one expected, so an access token can never pass
 * as a node credential or the other way round. Verification accepts only {@code alg} EdDSA, no
 * {@code crit}, a {@code kid} that names a published key, and checks the signature before the
 * claims are parsed. Stateless and thread-safe.
 */
public final class Jws {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Reads a token's header and claims; resolved once, where ObjectMapper.readTree looks it up per call. */
    private static final ObjectReader TREE = JSON.readerFor(JsonNode.class);
    private static final int SIGNATURE_LENGTH = 64;
    /** Longer input is refused before any parsing. */
    static final int MAX_LENGTH = 8192;

    private Jws() {
    }

    /** Signs {@code claims} with {@code key}, with header {@code {"alg":"EdDSA","kid":..,"typ":typ}}. */
    static String sign(SigningKey key, String typ, ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "EdDSA");
        header.put("kid", key.kid());
        header.put("typ", typ);
        try {
            String input = SigningKey.B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + SigningKey.B64.encodeToString(JSON.writeValueAsBytes(claims));
            byte[] message = input.getBytes(StandardCharsets.US_ASCII);
            byte[] signature = new byte[SIGNATURE_LENGTH];
            key.privateKey().sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
            return input + "." + SigningKey.B64.encodeToString(signature);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JWS JSON", e);
        }
    }

    /**
     * The {@code typ} of a token's header, unverified: only to choose which strict verification
     * to run, which checks it again. Empty when the token has no readable header.
     */
    public static String peekType(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return "";
        }
        int first = token.indexOf('.');
        if (first <= 0) {
            return "";
        }
        try {
            return parse(token.substring(0, first), "header").path("typ").asText("");
        } catch (InvalidTokenException e) {
            return "";
        }
    }

    /** The {@code kid} of a token's header, unverified: for a token {@link #verify} accepted. */
    static String peekKeyId(String token) {
        return parse(token.substring(0, token.indexOf('.')), "header").path("kid").asText("");
    }

    /**
     * Verifies the form, {@code typ}, key and signature of {@code token} and returns its claims,
     * which the caller then checks (issuer, expiry, required members).
     */
    static JsonNode verify(String token, String typ, VerificationKeys keys, Instant now) {
        if (token == null || token.length() > MAX_LENGTH) {
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
        if (!typ.equals(header.path("typ").asText(null))) {
            throw new InvalidTokenException("typ must be " + typ);
        }
        Ed25519PublicKeyParameters publicKey = keys.verificationKey(header.path("kid").asText(""), now);
        if (publicKey == null) {
            throw new InvalidTokenException("unknown or retired key id");
        }
        byte[] signature = decode(token.substring(second + 1), "signature");
        byte[] message = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        if (signature.length != SIGNATURE_LENGTH
                || !publicKey.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0)) {
            throw new InvalidTokenException("bad signature");
        }
        return parse(token.substring(first + 1, second), "claims");
    }

    private static JsonNode parse(String part, String what) {
        try {
            JsonNode node = TREE.readValue(decode(part, what));
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
