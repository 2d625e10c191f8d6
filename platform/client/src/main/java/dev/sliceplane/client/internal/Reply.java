package dev.sliceplane.client.internal;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.client.Failure;

/**
 * A server's answer to one request: its JSON (a missing node for an empty body) on success, or
 * why it failed (an RFC 9457 problem, an unreadable body, no answer at all).
 */
public record Reply(JsonNode body, Failure failure) {

    public static Reply success(JsonNode body) {
        return new Reply(body, null);
    }

    public static Reply failed(Failure failure) {
        return new Reply(null, failure);
    }

    public boolean ok() {
        return failure == null;
    }
}
