package dev.sliceplane.cli.auth;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What {@code POST /api/v1/accounts/tokens} accepts in exchange for an access token. */
public sealed interface LoginSecret {

    /** The request body. */
    ObjectNode body(ObjectMapper json);

    /** Tells which API key a stored token came from without storing the key; null for passwords. */
    String digest();

    /** An API key ({@code sp_…}). */
    record ApiKey(String key) implements LoginSecret {
        @Override
        public ObjectNode body(ObjectMapper json) {
            return json.createObjectNode().put("apiKey", key);
        }

        /** The first 16 hex digits of the key's SHA-256: enough to tell keys apart, useless for guessing one. */
        @Override
        public String digest() {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        @Override
        public String toString() {
            return "ApiKey[(hidden)]";
        }
    }

    /** A principal's email and password. */
    record Password(String email, char[] password) implements LoginSecret {
        @Override
        public ObjectNode body(ObjectMapper json) {
            return json.createObjectNode().put("email", email).put("password", CharBuffer.wrap(password).toString());
        }

        @Override
        public String digest() {
            return null;
        }

        @Override
        public String toString() {
            return "Password[" + email + ", (hidden)]";
        }
    }
}
