package dev.sliceplane.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * TEST FIXTURE, not the node: a JDK HttpServer on loopback that answers the routes a test scripts
 * the way the accounts contract says the node does (JSON bodies, problem documents for errors), and
 * records every request so the test can check what the command line sent.
 */
public final class FixtureNode implements AutoCloseable {

    /** A request as it arrived. */
    public record Request(String method, String path, String authorization, String contentType, String body) {
    }

    /** An answer. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        public static Answer problem(int status, String slug, String detail) {
            return new Answer(status, "application/problem+json", "{\"type\":\"https://sliceplane.dev/problems/" + slug
                    + "\",\"title\":\"" + slug + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
        }

        public static Answer noContent() {
            return new Answer(204, "", "");
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FixtureNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code method pathAndQuery} (exactly as sent, still encoded) with {@code answer}. */
    public FixtureNode on(String method, String pathAndQuery, Answer answer) {
        return on(method, pathAndQuery, request -> answer);
    }

    public FixtureNode on(String method, String pathAndQuery, Function<Request, Answer> answer) {
        routes.put(method + " " + pathAndQuery, answer);
        return this;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        Request request = new Request(exchange.getRequestMethod(), target,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Function<Request, Answer> route = routes.get(request.method() + " " + target);
        Answer answer = route == null ? Answer.problem(404, "not-found", "no route " + target) : route.apply(request);
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        if (!answer.contentType().isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
