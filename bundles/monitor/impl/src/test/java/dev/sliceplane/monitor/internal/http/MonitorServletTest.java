package dev.sliceplane.monitor.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.monitor.internal.store.FakeContext;
import dev.sliceplane.monitor.internal.store.MonitorStore;
import dev.sliceplane.monitor.internal.store.Samples;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

/**
 * The query API over real HTTP: the servlet in a plain Jetty (the one the node's whiteboard
 * embeds) behind a stand-in for the platform's authentication filter, over a store fed with
 * samples at chosen times and a clock the test sets.
 */
class MonitorServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-26T07:00:00Z");

    private final FakeContext context = new FakeContext();
    private final Samples samples = new Samples();
    private final MonitorStore store = new MonitorStore(context);
    private final SettableClock clock = new SettableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        Filter authentication = (request, response, chain) -> {
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, Caller.principal("alice@princeton.test", "princeton",
                    Set.of(Roles.USER), "t1", T0.plus(Duration.ofDays(365 * 10))));
            chain.doFilter(request, response);
        };
        handler.addFilter(new FilterHolder(authentication), "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(new MonitorServlet(store, store, clock));
        handler.addServlet(servlet, MonitorServlet.PATH);
        handler.addServlet(servlet, MonitorServlet.PATH + "/*");
        server.setHandler(handler);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /** Three slivers sampled at T0 and T0+5 s: cpu 1.0, 0.5 and 0.1 cores; the clock at T0+7.5 s. */
    private void threeSlivers() {
        samples.sliver("burner", 0, 300L << 20, null, null);
        samples.sliver("half", 0, 200L << 20, null, null);
        samples.sliver("idle, mostly", 0, 100L << 20, null, null);
        context.leaseEnds.put("burner", T0.plusSeconds(3605));
        store.sampled(samples.at(T0));
        samples.sliver("burner", 5, 300L << 20, null, null);
        samples.sliver("half", 2.5, 200L << 20, null, null);
        samples.sliver("idle, mostly", 0.5, 100L << 20, null, null);
        store.sampled(samples.at(T0.plusSeconds(5)));
        clock.now = T0.plusMillis(7_500);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String type(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").split(";")[0];
    }

    @Test
    void beforeTheFirstSampleEveryRouteAnswers503WithRetryAfter() throws Exception {
        for (String route : List.of("node", "slivers", "slices", "history?metric=load1")) {
            HttpResponse<String> r = get("/api/v1/monitor/" + route);
            assertEquals(503, r.statusCode(), route + ": " + r.body());
            assertEquals("application/problem+json", type(r));
            assertTrue(JSON.readTree(r.body()).path("type").asText().endsWith("/no-sample-yet"), r.body());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""), route);
        }
    }

    @Test
    void nodeFiguresWithTheirAgeAndCacheControl() throws Exception {
        threeSlivers();
        HttpResponse<String> r = get("/api/v1/monitor/node");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", type(r));
        assertEquals("max-age=2", r.headers().firstValue("Cache-Control").orElse(""), "next sample due at T0+10 s");
        JsonNode node = JSON.readTree(r.body());
        assertEquals("2026-11-26T07:00:05Z", node.path("at").asText());
        assertEquals(2, node.path("maxAgeSeconds").asLong());
        assertEquals("node1.test", node.path("hostname").asText());
        assertEquals(3, node.path("slivers").asInt());
        assertEquals(0.25, node.path("cpuBusy").asDouble());
        assertEquals(0.25, node.path("memUsed").asDouble(), 1e-9);

        clock.now = T0.plusSeconds(60); // the sampling stalled: nothing may be cached
        assertEquals("max-age=0", get("/api/v1/monitor/node").headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> csv = get("/api/v1/monitor/node?format=csv");
        assertEquals("text/csv", type(csv));
        String[] lines = csv.body().split("\r\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("at,hostname,backend,simulated,cores,"), lines[0]);
        assertTrue(lines[1].startsWith("2026-11-26T07:00:05Z,node1.test,test,false,4,"), lines[1]);
    }

    @Test
    void sliversSelectedFilteredSortedAndLimited() throws Exception {
        threeSlivers();
        HttpResponse<String> r = get("/api/v1/monitor/slivers?select=name,cpu,mem,lease_end&where="
                + q("cpu > 0.3") + "&sort=-cpu&limit=5");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("max-age=2", r.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("2026-11-26T07:00:05Z", body.path("at").asText());
        assertEquals(2, body.path("maxAgeSeconds").asInt());
        assertFalse(body.path("simulated").asBoolean());
        assertEquals("[\"name\",\"cpu\",\"mem\",\"lease_end\"]", body.path("columns").toString());
        JsonNode rows = body.path("rows");
        assertEquals(2, rows.size(), body.toString());
        assertEquals("burner", rows.get(0).path("name").asText());
        assertEquals(1.0, rows.get(0).path("cpu").asDouble(), 1e-9);
        assertEquals(300L << 20, rows.get(0).path("mem").asLong());
        assertEquals(3600.0, rows.get(0).path("lease_end").asDouble(), 1e-9, "seconds from the sample");
        assertEquals("half", rows.get(1).path("name").asText());
        assertTrue(rows.get(1).path("lease_end").isNull());

        JsonNode limited = JSON.readTree(get("/api/v1/monitor/slivers?sort=cpu&limit=1").body());
        assertEquals(1, limited.path("rows").size());
        assertEquals("idle, mostly", limited.path("rows").get(0).path("name").asText());
        assertEquals(14, limited.path("columns").size(), "every attribute without select");
    }

    @Test
    void sliversAsCsv() throws Exception {
        threeSlivers();
        HttpResponse<String> r = get("/api/v1/monitor/slivers?format=csv&select=name,cpu,state&sort=name");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/csv", type(r));
        assertEquals("max-age=2", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("name,cpu,state\r\nburner,1.0,RUNNING\r\nhalf,0.5,RUNNING\r\n\"idle, mostly\",0.1,RUNNING\r\n",
                r.body());
    }

    @Test
    void badQueriesAre400NamingTheTerm() throws Exception {
        threeSlivers();
        HttpResponse<String> r = get("/api/v1/monitor/slivers?where=" + q("cpu > 0.3 and cpux < 2"));
        assertEquals(400, r.statusCode());
        assertEquals("application/problem+json", type(r));
        JsonNode problem = JSON.readTree(r.body());
        assertTrue(problem.path("type").asText().endsWith("/invalid-query"), r.body());
        assertEquals("where", problem.path("parameter").asText());
        assertEquals("cpux < 2", problem.path("term").asText());
        assertEquals(15, problem.path("position").asInt());
        assertTrue(problem.path("detail").asText().contains("unknown attribute 'cpux'"), r.body());

        JsonNode sort = JSON.readTree(get("/api/v1/monitor/slices?sort=-nope").body());
        assertEquals("sort", sort.path("parameter").asText());
        assertEquals(400, JSON.readTree(get("/api/v1/monitor/slivers?limit=0").body()).path("status").asInt());
        JsonNode format = JSON.readTree(get("/api/v1/monitor/slivers?format=xml").body());
        assertEquals(400, format.path("status").asInt());
        assertEquals("format", format.path("parameter").asText());
    }

    @Test
    void aNewSampleReplacesACachedAnswer() throws Exception {
        threeSlivers();
        String query = "/api/v1/monitor/slivers?select=name,cpu&sort=-cpu&limit=1";
        assertEquals("burner", JSON.readTree(get(query).body()).path("rows").get(0).path("name").asText());
        samples.sliver("half", 2.5 + 20, 1L, null, null); // four cores in the next 5 s
        store.sampled(samples.at(T0.plusSeconds(10)));
        JsonNode later = JSON.readTree(get(query).body());
        assertEquals("2026-11-26T07:00:10Z", later.path("at").asText());
        assertEquals("half", later.path("rows").get(0).path("name").asText());
    }

    @Test
    void managementSlicesAsRows() throws Exception {
        context.slices.add(Samples.slice("mgmt_monitor", 2_000_000_000L, 10, 2, T0));
        threeSlivers();
        JsonNode body = JSON.readTree(get("/api/v1/monitor/slices?where=" + q("bundle = dev.sliceplane.monitor")).body());
        assertEquals(1, body.path("rows").size(), body.toString());
        JsonNode slice = body.path("rows").get(0);
        assertEquals("mgmt_monitor", slice.path("name").asText());
        assertEquals(2.0, slice.path("cpu_seconds").asDouble());
        assertEquals(0.25, slice.path("cpu_share").asDouble());
        assertEquals(2, slice.path("threads").asInt());
    }

    @Test
    void historyAsJsonAndCsv() throws Exception {
        threeSlivers();
        HttpResponse<String> r = get("/api/v1/monitor/history?scope=sliver&subject=burner&metric=mem&resolution=10s");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("max-age=2", r.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("sliver", body.path("series").path("scope").asText());
        assertEquals("burner", body.path("series").path("subject").asText());
        assertEquals("mem", body.path("series").path("metric").asText());
        assertEquals("10s", body.path("resolution").asText());
        assertEquals(2, body.path("maxAgeSeconds").asInt());
        JsonNode point = body.path("points").get(0);
        assertEquals("2026-11-26T07:00:00Z", point.path("start").asText());
        assertEquals(2, point.path("samples").asInt());
        assertTrue(point.path("min").asDouble() <= point.path("avg").asDouble()
                && point.path("avg").asDouble() <= point.path("max").asDouble(), point.toString());

        JsonNode node = JSON.readTree(get("/api/v1/monitor/history?metric=load1&resolution=5m").body());
        assertEquals("node1.test", node.path("series").path("subject").asText(), "the node is the default subject");
        assertEquals("5m", node.path("resolution").asText());
        assertEquals(1.5, node.path("points").get(0).path("avg").asDouble());

        HttpResponse<String> csv = get("/api/v1/monitor/history?scope=sliver&subject=half&metric=cpu&format=csv");
        assertEquals("text/csv", type(csv));
        List<String> lines = new ArrayList<>(List.of(csv.body().split("\r\n")));
        assertEquals("start,min,avg,max,samples", lines.get(0));
        assertEquals("2026-11-26T07:00:00Z,0.5,0.5,0.5,1", lines.get(1));
    }

    @Test
    void historyOfUnknownSubjectsOrMetricsIs404AndBadParameters400() throws Exception {
        threeSlivers();
        HttpResponse<String> subject = get("/api/v1/monitor/history?scope=sliver&subject=nobody&metric=cpu");
        assertEquals(404, subject.statusCode());
        assertTrue(subject.body().contains("nobody"), subject.body());
        HttpResponse<String> metric = get("/api/v1/monitor/history?scope=node&metric=cpux");
        assertEquals(404, metric.statusCode());
        assertTrue(metric.body().contains("cpux"), metric.body());
        assertEquals(404, get("/api/v1/monitor/history?scope=node&subject=other.test&metric=load1").statusCode());

        JsonNode scope = JSON.readTree(get("/api/v1/monitor/history?scope=planet&metric=cpu").body());
        assertEquals(400, scope.path("status").asInt());
        assertEquals("scope", scope.path("parameter").asText());
        assertEquals("planet", scope.path("term").asText());
        assertEquals("resolution", JSON.readTree(get("/api/v1/monitor/history?metric=load1&resolution=1h").body())
                .path("parameter").asText());
        assertEquals("metric", JSON.readTree(get("/api/v1/monitor/history").body()).path("parameter").asText());
        assertEquals("subject", JSON.readTree(get("/api/v1/monitor/history?scope=sliver&metric=cpu").body())
                .path("parameter").asText());
    }

    @Test
    void otherRoutesAndMethods() throws Exception {
        threeSlivers();
        assertEquals(404, get("/api/v1/monitor/elsewhere").statusCode());
        assertEquals(404, get("/api/v1/monitor").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/monitor/node"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, post.statusCode(), "changing takes an administrator, and the monitor takes no changes");
    }

    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
