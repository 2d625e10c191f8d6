package dev.sliceplane.client.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * TEST FIXTURE: a JDK HttpServer on loopback playing one of the contract's servers. Requires the
 * bearer token {@link #TOKEN} (else 401, as the real servers do), records every request, and
 * answers through {@link #answer}.
 */
public abstract class FakeServer implements AutoCloseable {

    public static final String TOKEN = "tok";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived. */
    public record Request(String method, String target, String authorization, JsonNode body) {
        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** An answer: a status and a JSON body (null for none). */
    public record Answer(int status, JsonNode body) {
        public static Answer json(int status, JsonNode body) {
            return new Answer(status, body);
        }

        /** An RFC 9457 problem with the contract's reasons, each {check, node, rule, detail}. */
        public static Answer problem(int status, String type, String detail, String[]... reasons) {
            ObjectNode problem = JSON.createObjectNode().put("type", "https://sliceplane.dev/problems/" + type)
                    .put("title", type).put("status", status).put("detail", detail);
            ArrayNode chain = problem.putArray("reasons");
            for (String[] reason : reasons) {
                chain.addObject().put("check", reason[0]).put("node", reason[1]).put("rule", reason[2])
                        .put("detail", reason[3]);
            }
            return new Answer(status, problem);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String token = TOKEN;

    protected FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests as {@code METHOD target}, e.g. {@code POST /api/v1/leases}. */
    public List<String> requestLines() {
        return requests.stream().map(Request::toString).toList();
    }

    /** From now on only this token is accepted (a rotation, to test refreshing). */
    public void acceptOnly(String newToken) {
        this.token = newToken;
    }

    protected abstract Answer answer(Request request);

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            Request request = new Request(exchange.getRequestMethod(), target,
                    exchange.getRequestHeaders().getFirst("Authorization"), body);
            requests.add(request);
            Answer answer = ("Bearer " + token).equals(request.authorization()) ? answer(request)
                    : Answer.problem(401, "unauthorized", "a valid bearer token is needed");
            byte[] bytes = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
            if (answer.body() != null) {
                exchange.getResponseHeaders().set("Content-Type",
                        answer.status() >= 400 ? "application/problem+json" : "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            // A bug in the fixture: show it in the test output rather than as a dropped connection.
            e.printStackTrace();
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
