package dev.sliceplane.platform.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTest {

    @Test
    void ofBuildsTheTypeFromTheSlug() {
        Problem p = Problem.of(422, "bad-rank", "Bad rank", "rank must be positive");

        assertEquals(Problem.TYPE_BASE + "bad-rank", p.type());
        assertEquals("Bad rank", p.title());
        assertEquals(422, p.status());
        assertEquals("rank must be positive", p.detail());
        assertEquals(Map.of(), p.extensions());
    }

    @Test
    void membersComeInDocumentOrderWithTheExtensionsLast() {
        Problem p = Problem.of(409, "taken", "Taken", "the name is taken").with("name", "a").with("owner", "b");

        List<String> names = List.copyOf(p.members().keySet());
        assertEquals(List.of("type", "title", "status", "detail"), names.subList(0, 4));
        // Extensions are kept in a Map.copyOf, so their own order is not defined.
        assertEquals(Set.of("name", "owner"), Set.copyOf(names.subList(4, names.size())));
        assertEquals(409, p.members().get("status"));
        assertEquals("b", p.members().get("owner"));
    }

    @Test
    void shorthands() {
        assertEquals(Problem.TYPE_BASE + "bad-request", Problem.badRequest("x").type());
        assertEquals(404, Problem.notFound("x").status());
        assertEquals(409, Problem.conflict("x").status());
        assertEquals(Problem.TYPE_BASE + "no-such", Problem.unprocessable("no-such", "No such", "x").type());
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 399, 600, -1})
    void onlyErrorStatuses(int status) {
        var e = assertThrows(IllegalArgumentException.class, () -> Problem.of(status, "x", "X", "x"));
        assertEquals("a problem has a 4xx or 5xx status, not " + status, e.getMessage());
    }

    @Test
    void typeAndTitleAreRequired() {
        assertThrows(NullPointerException.class, () -> new Problem(null, "T", 400, "", null));
        assertThrows(NullPointerException.class, () -> new Problem("t", null, 400, "", null));
    }

    @Test
    void missingDetailAndExtensionsBecomeEmpty() {
        Problem p = new Problem("t", "T", 400, null, null);

        assertEquals("", p.detail());
        assertEquals(Map.of(), p.extensions());
    }

    @Test
    void extensionsAreCopiedAndWithAddsOne() {
        Map<String, Object> ext = new HashMap<>(Map.of("field", "rank"));
        Problem p = new Problem("t", "T", 400, "d", ext);
        ext.put("later", 1);

        Problem more = p.with("limit", 10);

        assertEquals(Map.of("field", "rank"), p.extensions(), "the caller's map is copied, and with() copies again");
        assertEquals(Map.of("field", "rank", "limit", 10), more.extensions());
        assertThrows(UnsupportedOperationException.class, () -> more.extensions().put("x", 1));
        assertEquals(p.detail(), more.detail());
    }
}
