package dev.sliceplane.nodemanager.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.nodemanager.internal.TestNodes;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

/**
 * The routes over real HTTP: the servlet in a plain Jetty (the one the node's whiteboard embeds)
 * behind a stand-in for the platform's authentication filter, which puts the caller named by a
 * test header on the request. Statuses, headers and problem bodies as a client sees them.
 */
class LeasesServletTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    TestNodes.Node node;
    Server server;
    HttpClient http = HttpClient.newHttpClient();
    String base;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start(temp);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        Filter authentication = (request, response, chain) -> {
            String who = ((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Test-Caller");
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, who == null ? Caller.ANONYMOUS : TestNodes.caller(who));
            chain.doFilter(request, response);
        };
        context.addFilter(new FilterHolder(authentication), "/*", java.util.EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(new LeasesServlet(node.manager()));
        context.addServlet(servlet, LeasesServlet.PATH);
        context.addServlet(servlet, LeasesServlet.PATH + "/*");
        context.addServlet(new ServletHolder(new LeasesServlet()), "/unbound/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        node.close();
    }

    @Test
    void redeemAnswers201WithTheLeaseViewAndItsLocation() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/leases", "member", Map.of("ticket", node.ticket()));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("application/json", created.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode lease = JSON.readTree(created.body());
        assertEquals("/api/v1/leases/" + lease.path("id").asText(), created.headers().firstValue("Location").orElseThrow());
        assertEquals(TestNodes.SLICE, lease.path("slice").asText());
        assertEquals(TestNodes.HOST, lease.path("node").asText());
        assertEquals(TestNodes.SLICE, lease.path("sliver").asText());
        assertEquals("active", lease.path("state").asText());
        assertTrue(lease.path("warning").isNull());
        assertEquals(0.25, lease.path("resources").path("cpu").asDouble());
        assertEquals(64L << 20, lease.path("resources").path("memory").asLong());
        assertTrue(lease.path("end").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "ISO-8601: " + lease.path("end"));
        assertEquals(3, lease.path("lease").asText().split("\\.").length, "the signed lease");

        HttpResponse<String> one = send("GET", "/api/v1/leases/" + lease.path("id").asText(), "member", null);
        assertEquals(200, one.statusCode());
        assertEquals(lease.path("id"), JSON.readTree(one.body()).path("id"));
    }

    @Test
    void denialsAreProblemsWithTheReasonChain() throws Exception {
        String ticket = node.ticket();
        assertEquals(201, send("POST", "/api/v1/leases", "member", Map.of("ticket", ticket)).statusCode());
        HttpResponse<String> replay = send("POST", "/api/v1/leases", "member", Map.of("ticket", ticket));
        JsonNode problem = assertProblem(replay, 409, "ticket-replayed");
        JsonNode reason = problem.path("reasons").get(0);
        assertEquals("replay", reason.path("check").asText());
        assertEquals(TestNodes.HOST, reason.path("node").asText());
        assertEquals("ticket.jti", reason.path("rule").asText());
        assertEquals(reason.path("detail").asText(), problem.path("detail").asText());
        assertEquals(2, problem.path("reasons").size(), "the ticket as context");
        assertFalse(replay.body().contains("Exception"), "no stack trace");

        assertProblem(send("POST", "/api/v1/leases", "stranger", Map.of("ticket", node.ticket("princeton_other"))),
                404, "slice-unknown");
        assertProblem(send("POST", "/api/v1/leases", "stranger", Map.of("ticket", node.ticket())), 403, "not-a-member");
        assertProblem(send("POST", "/api/v1/leases", "member", Map.of("ticket", node.forgedTicket())), 403, "ticket-forged");
        assertProblem(send("POST", "/api/v1/leases", "member", Map.of("ticket", node.expiredTicket())), 410, "ticket-expired");
        assertProblem(send("POST", "/api/v1/leases", "member", Map.of("ticket", "not.a-ticket")), 400, "invalid-request");
        assertProblem(send("POST", "/api/v1/leases", "member", Map.of()), 400, "invalid-request");
    }

    @Test
    void malformedRequestsAre4xxProblems() throws Exception {
        assertProblem(sendRaw("POST", "/api/v1/leases", "member", "application/json", "{\"ticket\":"), 400, "malformed-json");
        assertProblem(sendRaw("POST", "/api/v1/leases", "member", "application/json", "{\"tikket\":\"x\"}"), 400, "bad-request");
        assertProblem(sendRaw("POST", "/api/v1/leases", "member", "text/plain", "x"), 415, "unsupported-media-type");
        // The platform authorizes before it dispatches: a method nobody implements is 403 to non-admins.
        HttpResponse<String> put = sendRaw("PUT", "/api/v1/leases", "admin", "application/json", "{}");
        assertProblem(put, 405, "method-not-allowed");
        assertTrue(put.headers().firstValue("Allow").orElse("").contains("PATCH"));
        assertProblem(send("GET", "/api/v1/leases/a/b/c", "member", null), 404, "not-found");
        assertProblem(send("GET", "/api/v1/leases/nosuch", "member", null), 404, "lease-unknown");
    }

    @Test
    void renewResizeProgramsAndRelease() throws Exception {
        JsonNode lease = JSON.readTree(send("POST", "/api/v1/leases", "member", Map.of("ticket", node.ticket())).body());
        String path = "/api/v1/leases/" + lease.path("id").asText();

        HttpResponse<String> renewed = send("POST", path + "/renew", "member", Map.of("duration", "PT30M"));
        assertEquals(200, renewed.statusCode(), renewed.body());
        assertEquals("active", JSON.readTree(renewed.body()).path("state").asText());
        assertFalse(lease.path("lease").asText().equals(JSON.readTree(renewed.body()).path("lease").asText()),
                "a fresh JWS");
        assertProblem(send("POST", path + "/renew", "member", Map.of("duration", "an hour")), 400, "invalid-request");

        HttpResponse<String> resized = send("PATCH", path, "member", Map.of("resources",
                Map.of("cpu", 0.5, "memory", 128L << 20, "processes", 64, "disk", 0)));
        assertEquals(200, resized.statusCode(), resized.body());
        assertEquals(0.5, JSON.readTree(resized.body()).path("resources").path("cpu").asDouble());
        assertProblem(send("PATCH", path, "member", Map.of("resources",
                Map.of("cpu", 1000.0, "memory", 128L << 20, "processes", 64, "disk", 0))), 422, "over-capacity");
        assertProblem(send("PATCH", path, "member", Map.of("resources", Map.of("cpu", 0.5))), 400, "invalid-request");

        HttpResponse<String> started = send("POST", path + "/programs", "member",
                Map.of("command", new String[] {"/bin/sh", "-c", "exit 7"}, "environment", Map.of(), "workingDirectory", ""));
        assertEquals(201, started.statusCode(), started.body());
        JsonNode program = JSON.readTree(started.body());
        assertTrue(program.path("pid").asLong() > 0);
        assertEquals("/bin/sh", program.path("command").get(0).asText());
        assertNotNull(program.path("stdout").asText(null));
        assertNotNull(program.path("started").asText(null));
        assertProblem(send("POST", path + "/programs", "member", Map.of("command", new String[] {"/no/such"})), 400,
                "invalid-request");
        assertProblem(sendRaw("POST", path + "/programs", "member", "application/json", "{\"command\":[\"sh\",null]}"),
                400, "invalid-request");
        assertProblem(sendRaw("POST", path + "/programs", "member", "application/json", "{\"command\":[]}"),
                400, "invalid-request");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode listed;
        do {
            listed = JSON.readTree(send("GET", path + "/programs", "member", null).body()).get(0);
            Thread.sleep(20);
        } while (!"exited".equals(listed.path("state").asText()) && System.nanoTime() < deadline);
        assertEquals("exited", listed.path("state").asText());
        assertEquals(7, listed.path("exitCode").asInt());

        assertProblem(send("DELETE", path, "stranger", null), 404, "lease-unknown");
        assertEquals(204, send("DELETE", path, "member", null).statusCode());
        assertProblem(send("GET", path, "member", null), 404, "lease-unknown");
        assertFalse(node.vmm().find(TestNodes.SLICE).isPresent());
    }

    @Test
    void withoutARunningNodeManagerTheRoutesAnswer503() throws Exception {
        JsonNode problem = assertProblem(send("POST", "/unbound/", "member", Map.of("ticket", node.ticket())), 503,
                "nodemanager-unavailable");
        assertTrue(problem.path("detail").asText().contains("credential"), problem.toString());
    }

    @Test
    void listingIsFilteredByWhoAsks() throws Exception {
        send("POST", "/api/v1/leases", "member", Map.of("ticket", node.ticket()));
        assertEquals(1, JSON.readTree(send("GET", "/api/v1/leases", "member", null).body()).size());
        assertEquals(1, JSON.readTree(send("GET", "/api/v1/leases?slice=" + TestNodes.SLICE, "admin", null).body()).size());
        assertEquals(0, JSON.readTree(send("GET", "/api/v1/leases?slice=mit_tor", "admin", null).body()).size());
        assertEquals(0, JSON.readTree(send("GET", "/api/v1/leases", "stranger", null).body()).size());
    }

    JsonNode assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("https://sliceplane.dev/problems/" + type, problem.path("type").asText(), response.body());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(problem.path("title").asText().isEmpty());
        return problem;
    }

    HttpResponse<String> send(String method, String path, String caller, Object body) throws Exception {
        return sendRaw(method, path, caller, "application/json", body == null ? null : JSON.writeValueAsString(body));
    }

    HttpResponse<String> sendRaw(String method, String path, String caller, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", type);
        }
        if (caller != null) {
            request.header("X-Test-Caller", caller);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
