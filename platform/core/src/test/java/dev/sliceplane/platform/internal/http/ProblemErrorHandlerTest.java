package dev.sliceplane.platform.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sliceplane.platform.api.http.Problem;

class ProblemErrorHandlerTest {

    @ParameterizedTest
    @ValueSource(strings = {"Ambiguous URI path separator", "Ambiguous URI empty segment", "Ambiguous URI path segment",
            "Bad UTF-8 encoding", "Illegal Path Character"})
    void jettysUriViolationsAreBadRequestUris(String reason) {
        Problem problem = ProblemErrorHandler.problemFor(400, reason);

        assertEquals(Problem.TYPE_BASE + "bad-request-uri", problem.type());
        assertEquals(400, problem.status());
        assertEquals("Bad request URI", problem.title());
        assertTrue(problem.detail().endsWith(": " + reason), problem.detail());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"Bad Request", "Duplicate Host Header", "<script>alert(1)</script>"})
    void otherBadRequestsNeverEchoTheReason(String reason) {
        Problem problem = ProblemErrorHandler.problemFor(400, reason);

        assertEquals(Problem.TYPE_BASE + "bad-request", problem.type());
        assertFalse(problem.detail().contains(String.valueOf(reason)), problem.detail());
    }

    @ParameterizedTest
    @CsvSource({
            "414, uri-too-long",
            "431, client-error",
            "505, http-version-not-supported",
            "500, internal-error"})
    void otherStatusesAreTheErrorPagesProblems(int status, String slug) {
        Problem problem = ProblemErrorHandler.problemFor(status, "Ambiguous URI path separator");

        assertEquals(Problem.TYPE_BASE + slug, problem.type());
        assertEquals(status, problem.status());
    }
}
