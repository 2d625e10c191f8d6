package dev.sliceplane.accounts.internal.http;

import java.util.Collections;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/**
 * PATCH bodies: a JSON object holding only the fields to change. The patch is laid over the
 * stored object's JSON and the result is built as a record again, so the record's own checks
 * judge the merged value. A field that is not patchable is refused with 400: unknown ones as
 * such, identity fields (such as {@code loginBase}) as immutable. The result says which fields
 * really changed, so access rules can judge a change rather than the fields a client echoed back.
 *
 * @param <T> the record type
 */
final class PartialUpdate<T> {

    private final T value;
    private final Set<String> changed;

    private PartialUpdate(T value, Set<String> changed) {
        this.value = value;
        this.changed = changed;
    }

    /** {@code current} with {@code patch} applied; only fields in {@code patchable} may appear in it. */
    static <T> PartialUpdate<T> apply(T current, JsonNode patch, Set<String> patchable, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw new ProblemException(Problem.badRequest("a PATCH body is a JSON object with the fields to change: "
                    + new TreeSet<>(patchable)));
        }
        ObjectNode before = AccountsJson.MAPPER.valueToTree(current);
        for (Iterator<String> names = patch.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!patchable.contains(name)) {
                if (before.has(name)) {
                    throw new ProblemException(Problem.badRequest("field '" + name + "' cannot be changed; changeable: "
                            + new TreeSet<>(patchable)).with("field", name));
                }
                throw AccountsJson.unknownField(name);
            }
        }
        ObjectNode merged = before.deepCopy();
        merged.setAll((ObjectNode) patch);
        T value = AccountsJson.convert(merged, type);
        ObjectNode after = AccountsJson.MAPPER.valueToTree(value);
        Set<String> changed = new TreeSet<>();
        for (String name : patchable) {
            if (!before.path(name).equals(after.path(name))) {
                changed.add(name);
            }
        }
        return new PartialUpdate<>(value, Collections.unmodifiableSet(changed));
    }

    /** The merged object, checked by its record. */
    T value() {
        return value;
    }

    /** The fields whose value differs from the stored object's, compared after normalisation. */
    Set<String> changed() {
        return changed;
    }
}
