package dev.sliceplane.platform.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sliceplane.platform.api.http.Problem;

class ProblemErrorPageTest {

    private static final String PATH = "/api/v1/secret-path";

    @ParameterizedTest
    @CsvSource({
            "400, bad-request",
            "404, not-found",
            "405, method-not-allowed",
            "413, payload-too-large",
            "414, uri-too-long",
            "415, unsupported-media-type",
            "505, http-version-not-supported",
            "401, client-error",
            "429, client-error",
            "500, internal-error",
            "503, internal-error"})
    void statusMapsToType(int status, String slug) {
        Problem problem = ProblemErrorPage.problemFor(status, PATH);

        assertEquals(Problem.TYPE_BASE + slug, problem.type());
        assertEquals(status, problem.status());
        assertFalse(problem.title().isBlank());
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405})
    void notFoundAndMethodNotAllowedNameThePath(int status) {
        assertTrue(ProblemErrorPage.problemFor(status, PATH).detail().contains(PATH));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 599})
    void serverErrorsNeverShowThePath(int status) {
        Problem problem = ProblemErrorPage.problemFor(status, PATH + " java.lang.IllegalStateException: db password");

        assertFalse(problem.detail().contains("secret-path"), problem.detail());
        assertFalse(problem.detail().contains("Exception"), problem.detail());
        assertTrue(problem.extensions().isEmpty());
    }
}
