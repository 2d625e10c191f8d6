package dev.sliceplane.discovery.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;

/**
 * Probe rounds over real HTTP on loopback: an authority stand-in answering the accounts and agent
 * node lists only to the right credential, and nodes answering health and their advertisement.
 */
class ProbeRoundsTest {

    private static final String CREDENTIAL = "node-credential-jws";
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> unauthorized = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().executor(pool).build();
    private final View view = new View(3);
    private final List<View.Event> events = new CopyOnWriteArrayList<>();
    private final Duration timeout = Duration.ofMillis(1500);
    private final Prober prober = new Prober(http, JSON, timeout, Clock.systemUTC());
    private final ProbeRounds rounds = new ProbeRounds(new RegistryReader(http, JSON, timeout), prober, view,
            events::addAll);
    private volatile String nodeList = "[]";
    private volatile String agentList = "[]";

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
        pool.shutdownNow();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private HttpServer serve(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        servers.add(server);
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private boolean authorized(HttpExchange exchange) {
        boolean ok = ("Bearer " + CREDENTIAL).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!ok) {
            unauthorized.add(exchange.getRequestURI().toString());
        }
        return ok;
    }

    private String authority() throws IOException {
        return url(serve(exchange -> {
            if (!authorized(exchange)) {
                reply(exchange, 401, "{}");
            } else if (exchange.getRequestURI().toString().equals(RegistryReader.ACCOUNTS_NODES)) {
                reply(exchange, 200, nodeList);
            } else if (exchange.getRequestURI().getPath().equals(RegistryReader.AGENT_NODES)) {
                reply(exchange, 200, agentList);
            } else {
                reply(exchange, 404, "{}");
            }
        }));
    }

    /** A node that answers health, and its advertisement when {@code advertises}. */
    private HttpServer node(String hostname, boolean advertises) throws IOException {
        return serve(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(Prober.HEALTH)) {
                reply(exchange, 200, "{\"status\":\"WARN\"}");
            } else if (path.equals(Prober.SELF) && advertises && authorized(exchange)) {
                reply(exchange, 200, JSON.writeValueAsString(new NodeAdvert(hostname, "ignored", URI.create("http://x"),
                        List.of("node"), "0.1.0", "Princeton", 8, 0.25, 1.5, 16L << 30, 4L << 30, 100L << 30,
                        50L << 30, 3, "UP", Instant.parse("2026-11-26T08:00:00Z"), null, Liveness.SUSPECT)));
            } else {
                reply(exchange, 404, "{}");
            }
        });
    }

    private void run(String authority) throws Exception {
        rounds.run(new ProbeRounds.Access(URI.create(authority), CREDENTIAL, null)).get(10, TimeUnit.SECONDS);
    }

    private Optional<NodeAdvert> node(String hostname) {
        return view.node(hostname);
    }

    @Test
    void bootedNodesWithAnAddressAreProbedAndADeadOneIsSuspectThenGone() throws Exception {
        HttpServer a = node("a.test", true);
        HttpServer b = node("b.test", false);
        String authority = authority();
        nodeList = "[{\"hostname\":\"a.test\",\"site\":\"princeton\",\"bootState\":\"BOOT\"},"
                + "{\"hostname\":\"b.test\",\"site\":\"mit\",\"bootState\":\"BOOT\"},"
                + "{\"hostname\":\"c.test\",\"site\":\"mit\",\"bootState\":\"DISABLED\"}]";
        agentList = "[{\"hostname\":\"a.test\",\"url\":\"" + url(a) + "\"},{\"hostname\":\"b.test\",\"url\":\""
                + url(b) + "\"},{\"hostname\":\"c.test\",\"url\":\"http://127.0.0.1:9\"}]";

        run(authority);
        assertTrue(unauthorized.isEmpty(), unauthorized.toString());
        NodeAdvert first = node("a.test").orElseThrow();
        assertEquals(Liveness.ALIVE, first.liveness());
        assertEquals(8, first.cores(), "its own advertisement's figures");
        assertEquals(0.25, first.cpuBusy());
        assertEquals("princeton", first.site(), "the site is the registry's, not what the node says");
        assertEquals(URI.create(url(a)), first.url(), "the address is the agent's");
        assertEquals("WARN", first.health(), "health from the probe");
        NodeAdvert second = node("b.test").orElseThrow();
        assertEquals(Liveness.ALIVE, second.liveness(), "answers health though it advertises nothing");
        assertEquals("mit", second.site());
        assertTrue(node("c.test").isEmpty(), "not booted");
        assertEquals(2, events.stream().filter(e -> e instanceof View.Joined).count());
        DiscoveryCounters counted = prober.counters(0);
        assertEquals(2, counted.advertsReceived(), "two probes answered: " + counted);
        assertEquals(0, counted.advertsRejected());
        assertTrue(counted.bytesReceived() > 0, counted.toString());
        assertEquals(DiscoveryCounters.NOT_COUNTED, counted.bytesSent(), "requests are not counted");

        b.stop(0);
        run(authority);
        assertEquals(Liveness.SUSPECT, node("b.test").orElseThrow().liveness());
        run(authority);
        run(authority);
        assertTrue(node("b.test").isEmpty(), "gone after three missed probes");
        assertTrue(events.contains(new View.Left("b.test", true)), events.toString());
        assertEquals(Liveness.ALIVE, node("a.test").orElseThrow().liveness());
        assertEquals(5, prober.counters(0).advertsReceived(), "a answered three more rounds, b none");
    }

    @Test
    void withoutTheAuthorityTheLastMembersAreStillProbed() throws Exception {
        HttpServer a = node("a.test", true);
        HttpServer authorityServer = serve(exchange -> {
            if (exchange.getRequestURI().toString().equals(RegistryReader.ACCOUNTS_NODES)) {
                reply(exchange, 200, "[{\"hostname\":\"a.test\",\"site\":\"princeton\",\"bootState\":\"boot\"}]");
            } else {
                reply(exchange, 200, "[{\"hostname\":\"a.test\",\"url\":\"" + url(a) + "\"}]");
            }
        });
        run(url(authorityServer));
        assertEquals(Liveness.ALIVE, node("a.test").orElseThrow().liveness());
        authorityServer.stop(0);
        a.stop(0);
        run(url(authorityServer));
        assertEquals(Liveness.SUSPECT, node("a.test").orElseThrow().liveness(), "probed from the last list");
    }

    @Test
    void onTheAuthorityTheRegistryIsReadInProcess() throws Exception {
        HttpServer a = node("a.test", false);
        String authority = authority();
        nodeList = "[]"; // would list nothing: the directory must be what is read
        agentList = "[{\"hostname\":\"a.test\",\"url\":\"" + url(a) + "\"}]";
        NodeDirectory directory = new NodeDirectory() {
            @Override
            public Optional<NodeRecord> node(String hostname) {
                return nodes().stream().filter(n -> n.hostname().equals(hostname)).findFirst();
            }

            @Override
            public List<NodeRecord> nodes() {
                return List.of(new NodeRecord("a.test", "princeton", "boot", null),
                        new NodeRecord("z.test", "princeton", "safeboot", null));
            }
        };
        rounds.run(new ProbeRounds.Access(URI.create(authority), CREDENTIAL, directory)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a.test"), view.nodes().stream().map(NodeAdvert::hostname).toList());
    }

    @Test
    void aRoundCompletesWhenTheHttpClientsExecutorIsStopped() throws Exception {
        HttpServer a = node("a.test", true);
        String authority = authority();
        agentList = "[{\"hostname\":\"a.test\",\"url\":\"" + url(a) + "\"}]";
        nodeList = "[{\"hostname\":\"a.test\",\"site\":\"princeton\",\"bootState\":\"boot\"}]";
        run(authority);
        assertEquals(Liveness.ALIVE, node("a.test").orElseThrow().liveness());
        // As when the slice stops under a round: the client refuses at once instead of failing its future.
        pool.shutdownNow();
        rounds.run(new ProbeRounds.Access(URI.create(authority), CREDENTIAL, null)).get(10, TimeUnit.SECONDS);
        assertEquals(Liveness.SUSPECT, node("a.test").orElseThrow().liveness(), "a round that reached nobody");
    }
}
