package dev.sliceplane.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.cli.CliRun;
import dev.sliceplane.cli.FixtureNode;
import dev.sliceplane.cli.FixtureNode.Answer;

/**
 * {@code slice deploy|status|renew|resize|release} against fixtures: one plays the authority
 * (broker and agent), three play node managers, answering as the acquisition contract says.
 * Checks what is sent, the table and JSON printed, and the exit codes.
 */
class SliceAcquisitionFixtureTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SLICE = "princeton_codeen";
    static final String END = "2026-11-26T13:00:00Z";
    static final String DENIED = """
            {"type": "https://sliceplane.dev/problems/policy-denied", "title": "policy-denied", "status": 403,
             "detail": "slice princeton_codeen is denied here",
             "reasons": [{"check": "policy", "node": "beta", "rule": "policy.deniedSlices", "detail": "slice princeton_codeen is on the deny list"},
                         {"check": "request", "node": "beta", "rule": "ticket.jti", "detail": "ticket t2"}]}""";

    @TempDir
    Path home;

    private FixtureNode authority;
    private FixtureNode alpha;
    private FixtureNode beta;
    private FixtureNode gamma;

    @BeforeEach
    void start() throws Exception {
        authority = new FixtureNode();
        alpha = new FixtureNode();
        beta = new FixtureNode();
        gamma = new FixtureNode();
    }

    @AfterEach
    void stop() {
        List.of(authority, alpha, beta, gamma).forEach(FixtureNode::close);
    }

    private CliRun.Result run(String... args) {
        return new CliRun(home).env("SLICEPLANE_URL", authority.url().toString()).env("SLICEPLANE_TOKEN", "tok").run(args);
    }

    private static String lease(String id, String node, String end) {
        return """
                {"id": "%s", "slice": "princeton_codeen", "node": "%s", "sliver": "princeton_codeen-1", "ticket": "t-%s",
                 "resources": {"cpu": 0.5, "memory": 536870912, "processes": 64, "disk": 1073741824},
                 "start": "2026-11-26T12:00:00Z", "end": "%s", "state": "active", "warning": null, "lease": "eyJ.x.y"}"""
                .formatted(id, node, id, end);
    }

    private static String ticket(String node, FixtureNode at) {
        return "{\"node\": \"%s\", \"url\": \"%s\", \"ticket\": \"jws-%s\", \"id\": \"t-%s\", \"expires\": \"%s\"}"
                .formatted(node, at.url(), node, node, END);
    }

    private void brokerGives(String... tickets) {
        authority.on("POST", "/api/v1/broker/requests", Answer.json(200, "{\"tickets\": [" + String.join(",", tickets) + "]}"));
    }

    private static void grants(FixtureNode node, String name, String leaseId, long pid) {
        node.on("POST", "/api/v1/leases", Answer.json(201, lease(leaseId, name, END)));
        node.on("POST", "/api/v1/leases/" + leaseId + "/programs", Answer.json(201, """
                {"pid": %d, "command": ["python3", "-m", "http.server"], "stdout": "/home/s/out", "stderr": "/home/s/err",
                 "started": "2026-11-26T12:00:01Z"}""".formatted(pid)));
    }

    @Test
    void deployPrintsOneRowPerNodeAndSendsWhatTheContractSays() throws Exception {
        brokerGives(ticket("alpha", alpha), ticket("beta", beta), ticket("gamma", gamma));
        grants(alpha, "alpha", "L1", 4242);
        grants(beta, "beta", "L2", 4243);
        grants(gamma, "gamma", "L3", 4244);

        CliRun.Result deployed = run("slice", "deploy", SLICE, "--count", "3", "--memory", "512MiB", "--duration", "2h",
                "--where", "site!=mit", "--env", "PORT=8000", "--", "python3", "-m", "http.server");

        assertEquals(0, deployed.exitCode(), deployed.toString());
        assertEquals("""
                NODE   STATE    LEASE END             PID OR REASON
                alpha  running  2026-11-26T13:00:00Z  pid 4242
                beta   running  2026-11-26T13:00:00Z  pid 4243
                gamma  running  2026-11-26T13:00:00Z  pid 4244
                """, deployed.out());
        assertEquals(JSON.readTree("""
                {"slice": "princeton_codeen", "count": 3,
                 "resources": {"cpu": 0.5, "memory": 536870912, "processes": 64, "disk": 1073741824},
                 "where": "site!=mit", "duration": "PT2H", "partial": false}"""), JSON.readTree(authority.last().body()));
        assertEquals("Bearer tok", authority.last().authorization());
        assertEquals(JSON.readTree("{\"ticket\": \"jws-alpha\"}"), JSON.readTree(alpha.requests().get(0).body()));
        assertEquals("Bearer tok", alpha.requests().get(0).authorization());
        assertEquals("/api/v1/leases/L1/programs", alpha.last().path());
        assertEquals(JSON.readTree("""
                {"command": ["python3", "-m", "http.server"], "environment": {"PORT": "8000"}}"""),
                JSON.readTree(alpha.last().body()));
    }

    @Test
    void aDeniedAndAnUnreachableNodeShowTheirReasonsAndExit1() throws Exception {
        int closed = closedPort();
        String dead = "{\"node\": \"delta\", \"url\": \"http://127.0.0.1:" + closed + "\", \"ticket\": \"jws-d\", \"id\": \"t-d\"}";
        brokerGives(ticket("alpha", alpha), ticket("beta", beta), dead);
        grants(alpha, "alpha", "L1", 4242);
        beta.on("POST", "/api/v1/leases", new Answer(403, "application/problem+json", DENIED));

        CliRun.Result deployed = run("slice", "deploy", SLICE, "--count", "3", "--", "python3", "-m", "http.server");

        assertEquals(1, deployed.exitCode(), deployed.toString());
        assertEquals("""
                NODE   STATE        LEASE END             PID OR REASON
                alpha  running      2026-11-26T13:00:00Z  pid 4242
                beta   denied       -                     policy on beta (policy.deniedSlices): slice princeton_codeen is on the deny list; request on beta (ticket.jti): ticket t2
                delta  unreachable  -                     cannot reach http://127.0.0.1:%d (connection refused)
                """.formatted(closed), deployed.out());
        assertEquals("sliceplane: 2 of 3 nodes failed; the lease granted is kept (see 'slice status', 'slice release')\n",
                deployed.err());

        CliRun.Result json = run("slice", "deploy", SLICE, "--count", "3", "--json", "--", "true");
        assertEquals(1, json.exitCode());
        JsonNode report = JSON.readTree(json.out());
        assertEquals(3, report.path("requested").asInt());
        JsonNode betaNode = report.path("nodes").get(1);
        assertEquals("denied", betaNode.path("state").asText());
        assertEquals(403, betaNode.path("failure").path("status").asInt());
        assertEquals("policy.deniedSlices", betaNode.path("failure").path("reasons").get(0).path("rule").asText());
        assertEquals("unreachable", report.path("nodes").get(2).path("state").asText());
        assertEquals(4242, report.path("nodes").get(0).path("programs").get(0).path("pid").asLong());
        assertEquals("L1", report.path("nodes").get(0).path("lease").path("id").asText());
    }

    @Test
    void allOrNothingReleasesTheLeasesGranted() {
        brokerGives(ticket("alpha", alpha), ticket("beta", beta));
        grants(alpha, "alpha", "L1", 4242);
        alpha.on("DELETE", "/api/v1/leases/L1", Answer.noContent());
        beta.on("POST", "/api/v1/leases", new Answer(403, "application/problem+json", DENIED));

        CliRun.Result deployed = run("slice", "deploy", SLICE, "--count", "2", "--all-or-nothing", "--", "true");

        assertEquals(1, deployed.exitCode(), deployed.toString());
        assertTrue(deployed.out().contains("\nalpha  released  2026-11-26T13:00:00Z  pid 4242\n"), deployed.out());
        assertEquals("DELETE", alpha.last().method());
        assertEquals("/api/v1/leases/L1", alpha.last().path());
        assertEquals("sliceplane: 1 of 2 nodes failed; all-or-nothing: released the leases granted\n", deployed.err());
    }

    @Test
    void theBrokersRefusalIsOneLineWithItsReasons() {
        authority.on("POST", "/api/v1/broker/requests", new Answer(422, "application/problem+json", """
                {"type": "https://sliceplane.dev/problems/no-matching-nodes", "status": 422, "detail": "2 of 3 nodes match",
                 "reasons": [{"check": "capacity", "node": "broker", "rule": "mem_free", "detail": "1 node has too little memory"}]}"""));
        CliRun.Result refused = run("slice", "deploy", SLICE, "--count", "3");
        assertEquals(1, refused.exitCode());
        assertEquals("sliceplane: 422 no-matching-nodes: 2 of 3 nodes match (capacity on broker (mem_free): 1 node has too "
                + "little memory)\n", refused.err());
        assertEquals("", refused.out());
    }

    @Test
    void anUnreachableAuthorityIsExitCode3() throws Exception {
        int closed = closedPort();
        CliRun.Result result = run("--url", "http://127.0.0.1:" + closed, "slice", "status", SLICE);
        assertEquals(3, result.exitCode(), result.toString());
        assertEquals("sliceplane: cannot reach the authority at http://127.0.0.1:" + closed + " (connection refused)\n",
                result.err());
    }

    @Test
    void wrongAmountsAreUsageErrorsOnOneLine() {
        CliRun.Result size = run("slice", "deploy", SLICE, "--count", "2", "--memory", "12XB");
        assertEquals(2, size.exitCode());
        assertEquals("sliceplane: Invalid value for option '--memory': '12XB' is not a size; give bytes or a number with "
                + Sizes.UNITS + " (e.g. 256MiB) (see 'sliceplane slice deploy --help')\n", size.err());

        CliRun.Result duration = run("slice", "renew", SLICE, "--duration", "soon");
        assertEquals(2, duration.exitCode());
        assertTrue(duration.err().contains("'soon' is not a length of time"), duration.err());
        assertEquals(1, duration.err().lines().count());

        assertEquals(2, run("slice", "deploy", SLICE, "--count", "0").exitCode());
        assertEquals(2, run("slice", "deploy", SLICE).exitCode(), "--count is required");
        assertEquals(2, run("slice", "deploy", SLICE, "--count", "1", "--cpu", "-1").exitCode());
        CliRun.Result nothing = run("slice", "resize", SLICE);
        assertEquals(2, nothing.exitCode());
        assertEquals("sliceplane: nothing to resize: give --cpu, --memory, --processes or --disk\n", nothing.err());
        assertTrue(authority.requests().isEmpty(), "nothing was sent");
    }

    @Test
    void withoutATokenTheAuthoritysRefusalSaysToLogIn() {
        authority.on("POST", "/api/v1/broker/requests", Answer.problem(401, "unauthorized", "a bearer token is needed"));
        CliRun.Result refused = new CliRun(home).env("SLICEPLANE_URL", authority.url().toString())
                .run("slice", "deploy", SLICE, "--count", "1");
        assertEquals(1, refused.exitCode());
        assertEquals("sliceplane: not logged in to " + authority.url() + "; run 'sliceplane login'\n", refused.err());
        assertEquals(null, authority.last().authorization(), "no token was sent");
    }

    private void agentLists(String... tickets) {
        authority.on("GET", "/api/v1/agent/tickets?slice=" + SLICE,
                Answer.json(200, "{\"tickets\": [" + String.join(",", tickets) + "]}"));
    }

    @Test
    void statusShowsEachNodesLeaseAndPrograms() throws Exception {
        agentLists(ticket("alpha", alpha), ticket("beta", beta));
        alpha.on("GET", "/api/v1/leases?slice=" + SLICE, Answer.json(200, "[" + lease("L1", "alpha", END) + "]"));
        alpha.on("GET", "/api/v1/leases/L1/programs", Answer.json(200, """
                [{"pid": 4242, "command": ["python3"], "started": "2026-11-26T12:00:01Z", "state": "running", "exitCode": null},
                 {"pid": 4100, "command": ["setup.sh"], "started": "2026-11-26T12:00:00Z", "state": "exited", "exitCode": 0}]"""));
        beta.on("GET", "/api/v1/leases?slice=" + SLICE, Answer.json(200, "[]"));

        CliRun.Result status = run("slice", "status", SLICE);

        assertEquals(0, status.exitCode(), status.toString());
        assertEquals("""
                NODE   STATE     LEASE END             PID OR REASON
                alpha  running   2026-11-26T13:00:00Z  pid 4242 running, pid 4100 exited 0
                beta   no lease  -                     -
                """, status.out());
        JsonNode json = JSON.readTree(run("slice", "status", SLICE, "--json").out());
        assertEquals("no_lease", json.path("nodes").get(1).path("state").asText());
        assertEquals(0, json.path("nodes").get(0).path("programs").get(1).path("exitCode").asInt());

        agentLists();
        assertEquals("no nodes hold tickets for slice princeton_codeen\n", run("slice", "status", SLICE).out());
    }

    @Test
    void renewResizeAndReleaseActOnEveryNodesLease() throws Exception {
        agentLists(ticket("alpha", alpha), ticket("beta", beta));
        alpha.on("GET", "/api/v1/leases?slice=" + SLICE, Answer.json(200, "[" + lease("L1", "alpha", END) + "]"));
        beta.on("GET", "/api/v1/leases?slice=" + SLICE, Answer.json(200, "[" + lease("L2", "beta", END) + "]"));
        alpha.on("POST", "/api/v1/leases/L1/renew", Answer.json(200, lease("L1", "alpha", "2026-11-26T14:00:00Z")));
        beta.on("POST", "/api/v1/leases/L2/renew", new Answer(403, "application/problem+json", DENIED));

        CliRun.Result renewed = run("slice", "renew", SLICE, "--duration", "2h");
        assertEquals(1, renewed.exitCode(), renewed.toString());
        assertTrue(renewed.out().contains("\nalpha  leased  2026-11-26T14:00:00Z  -\n"), renewed.out());
        assertTrue(renewed.out().contains("\nbeta   denied  2026-11-26T13:00:00Z  policy on beta (policy.deniedSlices)"),
                renewed.out());
        assertEquals("sliceplane: 1 of 2 nodes failed\n", renewed.err());
        assertEquals(JSON.readTree("{\"duration\": \"PT2H\"}"), JSON.readTree(alpha.last().body()));

        alpha.on("PATCH", "/api/v1/leases/L1", request -> Answer.json(200, lease("L1", "alpha", END)));
        beta.on("PATCH", "/api/v1/leases/L2", request -> Answer.json(200, lease("L2", "beta", END)));
        CliRun.Result resized = run("slice", "resize", SLICE, "--cpu", "1", "--disk", "2GiB");
        assertEquals(0, resized.exitCode(), resized.toString());
        for (FixtureNode node : List.of(alpha, beta)) {
            assertEquals(JSON.readTree("""
                    {"resources": {"cpu": 1.0, "memory": 536870912, "processes": 64, "disk": 2147483648}}"""),
                    JSON.readTree(node.last().body()), "what is not given stays as the lease has it");
        }

        alpha.on("DELETE", "/api/v1/leases/L1", Answer.noContent());
        beta.on("DELETE", "/api/v1/leases/L2", Answer.noContent());
        CliRun.Result released = run("slice", "release", SLICE);
        assertEquals(0, released.exitCode(), released.toString());
        assertEquals("""
                NODE   STATE     LEASE END             PID OR REASON
                alpha  released  2026-11-26T13:00:00Z  -
                beta   released  2026-11-26T13:00:00Z  -
                """, released.out());
        assertEquals("DELETE /api/v1/leases/L2", beta.last().method() + " " + beta.last().path());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
