package dev.sliceplane.platform.internal.boot;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The platform bundle's activator: at start, binds a throw-away mapper to a record shaped like
 * the node's own (text, numbers, an {@link Instant}, a {@link Duration}, an enum, a nested record,
 * a list, a map) on a thread of its own. Every bundle keeps its own mapper, but they share
 * Jackson's classes, whose loading and first introspection of a record are what the components
 * activating after this bundle otherwise wait for, one after another, on the thread that starts
 * the bundles (~10 % of it in a boot profile). Both are safe to do from any thread.
 *
 * <p>The thread ends within a few hundred milliseconds, before the management slices exist, so
 * it runs outside them; a failure is ignored, leaving the work to the first real user.
 */
public final class JacksonPreinitializer implements BundleActivator {

    enum Kind { ONE, OTHER }

    record Part(String name, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Shape(String name, int number, double share, boolean flag, Instant at, Duration span, Kind kind, Part part,
            List<Part> parts, Map<String, String> labels) {
    }

    @Override
    public void start(BundleContext context) {
        Thread thread = new Thread(JacksonPreinitializer::run, "sliceplane-preinit-jackson");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop(BundleContext context) {
        // Nothing to undo: the thread holds nothing and ends by itself.
    }

    private static void run() {
        try {
            roundTrip();
        } catch (IOException | RuntimeException e) {
            // Left to the first real user.
        }
    }

    /** Writes a record and reads it back: the work a component's first JSON call would do. */
    static Shape roundTrip() throws IOException {
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        Part part = new Part("part", 1);
        Shape shape = new Shape("shape", 1, 0.5, true, Instant.EPOCH, Duration.ofSeconds(1), Kind.ONE, part,
                List.of(part), Map.of("key", "value"));
        byte[] json = mapper.writeValueAsBytes(shape);
        mapper.readTree(json);
        return mapper.readValue(json, Shape.class);
    }
}
