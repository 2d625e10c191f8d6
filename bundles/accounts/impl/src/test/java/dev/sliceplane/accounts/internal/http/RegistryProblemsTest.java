package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.RegistryException.Reason;
import dev.sliceplane.platform.api.http.Problem;

class RegistryProblemsTest {

    @ParameterizedTest
    @CsvSource({
            "NOT_FOUND, 404, not-found",
            "ALREADY_EXISTS, 409, already-exists",
            "INVALID, 400, invalid",
            "REFERENCED, 409, referenced",
            "LIMIT_REACHED, 409, limit-reached",
            "UNAVAILABLE, 503, unavailable"})
    void everyReasonHasItsStatusAndType(Reason reason, int status, String slug) {
        Problem problem = RegistryProblems.of(new RegistryException(reason, null, "what happened"));
        assertEquals(status, problem.status());
        assertEquals(Problem.TYPE_BASE + slug, problem.type());
        assertFalse(problem.title().isBlank());
        assertNull(problem.extensions().get("field"));
    }

    @Test
    void theFieldBecomesAnExtension() {
        Problem problem = RegistryProblems.of(RegistryException.invalid("loginBase", "must be lower case"));
        assertEquals(Map.of("field", "loginBase"), problem.extensions());
        assertEquals("loginBase: must be lower case", problem.detail());
        assertEquals(Map.of("field", "email"),
                RegistryProblems.of(RegistryException.alreadyExists("email", "exists already")).extensions());
    }

    @Test
    void registryWordsAreKeptDatabaseWordsAreNot() {
        assertEquals("no site 'x'", RegistryProblems.of(RegistryException.notFound("no site 'x'")).detail());
        Problem down = RegistryProblems.of(new RegistryException(Reason.UNAVAILABLE, null,
                "the registry database failed: Connection to 10.0.0.7:5432 refused", new SQLException("refused")));
        assertFalse(down.detail().contains("10.0.0.7"), down.detail());
        Problem constraint = RegistryProblems.of(new RegistryException(Reason.INVALID, null,
                "rejected by the registry database: violates check constraint \"slice_name_prefix_ck\"",
                new SQLException("x", "23514")));
        assertEquals(400, constraint.status());
        assertFalse(constraint.detail().contains("slice_name_prefix_ck"), constraint.detail());
    }
}
