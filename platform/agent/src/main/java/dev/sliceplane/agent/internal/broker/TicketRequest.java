package dev.sliceplane.agent.internal.broker;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.agent.internal.agent.Denials;
import dev.sliceplane.agent.internal.agent.ReportVerifier;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A request for tickets: {@code {"slice","count","resources","where","duration","partial"}}.
 *
 * @param slice     the slice's name
 * @param count     how many nodes, each getting one ticket
 * @param resources what each ticket promises
 * @param where     which nodes (query language; empty: any)
 * @param duration  the ticket window
 * @param partial   whether fewer than {@code count} tickets will do
 */
public record TicketRequest(String slice, int count, Resources resources, String where, Duration duration,
        boolean partial) {

    private static final Set<String> FIELDS = Set.of("slice", "count", "resources", "where", "duration", "partial");
    private static final String BROKER = "broker";

    /**
     * Reads a request body, every field checked.
     *
     * @throws DeniedException 400 {@code invalid-request} naming the field
     */
    static TicketRequest parse(JsonNode body, Duration defaultDuration, int maxCount) {
        if (!body.isObject()) {
            throw invalid("body", "the body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(name, "unknown field '" + name + "'");
            }
        }
        JsonNode slice = body.path("slice");
        if (!slice.isTextual() || slice.asText().isBlank()) {
            throw invalid("slice", "slice is required: the slice's name");
        }
        JsonNode count = body.path("count");
        if (body.has("count") && (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1
                || count.asInt() > maxCount)) {
            throw invalid("count", "count must be a whole number from 1 to " + maxCount);
        }
        Resources resources;
        try {
            resources = ReportVerifier.resources(body.path("resources"), "resources");
        } catch (JwsException e) {
            throw invalid("resources", e.getMessage() + " ({\"cpu\",\"memory\",\"processes\",\"disk\"})");
        }
        JsonNode where = body.path("where");
        if (body.has("where") && !where.isTextual() && !where.isNull()) {
            throw invalid("where", "where must be a query string");
        }
        Duration duration = defaultDuration;
        if (body.hasNonNull("duration")) {
            try {
                duration = Duration.parse(body.path("duration").asText());
            } catch (DateTimeParseException e) {
                throw invalid("duration", "duration must be an ISO-8601 duration such as PT1H");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw invalid("duration", "duration must be positive");
            }
        }
        JsonNode partial = body.path("partial");
        if (body.has("partial") && !partial.isBoolean()) {
            throw invalid("partial", "partial must be true or false");
        }
        return new TicketRequest(slice.asText(), body.has("count") ? count.asInt() : 1, resources,
                where.isTextual() ? where.asText() : "", duration, partial.asBoolean(false));
    }

    private static DeniedException invalid(String field, String detail) {
        return Denials.invalid(BROKER, "request." + field, detail);
    }
}
