package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Requests Jetty refuses before any route runs — a request URI it finds ambiguous or cannot
 * decode — get problem bodies like every other error, whatever the client accepts, and still do
 * after a configuration change has restarted Jetty. The requests are written to a socket as they
 * are: {@code java.net.URI} would refuse or normalize them.
 */
class MalformedRequestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] AMBIGUOUS = {"/api/v1/a%2Fb", "//node", "/api/v1//node", "/api/v1/..%2fnode"};
    private static final String[] ACCEPTS = {null, "application/json", "text/html"};

    @TempDir
    static Path tmp;
    static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void ambiguousUrisAreBadRequestUriProblems() throws IOException {
        assertAmbiguousUrisAreProblems();
        assertEquals(200, node.anonymousHttp().statusOf("/api/v1/health"));
    }

    @Test
    void anUndecodableUriIsABadRequestProblem() throws IOException {
        for (String accept : ACCEPTS) {
            assertProblem(send("GET /api/v1/%zz HTTP/1.1", accept), 400, "bad-request");
        }
        assertEquals(200, node.anonymousHttp().statusOf("/api/v1/health"));
    }

    @Test
    void problemsSurviveAJettyRestart() throws Exception {
        // Felix HTTP restarts Jetty when its configuration changes; an idle connection is closed then.
        try (Socket idle = new Socket(node.address(), node.port())) {
            idle.setSoTimeout(30_000);
            Files.writeString(node.dataDir().resolve("etc/org.apache.felix.http.cfg"),
                    "org.apache.felix.http.timeout = 50000\n");
            assertTrue(closedByServer(idle.getInputStream()), "Jetty did not restart within 30 s:\n" + node.log());
        }
        node.awaitHealthy(Duration.ofSeconds(60));

        assertAmbiguousUrisAreProblems();
        assertProblem(send("GET /api/v1/%zz HTTP/1.1", null), 400, "bad-request");
    }

    private static void assertAmbiguousUrisAreProblems() throws IOException {
        for (String target : AMBIGUOUS) {
            for (String accept : ACCEPTS) {
                RawResponse response = send("GET " + target + " HTTP/1.1", accept);
                assertProblem(response, 400, "bad-request-uri");
                assertTrue(response.json().get("detail").asText().startsWith("the request URI is not accepted: "),
                        response.toString());
            }
        }
    }

    private static void assertProblem(RawResponse response, int status, String type) {
        assertEquals(status, response.status(), response.toString());
        assertTrue(String.valueOf(response.header("content-type")).startsWith("application/problem+json"), response.toString());
        JsonNode body = response.json();
        assertEquals("https://sliceplane.dev/problems/" + type, body.get("type").asText(), response.toString());
        assertEquals(status, body.get("status").asInt(), response.toString());
        String text = response.body().toLowerCase(Locale.ROOT);
        assertFalse(text.contains("jetty") || text.contains("<html") || text.contains("\tat "), response.toString());
        assertNull(response.header("server"), "no server version: " + response);
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: the server went away before it accepted the connection
        }
    }

    /** Writes {@code requestLine} unchanged, with {@code Accept} when not null, and reads the whole answer. */
    private static RawResponse send(String requestLine, String accept) throws IOException {
        String request = requestLine + "\r\nHost: " + node.address() + "\r\n"
                + (accept == null ? "" : "Accept: " + accept + "\r\n")
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket(node.address(), node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return RawResponse.read(requestLine, socket.getInputStream());
        }
    }

    private record RawResponse(String request, int status, Map<String, String> headers, String body) {

        static RawResponse read(String request, InputStream in) throws IOException {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no HTTP response to " + request + ": " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(request, Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }

        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }
}
