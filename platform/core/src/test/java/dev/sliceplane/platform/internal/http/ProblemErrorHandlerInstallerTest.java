package dev.sliceplane.platform.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.platform.api.http.Problem;

/** A Jetty server on a free port, given the installer's connector the way Felix HTTP does. */
class ProblemErrorHandlerInstallerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;
    private ServerConnector http;
    private Request.Handler jettysHandler;
    private Connector connector;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        http = new ServerConnector(server);
        http.setPort(0);
        server.addConnector(http);
        http.start();
        jettysHandler = server.getErrorHandler();

        connector = new ProblemErrorHandlerInstaller().createConnector(server);
        server.addConnector(connector);
        connector.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/a%2Fb", "//node", "/api/v1//node", "/api/v1/..%2fnode", "/api/v1/%2e%2e/node",
            "/api/v1/%C0%AF"})
    void refusedUrisAreBadRequestUriProblems(String target) throws IOException {
        for (String accept : new String[] {null, "text/html", "application/json"}) {
            RawResponse response = send("GET " + target + " HTTP/1.1", accept);

            assertProblem(response, 400, "bad-request-uri");
            assertTrue(response.json().get("detail").asText().startsWith("the request URI is not accepted: "),
                    response.body());
        }
    }

    @Test
    void undecodableUriIsABadRequestProblem() throws IOException {
        assertProblem(send("GET /api/v1/%zz HTTP/1.1", null), 400, "bad-request");
    }

    @Test
    void unknownHttpVersionIsAProblem() throws IOException {
        assertProblem(send("GET /api/v1/node HTTP/7.1", null), 505, "http-version-not-supported");
    }

    @Test
    void headGetsTheStatusAndTypeWithoutABody() throws IOException {
        RawResponse response = send("HEAD /api/v1/a%2Fb HTTP/1.1", null);

        assertEquals(400, response.status());
        assertTrue(response.header("content-type").startsWith("application/problem+json"), response.toString());
        assertEquals("", response.body());
    }

    @Test
    void routesAreServedAsBefore() throws IOException {
        RawResponse response = send("GET /api/v1/node HTTP/1.1", null);

        assertEquals(200, response.status());
        assertEquals("ok", response.body());
    }

    @Test
    void theConnectorLeavesTheServersConnectorsToFelixsOwn() {
        // Felix lists every connector of the server as an endpoint and fails on any but a ServerConnector.
        assertArrayEquals(new Connector[] {http}, server.getConnectors());
        assertTrue(connector.isStarted());
    }

    @Test
    void theConnectorHasNoAcceptorThread() {
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().contains(ErrorHandlerConnector.class.getSimpleName())));
    }

    @Test
    void stoppingTheConnectorPutsJettysHandlerBack() throws Exception {
        assertNotSame(jettysHandler, server.getErrorHandler());

        connector.stop();
        server.removeConnector(connector);

        assertSame(jettysHandler, server.getErrorHandler());
        RawResponse response = send("GET /api/v1/a%2Fb HTTP/1.1", null);
        assertEquals(400, response.status());
        assertFalse(response.header("content-type").startsWith("application/problem+json"), response.toString());
    }

    @Test
    void aNewServerGetsItsOwnConnector() throws Exception {
        Server restarted = new Server();
        restarted.start();
        try {
            Connector again = new ProblemErrorHandlerInstaller().createConnector(restarted);
            restarted.addConnector(again);
            again.start();

            assertTrue(restarted.getErrorHandler() instanceof ProblemErrorHandler);
            assertNotSame(restarted.getErrorHandler(), server.getErrorHandler());
        } finally {
            restarted.stop();
        }
    }

    private static void assertProblem(RawResponse response, int status, String slug) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("application/problem+json;charset=utf-8", response.header("content-type"), response.toString());
        JsonNode body = response.json();
        assertEquals(Problem.TYPE_BASE + slug, body.get("type").asText());
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("title").asText().isBlank());
        assertFalse(response.body().toLowerCase(Locale.ROOT).contains("jetty"), response.body());
    }

    /** Writes the request line as given (a URI class would refuse or normalize it) and reads to the end. */
    private RawResponse send(String requestLine, String accept) throws IOException {
        String request = requestLine + "\r\nHost: localhost\r\n"
                + (accept == null ? "" : "Accept: " + accept + "\r\n")
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", http.getLocalPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return RawResponse.read(socket.getInputStream());
        }
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse read(InputStream in) throws IOException {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
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
