package dev.sliceplane.jose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Signs and verifies compact JWS with EdDSA. Signing writes the header {@code {"alg":"EdDSA",
 * "kid":..,"typ":..}}. Verification accepts only {@code alg} EdDSA, no {@code crit}, the expected
 * {@code typ}, a key the caller resolves, and a good signature, and checks the signature before it
 * parses the claims. Stateless and thread-safe.
 */
public final class Jws {

    /** Unpadded base64url, as JOSE writes every binary value. */
    public static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** Builds claims; share it, it is thread-safe. */
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Resolved once, where ObjectMapper.readTree looks the deserializer up on every call. */
    private static final ObjectReader TREE = JSON.readerFor(JsonNode.class);
    /** Longer input is refused before any parsing: credentials and tickets are far shorter. */
    public static final int MAX_LENGTH = 16_384;

    private Jws() {
    }

    /** Signs {@code claims} with header {@code {"alg":"EdDSA","kid":kid,"typ":typ}}. */
    public static String sign(String typ, String kid, ObjectNode claims, JwsSigner signer) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "EdDSA");
        header.put("kid", kid);
        header.put("typ", typ);
        try {
            String input = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            byte[] signature = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JWS JSON", e);
        }
    }

    /**
     * Verifies {@code token} as a JWS of type {@code typ} signed by the key {@code keys} finds for
     * its {@code kid} (null: no such key).
     *
     * @throws JwsException naming what is wrong
     */
    public static VerifiedJws verify(String token, String typ, Function<String, Ed25519PublicKey> keys) {
        Parts parts = split(token);
        JsonNode header = parse(parts.header(), "header");
        if (!"EdDSA".equals(header.path("alg").asText(null))) {
            throw new JwsException("alg must be EdDSA");
        }
        if (header.has("crit")) {
            throw new JwsException("critical header parameters are not understood");
        }
        if (!typ.equals(header.path("typ").asText(null))) {
            throw new JwsException("typ must be " + typ);
        }
        Ed25519PublicKey key = keys.apply(header.path("kid").asText(""));
        if (key == null) {
            throw new JwsException("unknown or retired key id");
        }
        byte[] signature = decode(parts.signature(), "signature");
        if (!key.verify(parts.signingInput().getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new JwsException("bad signature");
        }
        return new VerifiedJws(header, parse(parts.claims(), "claims"));
    }

    /** Verifies {@code token} as a JWS of type {@code typ} signed by {@code key}, whatever its {@code kid}. */
    public static VerifiedJws verify(String token, String typ, Ed25519PublicKey key) {
        return verify(token, typ, kid -> key);
    }

    /**
     * The claims of {@code token} <em>without</em> checking anything but its form: only to find
     * which key or which strict verification applies, which then checks everything.
     */
    public static JsonNode unverifiedClaims(String token) {
        return parse(split(token).claims(), "claims");
    }

    /** The {@code typ} of a token's header, unverified; empty when the token has no readable header. */
    public static String peekType(String token) {
        try {
            return parse(split(token).header(), "header").path("typ").asText("");
        } catch (JwsException e) {
            return "";
        }
    }

    /** A JWK ({@code {"kty":"OKP","crv":"Ed25519","x":..}}) of {@code key}. */
    public static ObjectNode jwk(Ed25519PublicKey key) {
        ObjectNode jwk = JSON.createObjectNode();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", key.base64Url());
        return jwk;
    }

    /** The key of an OKP/Ed25519 JWK such as a {@code cnf.jwk} claim. */
    public static Ed25519PublicKey keyOf(JsonNode jwk) {
        String x = jwk.path("x").asText("");
        if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())
                || !x.matches("[A-Za-z0-9_-]{43}")) {
            throw new JwsException("not an Ed25519 JWK");
        }
        return Ed25519PublicKey.ofBase64Url(x);
    }

    private record Parts(String header, String claims, String signature, String signingInput) {
    }

    private static Parts split(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            throw new JwsException("no token, or one too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new JwsException("not a compact JWS (three base64url parts)");
        }
        return new Parts(token.substring(0, first), token.substring(first + 1, second),
                token.substring(second + 1), token.substring(0, second));
    }

    private static JsonNode parse(String part, String what) {
        try {
            JsonNode node = TREE.readValue(decode(part, what));
            if (node == null || !node.isObject()) {
                throw new JwsException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new JwsException(what + " is not JSON");
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new JwsException(what + " is not base64url");
        }
    }
}
