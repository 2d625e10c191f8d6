package dev.sliceplane.discovery.web.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * Asks many nodes the same GET at once and waits at most a deadline for all of them together:
 * a node that has not answered by then is reported missing, never waited for. Each node's answer
 * is kept with its status, so the caller decides what a 4xx means. Thread-safe.
 */
final class ClusterFanOut {

    /** A node that answered in time: its HTTP status and JSON body (null when the body was not JSON). */
    record Answer(String node, int status, JsonNode body) {
    }

    /** A node that gave no usable answer in time, and why. */
    record Missing(String node, String reason) {
    }

    /** Every node asked, sorted into answers and missing, each in the order the nodes were given. */
    record Result(List<Answer> answers, List<Missing> missing) {
    }

    private final Supplier<HttpClient> http;
    private final ObjectMapper json;

    ClusterFanOut(Supplier<HttpClient> http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /**
     * GETs {@code pathAndQuery} (starting with {@code /}) from every node's URL with {@code
     * authorization} (when not null), and returns once every node answered or {@code deadline} passed.
     */
    Result ask(List<NodeAdvert> nodes, String pathAndQuery, String authorization, Duration deadline) {
        List<CompletableFuture<Object>> pending = new ArrayList<>(nodes.size());
        for (NodeAdvert node : nodes) {
            pending.add(askOne(node, pathAndQuery, authorization, deadline));
        }
        List<Answer> answers = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        for (CompletableFuture<Object> each : pending) {
            Object outcome = each.join(); // never throws: askOne turns every failure into Missing
            if (outcome instanceof Answer answer) {
                answers.add(answer);
            } else {
                missing.add((Missing) outcome);
            }
        }
        return new Result(answers, missing);
    }

    private CompletableFuture<Object> askOne(NodeAdvert node, String pathAndQuery, String authorization,
            Duration deadline) {
        if (node.url() == null) {
            return CompletableFuture.completedFuture(new Missing(node.hostname(), "no URL advertised"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(node.url(), pathAndQuery))
                .timeout(deadline).header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.get().sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .<Object>thenApply(response -> new Answer(node.hostname(), response.statusCode(), parse(response.body())))
                .exceptionally(failure -> new Missing(node.hostname(), reason(failure, deadline)));
    }

    private static URI resolve(URI base, String pathAndQuery) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + pathAndQuery);
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String reason(Throwable failure, Duration deadline) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "no answer within " + deadline.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "unreachable";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
