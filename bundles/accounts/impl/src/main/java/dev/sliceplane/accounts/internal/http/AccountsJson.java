package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/**
 * The registry's records as JSON: field names are the record components, instants ISO-8601,
 * roles by their external ids ({@code "node-owner"}), boot states by name ({@code "BOOT"},
 * read in any case). Converting a body into a record reports every failure as a 400 problem
 * naming the field: an unknown field, a value of the wrong JSON type, or what the record's own
 * checks refused. Same settings as the platform's mapper otherwise.
 */
final class AccountsJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(registryModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private AccountsJson() {
    }

    /** {@code body} as a {@code type}, or a 400 problem naming the field at fault. */
    static <T> T convert(JsonNode body, Class<T> type) {
        try {
            return MAPPER.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw unknownField(e.getPropertyName());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            RegistryException refused = registryCause(e);
            if (refused != null) {
                throw RegistryProblems.exception(refused);
            }
            String field = e instanceof MismatchedInputException m ? fieldOf(m) : null;
            if (field == null) {
                throw new ProblemException(Problem.badRequest("the body does not describe a " + type.getSimpleName()));
            }
            String expected = e instanceof MismatchedInputException m ? expected(m.getTargetType()) : "a valid value";
            boolean missing = !body.has(field) || body.get(field).isNull();
            throw new ProblemException(Problem.of(400, RegistryProblems.INVALID, "Invalid input",
                    field + ": " + (missing ? "is required" : "must be " + expected)).with("field", field));
        }
    }

    static ProblemException unknownField(String field) {
        return new ProblemException(Problem.badRequest("unknown field '" + field + "'").with("field", field));
    }

    private static RegistryException registryCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException r) {
                return r;
            }
        }
        return null;
    }

    private static String fieldOf(MismatchedInputException e) {
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                return reference.getFieldName();
            }
        }
        return null;
    }

    /** What a JSON value for {@code type} looks like, in the API's words rather than Java's. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char[].class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as 2026-06-01T12:00:00Z";
        }
        return "a valid value";
    }

    private static SimpleModule registryModule() {
        SimpleModule module = new SimpleModule("sliceplane-accounts");
        module.addSerializer(Role.class, new JsonSerializer<Role>() {
            @Override
            public void serialize(Role role, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(role.id());
            }
        });
        module.addDeserializer(Role.class, new JsonDeserializer<Role>() {
            @Override
            public Role deserialize(JsonParser in, DeserializationContext context) throws IOException {
                if (in.currentToken() != JsonToken.VALUE_STRING) {
                    throw RegistryException.invalid("roles", "must be an array of role names");
                }
                return Role.of(in.getText()); // INVALID on field roles, listing the roles
            }
        });
        module.addDeserializer(BootState.class, new JsonDeserializer<BootState>() {
            @Override
            public BootState deserialize(JsonParser in, DeserializationContext context) throws IOException {
                return bootState(in.currentToken() == JsonToken.VALUE_STRING ? in.getText() : null);
            }
        });
        return module;
    }

    /** A boot state by name in any case, such as {@code boot} or {@code BOOT}. */
    static BootState bootState(String name) {
        if (name != null) {
            for (BootState state : BootState.values()) {
                if (state.name().equalsIgnoreCase(name.strip())) {
                    return state;
                }
            }
        }
        throw RegistryException.invalid("bootState", "must be one of " + Arrays.toString(BootState.values())
                + (name == null ? "" : ", got '" + shorten(name) + "'"));
    }

    /** Input quoted back in a message: one line, at most 64 characters. */
    static String shorten(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 64 ? oneLine : oneLine.substring(0, 61) + "...";
    }
}
