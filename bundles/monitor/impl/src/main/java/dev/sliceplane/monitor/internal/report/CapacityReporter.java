package dev.sliceplane.monitor.internal.report;

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

import dev.sliceplane.jose.Jws;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.ReportSink;
import dev.sliceplane.platform.api.health.HealthStatus;

/**
 * One round of the resource monitor's reporting: builds the node's capacity report from the node
 * manager's offer, the node's health and the monitor's latest measured figures (when there are
 * any), signs it with the node's key, delivers it to the agent (over HTTP to
 * {@code authorityUrl + /api/v1/agent/reports} with the node credential, or in-process on the
 * authority), hands the revocations in the answer to the node manager and the agent's clock to
 * {@link AuthorityClock}. Nothing here blocks a thread on the network: delivery is asynchronous.
 * Thread-safe.
 */
final class CapacityReporter {

    static final String TYPE = "capacity-report+jwt";
    static final String REPORTS_PATH = "/api/v1/agent/reports";

    /**
     * @param interval       how often reports go; {@code exp} is three intervals after {@code iat}
     * @param advertisedUrl  the node's API base URL, for service managers (resolved lazily: it may ask DNS)
     * @param requestTimeout how long one delivery may take
     */
    record Settings(Duration interval, Supplier<URI> advertisedUrl, Duration requestTimeout) {
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
    private final Supplier<HealthStatus> health;
    private final Supplier<ReportSink> localAgent;
    private final Supplier<Monitor> monitor;
    private final AuthorityClock authorityClock;
    private final Supplier<HttpClient> http;
    private final Settings settings;
    private final Executor executor;
    private final Clock clock;

    /**
     * @param health     the node's aggregate health now, as {@code /api/v1/health} reports it
     * @param localAgent the agent in this framework, or {@code null} when there is none
     * @param monitor    the monitor, for the measured figures; {@code null} when none runs (they are left out)
     */
    CapacityReporter(NodeSigner signer, LeaseLedger ledger, Supplier<HealthStatus> health,
            Supplier<ReportSink> localAgent, Supplier<Monitor> monitor, AuthorityClock authorityClock,
            Supplier<HttpClient> http, Settings settings, Executor executor, Clock clock) {
        this.signer = signer;
        this.ledger = ledger;
        this.health = health;
        this.localAgent = localAgent;
        this.monitor = monitor;
        this.authorityClock = authorityClock;
        this.http = http;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
    }

    /** Runs one round; the future never fails (a failure is an {@link Outcome} with a problem). */
    CompletableFuture<Outcome> reportOnce() {
        return CompletableFuture.supplyAsync(() -> signedReport(health.get().name()), executor)
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
        measured().ifPresent(figures -> {
            // Optional claims: the agent takes reports without them (a node whose monitor has no
            // sample yet, or an older reporter).
            if (figures.cpuBusy() != null) {
                claims.put("cpu_busy", figures.cpuBusy());
            }
            claims.put("load1", figures.load1());
            claims.put("mem_available", figures.memAvailableBytes());
        });
        return Jws.sign(TYPE, signer.hostname(), claims, signer::sign);
    }

    private Optional<NodeFigures> measured() {
        Monitor current = monitor.get();
        try {
            return current == null ? Optional.empty() : current.node();
        } catch (RuntimeException e) {
            return Optional.empty(); // a monitor being swapped out: report without the figures
        }
    }

    private CompletableFuture<Outcome> deliver(String report) {
        Optional<URI> authority = signer.authorityUrl();
        if (authority.isEmpty()) {
            ReportSink agent = localAgent.get();
            if (agent == null) {
                return CompletableFuture.completedFuture(Outcome.failed("no agent runs in this framework and no "
                        + "authority URL is known"));
            }
            return CompletableFuture.supplyAsync(() -> {
                ReportAnswer answer = agent.accept(signer.hostname(), report);
                authorityClock.isAuthority(clock.instant()); // the agent's clock is this process's
                return applied(answer);
            }, executor);
        }
        ObjectNode body = Jws.JSON.createObjectNode().put("report", report);
        HttpRequest request = HttpRequest.newBuilder(reportsUri(authority.get()))
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + signer.credential())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        Instant sent = clock.instant();
        return http.get().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApplyAsync(response -> answered(response, sent, clock.instant()), executor);
    }

    static URI reportsUri(URI authority) {
        String base = authority.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + REPORTS_PATH);
    }

    private Outcome answered(HttpResponse<byte[]> response, Instant sent, Instant received) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            return Outcome.failed("the agent answered " + response.statusCode() + ": "
                    + (text.length() > 500 ? text.substring(0, 500) : text));
        }
        ReportAnswer answer;
        try {
            answer = parseAnswer(Jws.JSON.readTree(text));
        } catch (IOException | RuntimeException e) {
            return Outcome.failed("the agent's answer is not understood: " + e.getMessage());
        }
        if (answer.time() != null) {
            authorityClock.measured(sent, received, answer.time());
        }
        return applied(answer);
    }

    /** Hands the revocations to the node manager. */
    private Outcome applied(ReportAnswer answer) {
        for (ReportAnswer.Revocation revocation : answer.revoked()) {
            ledger.revoked(revocation.ticket(), revocation.expires());
        }
        return new Outcome(true, Optional.ofNullable(answer.interval()), null);
    }

    /**
     * {@code {"interval":"PT10S","revoked":[{"ticket","expires"}],"time":<epoch ms>}}; expires ISO-8601
     * or epoch seconds; {@code time} (the agent's clock) optional: an older agent does not send it.
     */
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
        JsonNode time = answer.path("time");
        return new ReportAnswer(interval, revoked, time.isIntegralNumber() ? Instant.ofEpochMilli(time.asLong()) : null);
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
