package dev.sliceplane.client.internal;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.client.Failure;

/** The outcome of one call to a node: a value, or why there is none. */
public record Attempt<T>(T value, Failure failure) {

    public static <T> Attempt<T> of(T value) {
        return new Attempt<>(value, null);
    }

    public static <T> Attempt<T> failed(Failure failure) {
        return new Attempt<>(null, failure);
    }

    public boolean ok() {
        return failure == null;
    }

    /** The reply's body read by {@code reader}; an unreadable answer when the reader gives null. */
    static <T> Attempt<T> read(Reply reply, Function<JsonNode, T> reader, String what) {
        if (!reply.ok()) {
            return failed(reply.failure());
        }
        T value = reader.apply(reply.body());
        return value == null ? failed(JsonHttp.unreadable(200, "no " + what + " in it")) : of(value);
    }
}
