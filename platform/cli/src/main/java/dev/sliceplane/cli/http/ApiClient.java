package dev.sliceplane.cli.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One node's JSON API over {@code java.net.http}: sends a request, returns the answer's JSON
 * (or {@link MissingNode} for an empty answer such as 204), and turns everything else into the
 * command line's two failures: {@link ApiProblemException} when the node answered with an error
 * status, {@link NodeUnreachableException} when it did not answer.
 *
 * <p>{@link #close()} stops the client's threads. Java 17's {@code HttpClient} cannot be closed
 * (that comes in Java 21), and its selector thread waits for I/O in native code, which makes the
 * JVM's exit wait up to 300 ms for it: a third of a command's run. The client is therefore made
 * from a thread of a group of its own, so its selector thread (which ends its loop when
 * interrupted) and the threads it starts can be interrupted together.
 */
public final class ApiClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_WAIT_MILLIS = 100;

    private final URI node;
    private final ObjectMapper json;
    private final ProblemReader problems;
    private final ThreadGroup threads = new ThreadGroup("sliceplane-http");
    private final HttpClient http;
    private HttpClient anyHost;

    public ApiClient(URI node, ObjectMapper json) {
        this.node = node;
        this.json = json;
        this.problems = new ProblemReader(json);
        this.http = buildInOwnThreadGroup("http".equalsIgnoreCase(node.getScheme()));
    }

    private HttpClient buildInOwnThreadGroup(boolean plainHttp) {
        AtomicReference<HttpClient> built = new AtomicReference<>();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread builder = new Thread(threads, () -> {
            try {
                built.set(build(plainHttp));
            } catch (RuntimeException e) {
                failed.set(e);
            }
        }, "sliceplane-http-client");
        builder.start();
        try {
            builder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the HTTP client", e);
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return built.get();
    }

    private static HttpClient build(boolean plainHttp) {
        // HTTP/1.1: the node speaks it, and a cleartext HTTP/2 upgrade attempt would only add a round of headers.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (plainHttp) {
            builder.sslContext(trustNothing());
        }
        return builder.build();
    }

    /**
     * An HTTP client for other hosts the node's answers point to (the nodes of a slice, which may
     * use TLS even when this node does not), in this client's thread group so {@link #close()}
     * stops it too. Made on first use: it pays for the JDK's default TLS context.
     */
    public synchronized HttpClient httpClientForAnyHost() {
        if (anyHost == null) {
            anyHost = buildInOwnThreadGroup(false);
        }
        return anyHost;
    }

    /** Stops the client's threads (see the class comment), waiting briefly for them to end. */
    @Override
    public void close() {
        threads.interrupt();
        Thread[] running = new Thread[threads.activeCount() + 4];
        int count = threads.enumerate(running);
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        try {
            for (int i = 0; i < count; i++) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left > 0) {
                    running[i].join(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For plain-http nodes: without a context of its own the client builds the JDK's default one,
     * which loads and parses every CA certificate (about 0.1 s of CPU, a fifth of a command's
     * start-up) for a TLS connection that is never made. This one trusts nothing; the client only
     * ever talks to the node's own http URL.
     */
    private static SSLContext trustNothing() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has TLS", e);
        }
    }

    /** The node's base URL, e.g. {@code http://localhost:8080}. */
    public URI node() {
        return node;
    }

    /**
     * Sends {@code method path} with an optional JSON body and bearer token.
     *
     * @param body   null for no body
     * @param bearer null to send no {@code Authorization}
     */
    public JsonNode send(String method, String path, JsonNode body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response = exchange(request.build());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        int status = response.statusCode();
        if (status >= 400) {
            throw problems.read(status, contentType, response.body());
        }
        if (response.body().isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ApiProblemException(status, "unreadable-answer",
                    "the node answered " + status + " with a body that is not JSON (" + contentType + ")");
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NodeUnreachableException(node, reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnreachableException(node, "interrupted");
        }
    }

    /** Why no answer came, in a few words (the JDK's messages are often null or internal). */
    static String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
