package dev.sliceplane.client.internal;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.client.Failure;

/**
 * A server's answer to one request: its JSON (a missing node for an empty body) on success, or
 * why it failed (an RFC 9457 problem, an unreadable body, no answer at all, then also why in a
 * few words).
 */
public record Reply(JsonNode body, Failure failure, String unreachableWhy) {

    public static Reply success(JsonNode body) {
        return new Reply(body, null, null);
    }

    public static Reply failed(Failure failure) {
        return new Reply(null, failure, null);
    }

    /** No answer from {@code url}, {@code why} in a few words. */
    public static Reply unreachable(URI url, String why) {
        return new Reply(null, Failure.unreachable(url, why), why);
    }

    public boolean ok() {
        return failure == null;
    }
}
