package dev.sliceplane.discovery.web.internal;

import static dev.sliceplane.discovery.web.internal.FakeDiscovery.advert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sliceplane.discovery.api.Liveness;

/**
 * The cluster tables' fan-out over real HTTP: three small monitor stand-ins on loopback (one
 * holds its answer past the deadline), and the servlet in Jetty in front of a view naming them.
 */
class ClusterMonitorServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.now();

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
    private final List<HttpServer> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        String a = node("a", "{\"name\":\"a_s1\",\"cpu\":0.5}", "{\"name\":\"a_s2\",\"cpu\":2.0}");
        String b = node("b", "{\"name\":\"b_s1\",\"cpu\":1.0}");
        String slow = slowNode();
        FakeDiscovery discovery = new FakeDiscovery(
                advert("a.test", "x", a, 4, 0.5, 2, NOW, Liveness.ALIVE),
                advert("b.test", "x", b, 4, 0.5, 2, NOW, Liveness.ALIVE),
                advert("c.test", "x", slow, 4, 0.5, 2, NOW, Liveness.ALIVE),
                advert("d.test", "x", "http://127.0.0.1:9", 4, 0.5, 2, NOW, Liveness.SUSPECT));
        server = new WebServer().serve(new ClusterMonitorServlet(new ActiveDiscovery(discovery), pool,
                Duration.ofMillis(1500), Clock.systemUTC()), ClusterMonitorServlet.PATH + "/*");
        base = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        releaseSlow.countDown();
        server.close();
        nodes.forEach(n -> n.stop(0));
        pool.shutdownNow();
    }

    /** A node whose monitor answers its slivers table with these rows, or 400 for a where naming {@code bad}. */
    private String node(String name, String... rows) throws IOException {
        return serve(exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String query = exchange.getRequestURI().getQuery();
            if (query != null && query.contains("bad")) {
                reply(exchange, 400, "{\"type\":\"https://sliceplane.dev/problems/invalid-query\",\"status\":400,"
                        + "\"detail\":\"unknown attribute 'bad'\",\"parameter\":\"where\",\"term\":\"bad>1\"}");
                return;
            }
            if (exchange.getRequestURI().getPath().equals("/api/v1/monitor/node")) {
                reply(exchange, 200, "{\"at\":\"" + NOW + "\",\"maxAgeSeconds\":3,\"hostname\":\"" + name
                        + ".test\",\"cores\":4,\"load1\":0.5}");
                return;
            }
            reply(exchange, 200, "{\"at\":\"" + NOW + "\",\"maxAgeSeconds\":3,\"simulated\":true,"
                    + "\"columns\":[\"name\",\"cpu\"],\"rows\":[" + String.join(",", rows) + "]}");
        });
    }

    /** A node that answers only once the test ends: far past any deadline. */
    private String slowNode() throws IOException {
        return serve(exchange -> {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{\"columns\":[\"name\",\"cpu\"],\"rows\":[{\"name\":\"late\",\"cpu\":9}]}");
        });
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private String serve(Handler handler) throws IOException {
        HttpServer node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.setExecutor(pool);
        node.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        node.start();
        nodes.add(node);
        return "http://127.0.0.1:" + node.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Authorization", "Bearer caller-token").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(field == null ? item.asText() : item.path(field).asText()));
        return values;
    }

    @Test
    void mergesTheRowsOfTheNodesThatAnsweredAndListsTheRestAsMissing() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = get("/api/v1/monitor/cluster/slivers?sort=-cpu&timeoutMillis=1500");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(List.of("node", "name", "cpu"), texts(answer.path("columns"), null));
        // Sorted across nodes, each row naming its node.
        assertEquals(List.of("a_s2", "b_s1", "a_s1"), texts(answer.path("rows"), "name"));
        assertEquals(List.of("a.test", "b.test", "a.test"), texts(answer.path("rows"), "node"));
        assertEquals(List.of("a.test", "b.test"), texts(answer.path("answered"), null));
        assertEquals(List.of("d.test", "c.test"), texts(answer.path("missing"), "node"));
        assertTrue(answer.path("missing").get(1).path("reason").asText().contains("1500 ms"), r.body());
        assertTrue(answer.path("missing").get(0).path("reason").asText().startsWith("suspect"), r.body());
        assertTrue(tookMillis < 5_000, "the slow node was not waited for: " + tookMillis + " ms");
        assertTrue(authorizations.stream().allMatch("Bearer caller-token"::equals), authorizations.toString());
        assertEquals(2, authorizations.size(), "the suspect node was not asked");
    }

    @Test
    void selectAndLimitApplyAcrossNodesAndTheSortKeyIsFetchedButNotShown() throws Exception {
        JsonNode answer = JSON.readTree(get("/api/v1/monitor/cluster/slivers?select=name&sort=-cpu&limit=2"
                + "&timeoutMillis=2000").body());
        assertEquals(List.of("node", "name"), texts(answer.path("columns"), null));
        assertEquals(List.of("a_s2", "b_s1"), texts(answer.path("rows"), "name"));
        assertEquals(2, answer.path("rows").get(0).size());
    }

    @Test
    void nodesRouteMergesEachNodesFiguresAsOneRow() throws Exception {
        JsonNode answer = JSON.readTree(get("/api/v1/monitor/cluster/nodes?timeoutMillis=2000&sort=hostname").body());
        assertEquals(List.of("a.test", "b.test"), texts(answer.path("rows"), "hostname"));
        assertEquals(4, answer.path("rows").get(0).path("cores").asInt());
        assertTrue(answer.path("rows").get(0).path("maxAgeSeconds").isMissingNode());
    }

    @Test
    void aQueryTheNodesRefuseIsTheir400NamingTheTerm() throws Exception {
        HttpResponse<String> r = get("/api/v1/monitor/cluster/slivers?timeoutMillis=2000&where="
                + URLEncoder.encode("bad>1", StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("bad>1", JSON.readTree(r.body()).path("term").asText());
    }

    @Test
    void badParametersAndRoutesAreProblemsNotFailures() throws Exception {
        HttpResponse<String> timeout = get("/api/v1/monitor/cluster/slivers?timeoutMillis=forever");
        assertEquals(400, timeout.statusCode(), timeout.body());
        assertEquals("timeoutMillis", JSON.readTree(timeout.body()).path("parameter").asText());
        assertEquals(404, get("/api/v1/monitor/cluster/history").statusCode());
    }

    @Test
    void csvCarriesTheMergedRowsAndNamesTheMissingNodesInAHeader() throws Exception {
        HttpResponse<String> r = get("/api/v1/monitor/cluster/slivers?sort=name&format=csv&timeoutMillis=2000");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("node,name,cpu\r\na.test,a_s1,0.5\r\na.test,a_s2,2.0\r\nb.test,b_s1,1.0\r\n", r.body());
        assertEquals("d.test,c.test", r.headers().firstValue("Sliceplane-Missing-Nodes").orElse(""));
    }
}
