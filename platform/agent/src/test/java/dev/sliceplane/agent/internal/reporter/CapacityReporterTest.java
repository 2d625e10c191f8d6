package dev.sliceplane.agent.internal.reporter;

import static dev.sliceplane.agent.internal.Fixtures.res;
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
import java.nio.file.Path;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.sliceplane.agent.internal.Fixtures;
import dev.sliceplane.agent.internal.ReportSink;
import dev.sliceplane.agent.internal.agent.AgentHarness;
import dev.sliceplane.agent.internal.agent.NodeView;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/** The reporter against a real HTTP server standing in for the authority, and in-process against a real agent. */
class CapacityReporterTest {

    private static final String HOST = "node1.test";

    @TempDir
    Path directory;
    private final Ed25519PrivateKey nodeKey = Ed25519PrivateKey.generate(Fixtures.RANDOM);
    private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2026-11-26T04:00:00Z"));
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private final FakeLedger ledger = new FakeLedger();
    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile String answer = "{\"interval\":\"PT7S\",\"revoked\":[{\"ticket\":\"t-1\",\"expires\":\"2026-11-26T05:00:00Z\"}]}";

    /** The node manager's ledger, as the node manager will provide it. */
    static final class FakeLedger implements LeaseLedger {
        volatile NodeOffer offer = new NodeOffer(res(4, 4096), res(3, 2048), Set.of("r-2", "r-1"),
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
        for (int port = 18810; port < 18850 && server == null; port++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (BindException taken) {
                // try the next port of this branch's range
            }
        }
        assertNotNull(server, "no free port in 18810-18849");
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
        return new CapacityReporter(signer(authority), ledger, () -> checks, () -> local,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                new CapacityReporter.Settings(Duration.ofSeconds(10), () -> URI.create("http://127.0.0.1:18801"),
                        Duration.ofSeconds(5), Duration.ofMillis(300)), executor, clock);
    }

    private static CapacityReporter.Outcome await(CapacityReporter reporter) throws Exception {
        return reporter.reportOnce().get(20, TimeUnit.SECONDS);
    }

    @Test
    void postsASignedReportWithTheCredentialAndAppliesRevocations() throws Exception {
        checks.add(() -> HealthResult.up("fine"));
        checks.add(() -> HealthResult.warn("disk filling"));
        CapacityReporter.Outcome outcome = await(reporter(Optional.of(serverUri()), null));

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
    void failingOrHangingChecksMakeTheNodeDown() throws Exception {
        checks.add(() -> {
            throw new IllegalStateException("broken");
        });
        await(reporter(Optional.of(serverUri()), null));
        assertEquals("DOWN", Jws.unverifiedClaims(received.get(0).path("report").asText()).path("health").asText());

        checks.clear();
        checks.add(() -> {
            Thread.sleep(5_000);
            return HealthResult.up("too late");
        });
        long start = System.nanoTime();
        await(reporter(Optional.of(serverUri()), null));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "the deadline cut the check short");
        assertEquals("DOWN", Jws.unverifiedClaims(received.get(1).path("report").asText()).path("health").asText());
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
    void reportsInProcessToTheAgentOnTheAuthority() throws Exception {
        try (AgentHarness h = new AgentHarness(directory)) {
            h.nodes.records.put(HOST, new NodeRecord(HOST, "princeton", "boot", nodeKey.publicKey().bytes()));
            CapacityReporter reporter = new CapacityReporter(signer(Optional.empty()), ledger, () -> checks,
                    () -> h.agent, HttpClient.newHttpClient(), new CapacityReporter.Settings(Duration.ofSeconds(10),
                            () -> URI.create("http://127.0.0.1:18801"), Duration.ofSeconds(5), Duration.ofSeconds(1)),
                    executor, h.clock);
            CapacityReporter.Outcome outcome = await(reporter);
            assertTrue(outcome.delivered(), outcome.problem());
            assertEquals(Optional.of(AgentHarness.INTERVAL), outcome.interval());
            NodeView view = h.agent.nodes().get(0);
            assertEquals(HOST, view.hostname());
            assertEquals(res(3, 2048), view.advertised());
            assertEquals("UP", view.health());
            assertTrue(received.isEmpty(), "nothing went over HTTP");

            // A ticket the node's ledger names as released stops counting at the agent.
            var slice = h.slices.add("princeton_codeen", Duration.ofDays(1), 2);
            String id = h.agent.issue(slice, List.of(HOST), res(1, 1), Duration.ofHours(1), false).tickets().get(0)
                    .id();
            assertEquals(res(1, 1), h.agent.nodes().get(0).outstanding());
            ledger.offer = new NodeOffer(res(4, 4096), res(3, 2048), Set.of(), Set.of(id), 1.5);
            h.clock.advance(Duration.ofSeconds(10));
            assertTrue(await(reporter).delivered());
            assertEquals(dev.sliceplane.platform.api.acquisition.Resources.NONE, h.agent.nodes().get(0).outstanding());
            assertEquals("released", h.agent.ticket(id).orElseThrow().state(h.clock.instant()));
        }
        CapacityReporter.Outcome nowhere = await(reporter(Optional.empty(), null));
        assertFalse(nowhere.delivered());
        assertTrue(nowhere.problem().contains("no agent"));
    }

    @Test
    void theAnswerTakesEpochSecondsToo() {
        var answer = CapacityReporter.parseAnswer(Jws.JSON.createObjectNode().put("interval", "PT3S")
                .set("revoked", Jws.JSON.createArrayNode().add(Jws.JSON.createObjectNode().put("ticket", "x")
                        .put("expires", 1_800_000_000L))));
        assertEquals(Duration.ofSeconds(3), answer.interval());
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), answer.revoked().get(0).expires());
        assertEquals(URI.create("http://a:1/api/v1/agent/reports"), CapacityReporter.reportsUri(URI.create("http://a:1//")));
    }
}
