package dev.sliceplane.cli.auth;

import java.nio.CharBuffer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What {@code POST /api/v1/accounts/tokens} accepts in exchange for an access token. */
public sealed interface LoginSecret {

    /** The request body. */
    ObjectNode body(ObjectMapper json);

    /** An API key ({@code sp_…}). */
    record ApiKey(String key) implements LoginSecret {
        @Override
        public ObjectNode body(ObjectMapper json) {
            return json.createObjectNode().put("apiKey", key);
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
        public String toString() {
            return "Password[" + email + ", (hidden)]";
        }
    }
}
