package dev.sliceplane.agent.internal.reporter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.agent.internal.ReportAnswer;
import dev.sliceplane.agent.internal.ReportSink;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.health.HealthCheck;

/**
 * One round of the resource monitor's reporting: builds the node's capacity report from the node
 * manager's offer and the node's health, signs it with the node's key, delivers it to the agent
 * (over HTTP to {@code authorityUrl + /api/v1/agent/reports} with the node credential, or
 * in-process on the authority) and hands the revocations in the answer to the node manager.
 * Nothing here blocks a thread on the network: delivery is asynchronous. Thread-safe.
 */
final class CapacityReporter {

    static final String TYPE = "capacity-report+jwt";
    static final String REPORTS_PATH = "/api/v1/agent/reports";

    /**
     * @param interval       how often reports go; {@code exp} is three intervals after {@code iat}
     * @param advertisedUrl  the node's API base URL, for service managers (resolved lazily: it may ask DNS)
     * @param requestTimeout how long one delivery may take
     * @param healthTimeout  how long one health check may take
     */
    record Settings(Duration interval, Supplier<URI> advertisedUrl, Duration requestTimeout, Duration healthTimeout) {
    }

    /**
     * What a round achieved.
     *
     * @param delivered whether the agent took the report
     * @param interval  the interval the agent asked for, when it answered
     * @param problem   why the round failed or was skipped, when it did
     */
    record Outcome(boolean delivered, Optional<Duration> interval, String problem) {
        static Outcome failed(String problem) {
            return new Outcome(false, Optional.empty(), problem);
        }
    }

    private final NodeSigner signer;
    private final LeaseLedger ledger;
    private final Supplier<List<HealthCheck>> checks;
    private final Supplier<ReportSink> localAgent;
    private final HttpClient http;
    private final Settings settings;
    private final Executor executor;
    private final Clock clock;

    CapacityReporter(NodeSigner signer, LeaseLedger ledger, Supplier<List<HealthCheck>> checks,
            Supplier<ReportSink> localAgent, HttpClient http, Settings settings, Executor executor, Clock clock) {
        this.signer = signer;
        this.ledger = ledger;
        this.checks = checks;
        this.localAgent = localAgent;
        this.http = http;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
    }

    /** Runs one round; the future never fails (a failure is an {@link Outcome} with a problem). */
    CompletableFuture<Outcome> reportOnce() {
        return NodeHealth.evaluate(checks.get(), executor, settings.healthTimeout())
                .thenApplyAsync(this::signedReport, executor)
                .thenCompose(this::deliver)
                .exceptionally(failure -> Outcome.failed(describe(failure)));
    }

    /** The signed report, {@code typ capacity-report+jwt}. */
    String signedReport(String health) {
        NodeOffer offer = ledger.offer();
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", signer.hostname());
        claims.put("sub", signer.hostname());
        claims.put("iat", now);
        claims.put("exp", now + settings.interval().multipliedBy(3).toSeconds());
        claims.put("url", settings.advertisedUrl().get().toString());
        claims.put("site", signer.site());
        claims.set("capacity", Jws.JSON.valueToTree(offer.capacity()));
        claims.set("free", Jws.JSON.valueToTree(offer.free()));
        claims.put("oversubscription", offer.oversubscription());
        ArrayNode redeemed = claims.putArray("redeemed");
        offer.redeemedTickets().stream().sorted().forEach(redeemed::add);
        ArrayNode released = claims.putArray("released");
        offer.releasedTickets().stream().sorted().forEach(released::add);
        claims.put("health", health);
        return Jws.sign(TYPE, signer.hostname(), claims, signer::sign);
    }

    private CompletableFuture<Outcome> deliver(String report) {
        Optional<URI> authority = signer.authorityUrl();
        if (authority.isEmpty()) {
            ReportSink agent = localAgent.get();
            if (agent == null) {
                return CompletableFuture.completedFuture(Outcome.failed("no agent runs in this framework and no "
                        + "authority URL is known"));
            }
            return CompletableFuture.supplyAsync(() -> applied(agent.accept(signer.hostname(), report)), executor);
        }
        ObjectNode body = Jws.JSON.createObjectNode().put("report", report);
        HttpRequest request = HttpRequest.newBuilder(reportsUri(authority.get()))
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + signer.credential())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApplyAsync(this::answered, executor);
    }

    static URI reportsUri(URI authority) {
        String base = authority.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + REPORTS_PATH);
    }

    private Outcome answered(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            return Outcome.failed("the agent answered " + response.statusCode() + ": "
                    + (text.length() > 500 ? text.substring(0, 500) : text));
        }
        try {
            return applied(parseAnswer(Jws.JSON.readTree(text)));
        } catch (IOException | RuntimeException e) {
            return Outcome.failed("the agent's answer is not understood: " + e.getMessage());
        }
    }

    /** Hands the revocations to the node manager. */
    private Outcome applied(ReportAnswer answer) {
        for (ReportAnswer.Revocation revocation : answer.revoked()) {
            ledger.revoked(revocation.ticket(), revocation.expires());
        }
        return new Outcome(true, Optional.ofNullable(answer.interval()), null);
    }

    /** {@code {"interval":"PT10S","revoked":[{"ticket","expires"}]}}; expires ISO-8601 or epoch seconds. */
    static ReportAnswer parseAnswer(JsonNode answer) {
        Duration interval = null;
        if (answer.path("interval").isTextual()) {
            try {
                interval = Duration.parse(answer.path("interval").asText());
            } catch (DateTimeParseException e) {
                interval = null; // keep our own
            }
        }
        List<ReportAnswer.Revocation> revoked = new ArrayList<>();
        for (JsonNode entry : answer.path("revoked")) {
            String ticket = entry.path("ticket").asText("");
            JsonNode expires = entry.path("expires");
            if (ticket.isEmpty()) {
                throw new IllegalArgumentException("a revocation without a ticket id");
            }
            revoked.add(new ReportAnswer.Revocation(ticket, expires.isNumber()
                    ? Instant.ofEpochSecond(expires.asLong()) : Instant.parse(expires.asText())));
        }
        return new ReportAnswer(interval, revoked);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
