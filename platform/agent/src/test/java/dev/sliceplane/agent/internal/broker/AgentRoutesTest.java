package dev.sliceplane.agent.internal.broker;

import static dev.sliceplane.agent.internal.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.agent.internal.FakeHttp;
import dev.sliceplane.agent.internal.Fixtures.Node;
import dev.sliceplane.agent.internal.agent.AgentHarness;
import dev.sliceplane.agent.internal.agent.AgentServletAccess;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.http.HttpServlet;

/** The agent's and broker's routes, called as the container would after the authentication filter. */
class AgentRoutesTest {

    private static final Instant LATER = Instant.now().plus(Duration.ofDays(365));
    private static final Caller ADMIN = Caller.principal("root@plc.test", "plc", Set.of(Roles.ADMIN), "t1", LATER);
    private static final Caller ALICE = Caller.principal("alice@princeton.test", "princeton", Set.of(Roles.USER), "t2", LATER);
    private static final Caller MALLORY = Caller.principal("mallory@mit.test", "mit", Set.of(Roles.USER), "t3", LATER);
    private static final Caller PRINCETON_PI = Caller.principal("pi@princeton.test", "princeton", Set.of(Roles.PI), "t4", LATER);
    private static final Caller MIT_PI = Caller.principal("pi@mit.test", "mit", Set.of(Roles.PI), "t5", LATER);

    @TempDir
    Path directory;
    private AgentHarness h;
    private HttpServlet agentServlet;
    private HttpServlet brokerServlet;
    private Node node1;
    private Node node2;

    @BeforeEach
    void setUp() throws Exception {
        h = new AgentHarness(directory);
        agentServlet = AgentServletAccess.servlet(h.agent, h.slices);
        brokerServlet = new BrokerServlet(new Broker(h.agent, h.slices, h.nodes), Duration.ofHours(1), 50);
        node1 = new Node(h.nodes, "node1.test", "princeton", "boot");
        node2 = new Node(h.nodes, "node2.test", "mit", "boot");
        h.slices.add("princeton_codeen", Duration.ofDays(7), 10, ALICE.id());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static Caller node(Node node) {
        return Caller.node(node.hostname, node.site, "n-" + node.hostname, LATER);
    }

    private FakeHttp.Answer call(Caller caller, String method, String uri, String json) throws Exception {
        boolean broker = uri.startsWith(BrokerServlet.PATH);
        String servletPath = broker ? BrokerServlet.PATH : "/api/v1/agent";
        FakeHttp.Answer answer = new FakeHttp.Answer();
        (broker ? brokerServlet : agentServlet).service(FakeHttp.request(method, servletPath, uri,
                json == null ? null : "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                caller), FakeHttp.response(answer));
        return answer;
    }

    private FakeHttp.Answer report(Node node, double cpu) throws Exception {
        String jws = node.report(h.clock.instant(), res(cpu, 1024), Set.of(), "UP");
        return call(node(node), "POST", "/api/v1/agent/reports", "{\"report\":\"" + jws + "\"}");
    }

    /** The problem's type; like every refusal of the contract's types, it must carry its reasons. */
    private static String problemType(FakeHttp.Answer answer) {
        assertTrue(answer.header("Content-Type").startsWith("application/problem+json"), answer.toString());
        String type = answer.json().path("type").asText().replace("https://sliceplane.dev/problems/", "");
        if (!type.equals("forbidden") && !type.equals("bad-request")) {
            JsonNode reasons = answer.json().path("reasons");
            assertTrue(reasons.isArray() && reasons.size() > 0, "a refusal carries its reasons: " + answer);
            reasons.forEach(r -> assertFalse(r.path("detail").asText().isEmpty(), answer.toString()));
        }
        return type;
    }

    @Test
    void nodesReportForThemselvesOnly() throws Exception {
        FakeHttp.Answer ok = report(node1, 2);
        assertEquals(200, ok.status, ok.toString());
        assertEquals("PT10S", ok.json().path("interval").asText());
        assertTrue(ok.json().path("revoked").isArray());
        assertEquals(h.clock.instant().toEpochMilli(), ok.json().path("time").asLong(), "the agent's clock");

        String jws = node1.report(h.clock.instant(), res(2, 1024), Set.of(), "UP");
        FakeHttp.Answer other = call(node(node2), "POST", "/api/v1/agent/reports", "{\"report\":\"" + jws + "\"}");
        assertEquals(403, other.status);
        assertEquals("report-forged", problemType(other));
        assertEquals("report.iss", other.json().path("reasons").get(0).path("rule").asText());

        assertEquals(403, call(ALICE, "POST", "/api/v1/agent/reports", "{\"report\":\"" + jws + "\"}").status);
        assertEquals(403, call(ADMIN, "POST", "/api/v1/agent/reports", "{\"report\":\"" + jws + "\"}").status,
                "an administrator is not a node");
        assertEquals(400, call(node(node1), "POST", "/api/v1/agent/reports", "{\"report\":\"\"}").status);
        assertEquals(400, call(node(node1), "POST", "/api/v1/agent/reports", "{\"report\":\"x\",\"more\":1}").status);
        assertEquals(400, call(node(node1), "POST", "/api/v1/agent/reports", "{not json").status);
        assertEquals(404, call(node(node1), "POST", "/api/v1/agent/elsewhere", "{}").status);
    }

    @Test
    void nodesAndCertificateForAnyAuthenticatedCaller() throws Exception {
        report(node1, 2);
        FakeHttp.Answer nodes = call(MALLORY, "GET", "/api/v1/agent/nodes", null);
        assertEquals(200, nodes.status);
        JsonNode first = nodes.json().get(0);
        assertEquals("node1.test", first.path("hostname").asText());
        assertEquals(2.0, first.path("available").path("cpu").asDouble());
        assertEquals(0.0, first.path("outstanding").path("cpu").asDouble());
        assertFalse(first.path("stale").asBoolean());
        assertTrue(first.path("reportedAt").asText().startsWith("2026-11-26T04:00"), first.toString());

        report(node2, 4);
        FakeHttp.Answer queried = call(MALLORY, "GET", "/api/v1/agent/nodes?where=cpu_free%3E%3D1&sort=-cpu_free&limit=1", null);
        assertEquals(200, queried.status, queried.toString());
        assertEquals(1, queried.json().size());
        assertEquals("node2.test", queried.json().get(0).path("hostname").asText());
        FakeHttp.Answer badQuery = call(MALLORY, "GET", "/api/v1/agent/nodes?sort=-nope", null);
        assertEquals(400, badQuery.status);
        assertEquals("invalid-query", problemType(badQuery));
        assertEquals("sort", badQuery.json().path("parameter").asText());

        FakeHttp.Answer certificate = call(ALICE, "GET", "/api/v1/agent/certificate", null);
        assertEquals(200, certificate.status);
        assertEquals(3, certificate.json().path("certificate").asText().split("\\.").length);
    }

    @Test
    void brokerIssuesAndAgentListsAndRevokes() throws Exception {
        report(node1, 2);
        report(node2, 4);
        FakeHttp.Answer issued = call(ALICE, "POST", BrokerServlet.PATH, "{\"slice\":\"princeton_codeen\",\"count\":2,"
                + "\"resources\":{\"cpu\":1,\"memory\":1048576,\"processes\":10,\"disk\":1024},\"duration\":\"PT30M\"}");
        assertEquals(200, issued.status, issued.toString());
        JsonNode tickets = issued.json().path("tickets");
        assertEquals(2, tickets.size());
        assertEquals("node2.test", tickets.get(0).path("node").asText(), "most available CPU first");
        assertEquals("http://127.0.0.1:18801/node2.test", tickets.get(0).path("url").asText());
        assertEquals("2026-11-26T04:30:00Z", tickets.get(0).path("expires").asText());
        String id = tickets.get(1).path("id").asText();

        FakeHttp.Answer listed = call(ALICE, "GET", "/api/v1/agent/tickets?slice=princeton_codeen", null);
        assertEquals(200, listed.status);
        assertEquals(2, listed.json().size());
        assertEquals("outstanding", listed.json().get(0).path("state").asText());
        assertEquals(403, call(MALLORY, "GET", "/api/v1/agent/tickets?slice=princeton_codeen", null).status);
        assertEquals(404, call(MALLORY, "GET", "/api/v1/agent/tickets?slice=nobody_here", null).status);
        assertEquals(400, call(ALICE, "GET", "/api/v1/agent/tickets", null).status);
        assertEquals(2, call(ADMIN, "GET", "/api/v1/agent/tickets", null).json().size());

        assertEquals(403, call(ALICE, "DELETE", "/api/v1/agent/tickets/" + id, null).status, "members do not revoke");
        assertEquals(403, call(MIT_PI, "DELETE", "/api/v1/agent/tickets/" + id, null).status, "another site's PI");
        assertEquals(404, call(PRINCETON_PI, "DELETE", "/api/v1/agent/tickets/nope", null).status);
        assertEquals(204, call(PRINCETON_PI, "DELETE", "/api/v1/agent/tickets/" + id, null).status);
        assertEquals("revoked", call(ADMIN, "GET", "/api/v1/agent/tickets?slice=princeton_codeen", null).json().get(1)
                .path("state").asText());
    }

    @Test
    void brokerRefusalsAreProblemsWithReasons() throws Exception {
        report(node1, 2);
        report(node2, 4);
        String resources = "\"resources\":{\"cpu\":1,\"memory\":1,\"processes\":1,\"disk\":1}";

        FakeHttp.Answer tooMany = call(ALICE, "POST", BrokerServlet.PATH,
                "{\"slice\":\"princeton_codeen\",\"count\":2," + resources + ",\"where\":\"site != mit\"}");
        assertEquals(422, tooMany.status, tooMany.toString());
        assertEquals("no-matching-nodes", problemType(tooMany));
        JsonNode reasons = tooMany.json().path("reasons");
        assertTrue(reasons.get(0).path("detail").asText().startsWith("1 of 2 reporting nodes match"), reasons.toString());
        assertEquals("node2.test", reasons.get(1).path("node").asText());
        assertEquals("broker.where", reasons.get(1).path("rule").asText());

        FakeHttp.Answer badQuery = call(ALICE, "POST", BrokerServlet.PATH,
                "{\"slice\":\"princeton_codeen\"," + resources + ",\"where\":\"cpu_free > 1 or site = mit\"}");
        assertEquals(400, badQuery.status);
        assertEquals("invalid-query", problemType(badQuery));
        assertEquals(14, badQuery.json().path("position").asInt());
        assertEquals("or site = mit", badQuery.json().path("term").asText());
        assertEquals("query.where", badQuery.json().path("reasons").get(0).path("rule").asText());

        FakeHttp.Answer stranger = call(MALLORY, "POST", BrokerServlet.PATH, "{\"slice\":\"princeton_codeen\"," + resources + "}");
        assertEquals(403, stranger.status);
        assertEquals("not-a-member", problemType(stranger));
        FakeHttp.Answer unknown = call(ALICE, "POST", BrokerServlet.PATH, "{\"slice\":\"princeton_gone\"," + resources + "}");
        assertEquals(404, unknown.status);
        assertEquals("slice-unknown", problemType(unknown));

        for (String bad : new String[] {"{\"slice\":\"princeton_codeen\"}", "{\"slice\":\"princeton_codeen\"," + resources
                + ",\"count\":0}", "{\"slice\":\"princeton_codeen\"," + resources + ",\"count\":51}",
                "{\"slice\":\"princeton_codeen\"," + resources + ",\"count\":1.5}",
                "{\"slice\":\"princeton_codeen\"," + resources + ",\"duration\":\"an hour\"}",
                "{\"slice\":\"princeton_codeen\"," + resources + ",\"partial\":\"yes\"}",
                "{\"slice\":\"princeton_codeen\"," + resources + ",\"extra\":1}",
                "{\"slice\":\"princeton_codeen\",\"resources\":{\"cpu\":-1,\"memory\":1,\"processes\":1,\"disk\":1}}",
                "[1,2]"}) {
            FakeHttp.Answer answer = call(ALICE, "POST", BrokerServlet.PATH, bad);
            assertEquals(400, answer.status, bad + " → " + answer);
            assertEquals("invalid-request", problemType(answer), bad);
        }
        assertEquals(403, call(node(node1), "POST", BrokerServlet.PATH, "{}").status, "nodes do not broker");
    }
}
