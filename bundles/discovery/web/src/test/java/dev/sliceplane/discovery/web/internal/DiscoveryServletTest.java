package dev.sliceplane.discovery.web.internal;

import static dev.sliceplane.discovery.web.internal.FakeDiscovery.advert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.Liveness;

/** The discovery routes over real HTTP, on a view the test sets. */
class DiscoveryServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    private final FakeDiscovery discovery = new FakeDiscovery(
            advert("a.princeton.test", "princeton", "http://127.0.0.1:18601", 4, 0.5, 2, NOW.minusSeconds(3), Liveness.ALIVE),
            advert("b.mit.test", "mit", "http://127.0.0.1:18602", 8, 0.25, 4, NOW.minusSeconds(1), Liveness.ALIVE),
            advert("c.mit.test", "mit", "http://127.0.0.1:18603", 2, 0.9, 0.5, NOW.minusSeconds(2), Liveness.ALIVE),
            advert("d.ucb.test", "ucb", "https://d.ucb.test", 2, 0.1, 8, NOW.minusSeconds(9), Liveness.SUSPECT));
    private final ActiveDiscovery active = new ActiveDiscovery(discovery);
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new WebServer()
                .serve(new DiscoveryServlet(active, Clock.fixed(NOW, ZoneOffset.UTC)), DiscoveryServlet.PATH,
                        DiscoveryServlet.PATH + "/*")
                .serve(new PrometheusTargetsServlet(active), PrometheusTargetsServlet.PATH);
        base = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> hostnames(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("rows").forEach(row -> names.add(row.path("hostname").asText()));
        return names;
    }

    @Test
    void theIssuesQueryPicksNodesWithFreeCpuAndMemoryOutsideASiteSortedByFreeCpu() throws Exception {
        HttpResponse<String> r = get("/api/v1/discovery/nodes?where=" + q("cpu_free>0.5 and mem_free>1GiB and site!=princeton")
                + "&sort=-cpu_free&limit=10");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        // b: 6 free cores, 4 GiB; d: 1.8 cores, 8 GiB; a is princeton; c has 0.2 cores and 0.5 GiB.
        assertEquals(List.of("b.mit.test", "d.ucb.test"), hostnames(answer));
        assertEquals("fake", answer.path("mechanism").asText());
        assertEquals(6.0, answer.path("rows").get(0).path("cpu_free").asDouble(), 1e-9);
        assertEquals("suspect", answer.path("rows").get(1).path("liveness").asText());
        assertEquals(9.0, answer.path("rows").get(1).path("age").asDouble(), 1e-9);
    }

    @Test
    void selectAndLimitNarrowTheRows() throws Exception {
        JsonNode answer = JSON.readTree(get("/api/v1/discovery/nodes?select=hostname,site&sort=hostname&limit=2").body());
        assertEquals("[\"hostname\",\"site\"]", answer.path("columns").toString());
        assertEquals(List.of("a.princeton.test", "b.mit.test"), hostnames(answer));
        assertEquals(2, answer.path("rows").get(0).size());
    }

    @Test
    void aBadQueryIsA400NamingTheTerm() throws Exception {
        HttpResponse<String> r = get("/api/v1/discovery/nodes?where=" + q("cpu_free>0.5 and cpux>1"));
        assertEquals(400, r.statusCode(), r.body());
        JsonNode problem = JSON.readTree(r.body());
        assertTrue(problem.path("type").asText().endsWith("/invalid-query"), r.body());
        assertEquals("where", problem.path("parameter").asText());
        assertTrue(problem.path("term").asText().contains("cpux"), r.body());
        assertTrue(problem.path("detail").asText().contains("cpux"), r.body());

        JsonNode sort = JSON.readTree(get("/api/v1/discovery/nodes?sort=-nope").body());
        assertEquals("sort", sort.path("parameter").asText());
        assertEquals(400, get("/api/v1/discovery/nodes?format=xml").statusCode());
    }

    @Test
    void csvHasAHeaderAndOneLinePerNode() throws Exception {
        HttpResponse<String> r = get("/api/v1/discovery/nodes?select=hostname,site,cores&where=" + q("site=mit")
                + "&sort=hostname&format=csv");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("hostname,site,cores\r\nb.mit.test,mit,8\r\nc.mit.test,mit,2\r\n", r.body());
    }

    @Test
    void selfAndSummaryFollowTheImplementationInPlace() throws Exception {
        JsonNode self = JSON.readTree(get("/api/v1/discovery/self").body());
        assertEquals("a.princeton.test", self.path("hostname").asText());
        assertEquals("http://127.0.0.1:18601", self.path("url").asText());

        JsonNode summary = JSON.readTree(get("/api/v1/discovery").body());
        assertEquals("fake", summary.path("mechanism").asText());
        assertEquals(4, summary.path("nodes").asInt());
        assertEquals(3, summary.path("alive").asInt());
        assertEquals(1, summary.path("suspect").asInt());
        assertEquals("alive", summary.path("selfLiveness").asText(), "spelled as the node table spells it");
        assertTrue(summary.path("counters").isNull(), "an implementation that keeps no counts shows none");
        discovery.counters = new DiscoveryCounters(12, 2, 1, DiscoveryCounters.NOT_COUNTED, 4096);
        assertEquals("{\"advertsReceived\":12,\"advertsRejected\":2,\"declaredDead\":1,\"bytesReceived\":4096}",
                JSON.readTree(get("/api/v1/discovery").body()).path("counters").toString(), "a count not kept is left out");

        // What a swap looks like to the routes: another implementation behind the same servlets.
        discovery.mechanism = "other";
        discovery.self = null;
        assertEquals("other", JSON.readTree(get("/api/v1/discovery").body()).path("mechanism").asText());
        assertEquals(404, get("/api/v1/discovery/self").statusCode());
    }

    @Test
    void withoutAnImplementationTheRoutesAnswer503() throws Exception {
        server.close();
        ActiveDiscovery none = new ActiveDiscovery();
        server = new WebServer().serve(new DiscoveryServlet(none), DiscoveryServlet.PATH, DiscoveryServlet.PATH + "/*")
                .serve(new PrometheusTargetsServlet(none), PrometheusTargetsServlet.PATH);
        base = server.start();
        assertEquals(503, get("/api/v1/discovery/nodes").statusCode());
        assertEquals(503, get("/api/v1/discovery/prometheus").statusCode());
    }

    @Test
    void prometheusServiceDiscoveryListsEveryAliveNodeAsATargetGroup() throws Exception {
        HttpResponse<String> r = get("/api/v1/discovery/prometheus");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode groups = JSON.readTree(r.body());
        assertEquals(3, groups.size(), "the suspect node is left out: " + r.body());
        JsonNode first = groups.get(0);
        assertEquals("[\"127.0.0.1:18601\"]", first.path("targets").toString());
        assertEquals("http", first.path("labels").path("__scheme__").asText());
        assertEquals("/metrics", first.path("labels").path("__metrics_path__").asText());
        assertEquals("princeton", first.path("labels").path("site").asText());
        assertEquals("a.princeton.test", first.path("labels").path("hostname").asText());
    }

    @Test
    void anHttpsNodeWithoutPortGetsTheDefaultPort() {
        var groups = PrometheusTargetsServlet.targets(List.of(advert("e.test", "x", "https://e.test", 1, 0, 1, NOW,
                Liveness.ALIVE)));
        assertEquals(List.of("e.test:443"), groups.get(0).get("targets"));
    }
}
