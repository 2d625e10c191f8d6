package dev.sliceplane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of a command-line run (building one costs a few milliseconds of start-up). */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
