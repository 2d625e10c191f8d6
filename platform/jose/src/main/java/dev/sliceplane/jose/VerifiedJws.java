package dev.sliceplane.jose;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JWS whose form, type, key and signature were checked: its header and claims, which the caller
 * then checks for their meaning (issuer, times, required members).
 */
public record VerifiedJws(JsonNode header, JsonNode claims) {

    /** The claim {@code name} as text; throws when it is missing, not text, or empty. */
    public String requiredText(String name) {
        JsonNode value = claims.path(name);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new JwsException(name + " is required");
        }
        return value.asText();
    }

    /** The claim {@code name} as epoch seconds; throws when it is missing or not an integer. */
    public long requiredSeconds(String name) {
        JsonNode value = claims.path(name);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new JwsException(name + " must be a number of seconds");
        }
        return value.asLong();
    }
}
