package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.accounts.internal.credentials.SigningKey;
import dev.sliceplane.accounts.internal.credentials.VerificationKeys;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.JwsException;

/**
 * The authority's public keys as a node last fetched them (its JWKS): Ed25519 OKP keys by
 * {@code kid}, each checked to be the RFC 7638 thumbprint of its key, so a JWKS cannot name a key
 * by another's id. Immutable; a new JWKS makes a new instance.
 */
final class CachedKeys implements VerificationKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Ed25519PublicKey> byKid;

    private CachedKeys(Map<String, Ed25519PublicKey> byKid) {
        this.byKid = Map.copyOf(byKid);
    }

    /**
     * Reads a JWK Set; keys of other types are skipped.
     *
     * @throws IllegalArgumentException when it is no JWK Set, or holds no usable Ed25519 key
     */
    static CachedKeys parse(byte[] jwks) {
        JsonNode keys;
        try {
            JsonNode root = JSON.readTree(jwks);
            keys = root == null ? null : root.get("keys");
        } catch (IOException e) {
            throw new IllegalArgumentException("the JWKS is not JSON");
        }
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("the JWKS has no keys array");
        }
        Map<String, Ed25519PublicKey> byKid = new HashMap<>();
        for (JsonNode jwk : keys) {
            if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())) {
                continue;
            }
            String kid = jwk.path("kid").asText("");
            try {
                byte[] x = Base64.getUrlDecoder().decode(jwk.path("x").asText(""));
                if (x.length == 32 && SigningKey.thumbprint(x).equals(kid)) {
                    byKid.put(kid, Ed25519PublicKey.of(x));
                }
            } catch (IllegalArgumentException | JwsException e) {
                // a malformed key is skipped, as RFC 7517 (5) asks of keys one cannot use
            }
        }
        if (byKid.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no usable Ed25519 key");
        }
        return new CachedKeys(byKid);
    }

    int size() {
        return byKid.size();
    }

    /**
     * The key by id. {@code now} does not matter: the authority publishes only live keys, and a
     * key it retires while the node is cut off only verifies tokens that expire soon after.
     */
    @Override
    public Ed25519PublicKey verificationKey(String kid, Instant now) {
        return byKid.get(kid);
    }
}
