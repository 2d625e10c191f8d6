package dev.sliceplane.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.cli.ExitCodes;

class ProblemReaderTest {

    private final ProblemReader reader = new ProblemReader(new ObjectMapper());

    @Test
    void aProblemDocumentBecomesStatusSlugAndDetailWithExitCode1() {
        ApiProblemException problem = reader.read(403, "application/problem+json", """
                {"type": "https://sliceplane.dev/problems/forbidden", "title": "Forbidden", "status": 403,
                 "detail": "pi@x.org may not grant admin"}""");
        assertEquals("403 forbidden: pi@x.org may not grant admin", problem.getMessage());
        assertEquals(ExitCodes.FAILED, problem.exitCode());
        assertEquals(403, problem.status());
        assertEquals("forbidden", problem.slug());
    }

    @Test
    void theFieldOfAnInvalidRequestIsNamedWhenTheDetailDoesNotSayIt() {
        assertEquals("400 invalid: loginBase: must be 2-20 lower-case letters", reader.read(400, "application/problem+json", """
                {"type": "https://sliceplane.dev/problems/invalid", "title": "Invalid", "status": 400,
                 "detail": "must be 2-20 lower-case letters", "field": "loginBase"}""").getMessage());
        assertEquals("400 invalid: name is required", reader.read(400, "application/problem+json", """
                {"type": "https://sliceplane.dev/problems/invalid", "status": 400, "detail": "name is required", "field": "name"}""")
                .getMessage());
    }

    @Test
    void withoutDetailTheTitleIsShown() {
        assertEquals("409 already-exists: Already exists", reader.read(409, "application/problem+json",
                "{\"type\": \"https://sliceplane.dev/problems/already-exists\", \"title\": \"Already exists\"}").getMessage());
    }

    @Test
    void aBodyThatIsNoProblemStillGivesALineFromTheStatus() {
        assertEquals("502 bad-gateway", reader.read(502, "text/html", "<html><body>Bad gateway</body></html>").getMessage());
        assertEquals("503 unavailable: upstream down", reader.read(503, "text/plain", "upstream down\nmore\n").getMessage());
        assertEquals("418 error", reader.read(418, "", "").getMessage());
        assertEquals("401 unauthorized", reader.read(401, "application/json", "{not json").getMessage());
        assertEquals("404 not-found: nothing here", reader.read(404, "application/problem+json",
                "{\"type\": \"about:blank\", \"detail\": \"nothing here\"}").getMessage());
    }

    @Test
    void aDetailOnManyLinesIsCutToItsFirst() {
        assertEquals("500 internal-error: first", reader.read(500, "application/problem+json",
                "{\"type\": \"https://sliceplane.dev/problems/internal-error\", \"detail\": \"first\\nsecond\"}").getMessage());
    }

    @Test
    void aHintIsAppended() {
        ApiProblemException problem = new ApiProblemException(401, "unauthorized", "token expired");
        assertEquals("401 unauthorized: token expired (run 'sliceplane login')",
                problem.withHint("run 'sliceplane login'").getMessage());
    }

    @Test
    void noAnswerIsExitCode3AndNamesTheUrl() {
        NodeUnreachableException e = new NodeUnreachableException(URI.create("http://node:8080"), "connection refused");
        assertEquals("cannot reach the node at http://node:8080 (connection refused)", e.getMessage());
        assertEquals(ExitCodes.UNREACHABLE, e.exitCode());
    }

    @Test
    void reasonsForNoAnswerAreShort() {
        assertEquals("connection refused", ApiClient.reason(new ConnectException()));
        IOException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        assertEquals("unknown host", ApiClient.reason(unresolved));
        assertEquals("no connection within 5 s", ApiClient.reason(new HttpConnectTimeoutException("x")));
        assertEquals("no answer within 30 s", ApiClient.reason(new HttpTimeoutException("x")));
        assertEquals("Connection reset", ApiClient.reason(new IOException("Connection reset")));
        assertEquals("IOException", ApiClient.reason(new IOException()));
    }

    @Test
    void pathSegmentsAreEncodedButEmailsStayReadable() {
        assertEquals("/api/v1/accounts/keys/SHA256:ab%2Fc%2Bd%3D", ApiPath.accounts("keys", "SHA256:ab/c+d=").toString());
        assertEquals("/api/v1/accounts/principals/alice@x.org/api-keys",
                ApiPath.accounts("principals", "alice@x.org", "api-keys").toString());
        assertEquals("/api/v1/accounts/principals?site=a%20b&role=pi",
                ApiPath.accounts("principals").query("site", "a b").query("role", "pi").query("none", null).toString());
    }
}
