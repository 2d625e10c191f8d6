package dev.sliceplane.monitor.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.ReportSink;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.http.LazyHttpClient;

/**
 * The reporter against a real HTTP server standing in for the authority, and in-process against an
 * agent that checks the report's signature (the agent itself is tested in its own bundle).
 */
class CapacityReporterTest {

    private static final String HOST = "node1.test";

    private final Ed25519PrivateKey nodeKey = Ed25519PrivateKey.generate(new java.security.SecureRandom());
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2026-11-26T04:00:00Z"));
    private final AuthorityClock authorityClock = new AuthorityClock();
    private volatile Monitor monitor;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private volatile HealthStatus health = HealthStatus.UP;
    private final FakeLedger ledger = new FakeLedger();
    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    /** HTTP clients the reporters under test built: only a report sent over HTTP needs one. */
    private final AtomicInteger httpClientsBuilt = new AtomicInteger();
    private volatile int status = 200;
    private volatile String answer = "{\"interval\":\"PT7S\",\"revoked\":[{\"ticket\":\"t-1\",\"expires\":\"2026-11-26T05:00:00Z\"}],"
            + "\"time\":" + Instant.parse("2026-11-26T04:00:02.500Z").toEpochMilli() + "}";

    /** The node manager's ledger, as the node manager will provide it. */
    static final class FakeLedger implements LeaseLedger {
        volatile NodeOffer offer = new NodeOffer(Fixtures.res(4, 4096), Fixtures.res(3, 2048), Set.of("r-2", "r-1"),
                Set.of("e-2", "e-1"), 1.5);
        final Map<String, Instant> revoked = new ConcurrentHashMap<>();

        @Override
        public NodeOffer offer() {
            return offer;
        }

        @Override
        public void revoked(String ticketId, Instant expires) {
            revoked.put(ticketId, expires);
        }
    }

    private NodeSigner signer(Optional<URI> authority) {
        return new NodeSigner() {
            @Override
            public String hostname() {
                return HOST;
            }

            @Override
            public String site() {
                return "princeton";
            }

            @Override
            public String credential() {
                return "node-credential-jws";
            }

            @Override
            public Optional<URI> authorityUrl() {
                return authority;
            }

            @Override
            public byte[] publicKey() {
                return nodeKey.publicKey().bytes();
            }

            @Override
            public byte[] sign(byte[] message) {
                return nodeKey.sign(message);
            }
        };
    }

    @BeforeEach
    void startServer() throws IOException {
        for (int port = 18310; port < 18350 && server == null; port++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (BindException taken) {
                // try the next port of this branch's range
            }
        }
        assertNotNull(server, "no free port in 18310-18349");
        server.createContext("/api/v1/agent/reports", exchange -> {
            headers.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            headers.put("content-type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            headers.put("method", exchange.getRequestMethod());
            received.add(Jws.JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private URI serverUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private CapacityReporter reporter(Optional<URI> authority, ReportSink local) {
        return new CapacityReporter(signer(authority), ledger, () -> health, () -> local, () -> monitor,
                authorityClock, new LazyHttpClient(() -> {
                    httpClientsBuilt.incrementAndGet();
                    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                }),
                new CapacityReporter.Settings(Duration.ofSeconds(10), () -> URI.create("http://127.0.0.1:18801"),
                        Duration.ofSeconds(5)), executor, clock);
    }

    private static CapacityReporter.Outcome await(CapacityReporter reporter) throws Exception {
        return reporter.reportOnce().get(20, TimeUnit.SECONDS);
    }

    @Test
    void postsASignedReportWithTheCredentialAndAppliesRevocations() throws Exception {
        health = HealthStatus.WARN;
        CapacityReporter reporter = reporter(Optional.of(serverUri()), null);
        assertEquals(0, httpClientsBuilt.get(), "the HTTP client is built when the first report is sent");
        CapacityReporter.Outcome outcome = await(reporter);
        assertTrue(await(reporter).delivered());
        assertEquals(1, httpClientsBuilt.get(), "and then reused");

        assertTrue(outcome.delivered(), outcome.problem());
        assertEquals(Optional.of(Duration.ofSeconds(7)), outcome.interval());
        assertEquals("Bearer node-credential-jws", headers.get("authorization"));
        assertEquals("POST", headers.get("method"));
        assertTrue(headers.get("content-type").startsWith("application/json"));
        assertEquals(Map.of("t-1", Instant.parse("2026-11-26T05:00:00Z")), ledger.revoked);

        VerifiedJws report = Jws.verify(received.get(0).path("report").asText(), "capacity-report+jwt",
                kid -> kid.equals(HOST) ? nodeKey.publicKey() : null);
        JsonNode claims = report.claims();
        assertEquals(HOST, claims.path("iss").asText());
        assertEquals(HOST, claims.path("sub").asText());
        assertEquals(clock.instant().getEpochSecond(), claims.path("iat").asLong());
        assertEquals(30, claims.path("exp").asLong() - claims.path("iat").asLong(), "three intervals");
        assertEquals("http://127.0.0.1:18801", claims.path("url").asText());
        assertEquals("princeton", claims.path("site").asText());
        assertEquals(4.0, claims.path("capacity").path("cpu").asDouble());
        assertEquals(2048L << 20, claims.path("free").path("memory").asLong());
        assertEquals(1.5, claims.path("oversubscription").asDouble());
        assertEquals("[\"r-1\",\"r-2\"]", claims.path("redeemed").toString());
        assertEquals("[\"e-1\",\"e-2\"]", claims.path("released").toString());
        assertEquals("WARN", claims.path("health").asText());
    }

    @Test
    void eachReportCarriesTheNodesHealthAsItIsThen() throws Exception {
        CapacityReporter reporter = reporter(Optional.of(serverUri()), null);
        health = HealthStatus.DOWN;
        await(reporter);
        health = HealthStatus.STARTING;
        await(reporter);
        assertEquals(List.of("DOWN", "STARTING"), received.stream()
                .map(body -> Jws.unverifiedClaims(body.path("report").asText()).path("health").asText()).toList());
    }

    @Test
    void refusalsAndAnUnreachableAuthorityAreOutcomesNotExceptions() throws Exception {
        status = 403;
        answer = "{\"type\":\"https://sliceplane.dev/problems/report-forged\"}";
        CapacityReporter.Outcome refused = await(reporter(Optional.of(serverUri()), null));
        assertFalse(refused.delivered());
        assertTrue(refused.problem().contains("403") && refused.problem().contains("report-forged"), refused.problem());
        assertTrue(ledger.revoked.isEmpty());

        status = 200;
        answer = "not json";
        assertTrue(await(reporter(Optional.of(serverUri()), null)).problem().contains("not understood"));

        URI gone = serverUri();
        server.stop(0);
        CapacityReporter.Outcome unreachable = await(reporter(Optional.of(gone), null));
        assertFalse(unreachable.delivered());
        assertTrue(unreachable.problem().contains("ConnectException"), unreachable.problem());
    }

    @Test
    void reportsInProcessToTheAgentOnTheAuthorityWhoseClockIsOurs() throws Exception {
        List<VerifiedJws> taken = new CopyOnWriteArrayList<>();
        ReportSink agent = (caller, jws) -> {
            assertEquals(HOST, caller);
            taken.add(Jws.verify(jws, "capacity-report+jwt", kid -> kid.equals(HOST) ? nodeKey.publicKey() : null));
            return new ReportAnswer(Duration.ofSeconds(4), List.of(new ReportAnswer.Revocation("t-9",
                    Instant.parse("2026-11-26T06:00:00Z"))), clock.instant());
        };
        CapacityReporter.Outcome outcome = await(reporter(Optional.empty(), agent));

        assertTrue(outcome.delivered(), outcome.problem());
        assertEquals(Optional.of(Duration.ofSeconds(4)), outcome.interval());
        assertEquals(1, taken.size());
        assertEquals("[\"r-1\",\"r-2\"]", taken.get(0).claims().path("redeemed").toString());
        assertEquals(Map.of("t-9", Instant.parse("2026-11-26T06:00:00Z")), ledger.revoked);
        assertTrue(received.isEmpty(), "nothing went over HTTP");
        assertEquals(0, httpClientsBuilt.get(), "reporting in process builds no HTTP client (nor loads TLS trust)");
        AuthorityClock.Offset offset = authorityClock.latest().orElseThrow();
        assertEquals(0.0, offset.offsetSeconds(), "the authority's clock is the reference");
        assertEquals(clock.instant(), offset.measuredAt());

        CapacityReporter.Outcome nowhere = await(reporter(Optional.empty(), null));
        assertFalse(nowhere.delivered());
        assertTrue(nowhere.problem().contains("no agent"));
    }

    @Test
    void theAgentsClockGivesTheOffset() throws Exception {
        assertTrue(await(reporter(Optional.of(serverUri()), null)).delivered());

        // The test clock stands still, so the round trip is 0 and the offset exactly the difference.
        AuthorityClock.Offset offset = authorityClock.latest().orElseThrow();
        assertEquals(2.5, offset.offsetSeconds(), 1e-9);
        assertEquals(0.0, offset.errorSeconds(), 1e-9);

        // An older agent without "time": the report still counts, the last measurement stays.
        answer = "{\"interval\":\"PT7S\",\"revoked\":[]}";
        clock.advance(Duration.ofSeconds(10));
        assertTrue(await(reporter(Optional.of(serverUri()), null)).delivered());
        assertEquals(offset, authorityClock.latest().orElseThrow());
    }

    @Test
    void measuredFiguresTravelWhenTheMonitorHasThem() throws Exception {
        await(reporter(Optional.of(serverUri()), null));
        JsonNode without = claims(0);
        assertTrue(without.path("cpu_busy").isMissingNode() && without.path("load1").isMissingNode()
                && without.path("mem_available").isMissingNode(), "no monitor, no figures: " + without);

        monitor = Fixtures.monitor(Fixtures.figures(clock.instant(), null, 0.75, 3L << 30));
        await(reporter(Optional.of(serverUri()), null));
        JsonNode first = claims(1);
        assertTrue(first.path("cpu_busy").isMissingNode(), "no rate before the second sample");
        assertEquals(0.75, first.path("load1").asDouble());
        assertEquals(3L << 30, first.path("mem_available").asLong());

        monitor = Fixtures.monitor(Fixtures.figures(clock.instant(), 0.25, 1.5, 2L << 30));
        await(reporter(Optional.of(serverUri()), null));
        assertEquals(0.25, claims(2).path("cpu_busy").asDouble());

        monitor = Fixtures.monitor(null);
        await(reporter(Optional.of(serverUri()), null));
        assertTrue(claims(3).path("load1").isMissingNode(), "no sample yet");
    }

    private JsonNode claims(int index) {
        return Jws.unverifiedClaims(received.get(index).path("report").asText());
    }

    @Test
    void theAnswerTakesEpochSecondsToo() {
        var answer = CapacityReporter.parseAnswer(Jws.JSON.createObjectNode().put("interval", "PT3S")
                .set("revoked", Jws.JSON.createArrayNode().add(Jws.JSON.createObjectNode().put("ticket", "x")
                        .put("expires", 1_800_000_000L))));
        assertEquals(Duration.ofSeconds(3), answer.interval());
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), answer.revoked().get(0).expires());
        assertEquals(null, answer.time(), "an agent that does not send its clock");
        assertEquals(URI.create("http://a:1/api/v1/agent/reports"), CapacityReporter.reportsUri(URI.create("http://a:1//")));
    }
}
