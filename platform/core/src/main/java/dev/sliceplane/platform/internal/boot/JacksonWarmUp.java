package dev.sliceplane.platform.internal.boot;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * What {@link JacksonPreinitializer} runs: a throw-away mapper writes a record shaped like the
 * node's own (text, numbers, an {@link Instant}, a {@link Duration}, an enum, a nested record, a
 * list, a map) and reads it back. A class of its own, so that only the warming thread loads
 * Jackson's classes.
 */
final class JacksonWarmUp {

    enum Kind { ONE, OTHER }

    record Part(String name, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Shape(String name, int number, double share, boolean flag, Instant at, Duration span, Kind kind, Part part,
            List<Part> parts, Map<String, String> labels) {
    }

    static final Shape SHAPE = new Shape("shape", 1, 0.5, true, Instant.EPOCH, Duration.ofSeconds(1), Kind.ONE,
            new Part("part", 1), List.of(new Part("part", 1)), Map.of("key", "value"));

    private JacksonWarmUp() {
    }

    /** Writes {@link #SHAPE} and reads it back: the work a component's first JSON call would do. */
    static Shape roundTrip() throws IOException {
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        byte[] json = mapper.writeValueAsBytes(SHAPE);
        mapper.readTree(json);
        return mapper.readValue(json, Shape.class);
    }
}
