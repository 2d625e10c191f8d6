package dev.sliceplane.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.client.fake.FakeAuthority;
import dev.sliceplane.client.fake.FakeNode;
import dev.sliceplane.client.fake.FakeServer;
import dev.sliceplane.client.fake.FakeServer.Answer;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The client against real HTTP: a fake authority (broker and agent) and three fake node managers
 * on loopback, answering as the acquisition contract describes.
 */
class ServiceManagerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SLICE = "princeton_codeen";
    static final Resources SMALL = new Resources(0.5, 256L << 20, 64, 1L << 30);
    static final String[] POLICY = {"policy", "beta.example.org", "policy.deniedSlices",
            "slice princeton_codeen is on this node's deny list"};
    static final String[] CONTEXT = {"request", "beta.example.org", "ticket.jti", "the ticket was t2"};

    private FakeAuthority authority;
    private final List<FakeNode> nodes = new ArrayList<>();
    private ServiceManager manager;

    @BeforeEach
    void start() throws Exception {
        authority = new FakeAuthority();
        for (String host : List.of("alpha.example.org", "beta.example.org", "gamma.example.org")) {
            FakeNode node = new FakeNode(host);
            nodes.add(node);
            authority.register(node);
        }
        manager = managerWith(ServiceManager.builder(authority.url()).token(() -> FakeServer.TOKEN));
    }

    @AfterEach
    void stop() {
        nodes.forEach(FakeNode::close);
        authority.close();
    }

    private static ServiceManager managerWith(ServiceManager.Builder builder) {
        return builder.nodeTimeout(Duration.ofSeconds(20)).build();
    }

    private FakeNode node(String prefix) {
        return nodes.stream().filter(node -> node.host().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static NodeResult result(List<NodeResult> results, String prefix) {
        return results.stream().filter(node -> node.node().startsWith(prefix)).findFirst().orElseThrow();
    }

    private DeployRequest threeRunning() {
        return DeployRequest.of(SLICE, 3, SMALL).lasting(Duration.ofHours(1))
                .running(ProgramSpec.of("python3", "-m", "http.server").withEnvironment(Map.of("PORT", "8000")));
    }

    @Test
    void deployRedeemsEveryTicketAndStartsTheProgramInEachSliver() throws Exception {
        DeployReport report = manager.deploy(threeRunning().where("site!=mit and mem_free>=1GiB"));

        assertTrue(report.complete(), report.toString());
        assertEquals(List.of("alpha.example.org", "beta.example.org", "gamma.example.org"),
                report.nodes().stream().map(NodeResult::node).toList());
        for (NodeResult node : report.nodes()) {
            assertEquals(NodeState.RUNNING, node.state());
            assertEquals(node(node.node().substring(0, 4)).url(), node.url());
            assertEquals(SMALL, node.lease().resources(), "the lease view is read back into a Resources");
            assertEquals(SLICE, node.lease().slice());
            assertTrue(node.lease().end().isAfter(Instant.now().plus(Duration.ofMinutes(59))));
            assertTrue(node.pid().isPresent());
            assertEquals(List.of("python3", "-m", "http.server"), node.programs().get(0).command());
            assertNull(node.failure());
        }

        JsonNode brokerRequest = authority.requests().get(0).body();
        assertEquals(JSON.readTree("""
                {"slice": "princeton_codeen", "count": 3,
                 "resources": {"cpu": 0.5, "memory": 268435456, "processes": 64, "disk": 1073741824},
                 "where": "site!=mit and mem_free>=1GiB", "duration": "PT1H", "partial": false}"""), brokerRequest);
        for (FakeNode node : nodes) {
            List<FakeServer.Request> sent = node.requests();
            assertEquals(2, sent.size(), sent.toString());
            assertEquals("POST /api/v1/leases", sent.get(0).toString());
            assertEquals("Bearer tok", sent.get(0).authorization());
            String leaseId = node.leases().get(0).path("id").asText();
            assertEquals("POST /api/v1/leases/" + leaseId + "/programs", sent.get(1).toString());
            assertEquals(JSON.readTree("""
                    {"command": ["python3", "-m", "http.server"], "environment": {"PORT": "8000"}}"""),
                    sent.get(1).body());
        }
    }

    @Test
    void aNodeThatRefusesReportsItsReasonChainWhileTheOthersKeepTheirLeases() {
        node("beta").refuseRedeem(Answer.problem(403, "policy-denied", "slice princeton_codeen is denied here",
                POLICY, CONTEXT));

        DeployReport report = manager.deploy(threeRunning());

        NodeResult beta = result(report.nodes(), "beta");
        assertEquals(NodeState.DENIED, beta.state());
        assertEquals(403, beta.failure().status());
        assertEquals("policy-denied", beta.failure().type());
        assertEquals(List.of(new Reason(POLICY[0], POLICY[1], POLICY[2], POLICY[3]),
                new Reason(CONTEXT[0], CONTEXT[1], CONTEXT[2], CONTEXT[3])), beta.failure().reasons());
        assertEquals("policy on beta.example.org (policy.deniedSlices): slice princeton_codeen is on this node's deny "
                + "list; request on beta.example.org (ticket.jti): the ticket was t2", beta.failure().chain());
        assertNull(beta.lease());
        assertEquals(List.of(beta), report.failed());

        assertEquals(NodeState.RUNNING, result(report.nodes(), "alpha").state());
        assertEquals(NodeState.RUNNING, result(report.nodes(), "gamma").state());
        assertFalse(report.rolledBack());
        assertEquals(1, node("alpha").leases().size(), "without all-or-nothing the leases granted stay");
        assertEquals(1, node("gamma").leases().size());
        assertEquals(2, report.holding().size());
    }

    @Test
    void anUnreachableNodeIsThatNodesFailureNotTheCalls() throws Exception {
        URI closed = closedPort();
        authority.register("delta.example.org", closed);

        DeployReport report = manager.deploy(DeployRequest.of(SLICE, 4, SMALL).running(ProgramSpec.of("true")));

        NodeResult delta = result(report.nodes(), "delta");
        assertEquals(NodeState.UNREACHABLE, delta.state());
        assertTrue(delta.failure().isUnreachable());
        assertEquals("cannot reach " + closed + " (connection refused)", delta.failure().detail());
        assertEquals(3, report.holding().size());
        assertTrue(report.anyFailed());
    }

    @Test
    void aNodeThatDoesNotAnswerInTimeIsUnreachableAndTheOthersGoOn() {
        CountDownLatch never = new CountDownLatch(1);
        node("gamma").holdAnswersUntil(never);
        try {
            ServiceManager impatient = ServiceManager.builder(authority.url()).token(() -> FakeServer.TOKEN)
                    .nodeTimeout(Duration.ofMillis(700)).parallelism(2).build();
            DeployReport report = impatient.deploy(threeRunning());

            NodeResult gamma = result(report.nodes(), "gamma");
            assertEquals(NodeState.UNREACHABLE, gamma.state());
            assertTrue(gamma.failure().detail().endsWith("(no answer within 700 ms)"), gamma.failure().detail());
            assertEquals(NodeState.RUNNING, result(report.nodes(), "alpha").state());
            assertEquals(NodeState.RUNNING, result(report.nodes(), "beta").state());
        } finally {
            never.countDown();
        }
    }

    @Test
    void allOrNothingReleasesTheLeasesGrantedWhenANodeRefuses() {
        node("beta").refuseRedeem(Answer.problem(422, "over-capacity", "not enough memory",
                new String[] {"capacity", "beta.example.org", "capacity.memory", "256 MiB asked, 100 MiB free"}));

        DeployReport report = manager.deploy(threeRunning().allOrNothing(true));

        assertTrue(report.rolledBack());
        assertEquals(NodeState.RELEASED, result(report.nodes(), "alpha").state());
        assertEquals(NodeState.RELEASED, result(report.nodes(), "gamma").state());
        assertNull(result(report.nodes(), "alpha").failure());
        assertEquals(NodeState.DENIED, result(report.nodes(), "beta").state());
        assertTrue(report.holding().isEmpty());
        for (String prefix : List.of("alpha", "gamma")) {
            FakeNode node = node(prefix);
            assertTrue(node.leases().isEmpty(), prefix + " still holds " + node.leases());
            String released = result(report.nodes(), prefix).lease().id();
            assertEquals("DELETE /api/v1/leases/" + released, node.requestLines().get(node.requestLines().size() - 1));
        }
        assertFalse(report.complete());
    }

    @Test
    void allOrNothingAlsoReleasesTheLeaseOfANodeWhoseProgramDidNotStart() {
        node("alpha").refusePrograms(Answer.problem(400, "invalid-request", "no such command: pyhton3",
                new String[] {"request", "alpha.example.org", "program.command", "pyhton3 is not on the PATH"}));

        DeployReport report = manager.deploy(threeRunning().allOrNothing(true));

        NodeResult alpha = result(report.nodes(), "alpha");
        assertEquals(NodeState.RELEASED, alpha.state());
        assertEquals("invalid-request", alpha.failure().type(), "why it failed stays in the report");
        assertTrue(alpha.failed());
        nodes.forEach(node -> assertTrue(node.leases().isEmpty(), node.host()));

        // Without all-or-nothing, the lease whose program failed is kept and reported as refused.
        DeployReport kept = manager.deploy(threeRunning().running(ProgramSpec.of("true")));
        assertEquals(NodeState.DENIED, result(kept.nodes(), "alpha").state());
        assertNotNull(result(kept.nodes(), "alpha").lease());
        assertEquals(1, node("alpha").leases().size());
    }

    @Test
    void theBrokersRefusalFailsTheWholeDeployWithItsReasons() {
        RefusedException refused = assertThrows(RefusedException.class,
                () -> manager.deploy(DeployRequest.of(SLICE, 5, SMALL)));
        assertEquals(422, refused.status());
        assertEquals("no-matching-nodes", refused.type());
        assertEquals("broker", refused.reasons().get(0).node());
        nodes.forEach(node -> assertTrue(node.requests().isEmpty(), "no node is asked"));

        DeployReport fewer = manager.deploy(DeployRequest.of(SLICE, 5, SMALL).acceptingFewer(true));
        assertEquals(3, fewer.nodes().size());
        assertFalse(fewer.anyFailed());
        assertFalse(fewer.complete(), "fewer than asked for is not complete");
        assertEquals(3, fewer.holding().size());
    }

    @Test
    void anUnreachableAuthorityIsAnException() throws Exception {
        URI closed = closedPort();
        ServiceManager nowhere = ServiceManager.builder(closed).token(() -> FakeServer.TOKEN).build();
        UnreachableException deploy = assertThrows(UnreachableException.class, () -> nowhere.deploy(threeRunning()));
        assertEquals(closed, deploy.url());
        assertEquals("cannot reach " + closed + " (connection refused)", deploy.getMessage());
        assertThrows(UnreachableException.class, () -> nowhere.status(SLICE));
    }

    @Test
    void statusFindsTheNodesThroughTheAgentAndShowsLeasesAndPrograms() {
        manager.deploy(threeRunning());
        manager.release(SLICE);
        manager.deploy(DeployRequest.of(SLICE, 2, SMALL).running(ProgramSpec.of("sleep", "60")));
        // gamma: a ticket from the first deploy, its lease released; alpha and beta run the second deploy's program.

        authority.omitUrlsInTicketList();
        SliceReport status = manager.status(SLICE);

        assertEquals(List.of("alpha.example.org", "beta.example.org", "gamma.example.org"),
                status.nodes().stream().map(NodeResult::node).toList());
        NodeResult alpha = result(status.nodes(), "alpha");
        assertEquals(NodeState.RUNNING, alpha.state());
        assertEquals(node("alpha").url(), alpha.url(), "the URL comes from the agent's node list");
        assertEquals(List.of("sleep", "60"), alpha.programs().get(0).command());
        assertEquals("running", alpha.programs().get(0).state());
        assertEquals(NodeState.NO_LEASE, result(status.nodes(), "gamma").state());
        assertFalse(status.anyFailed());
        assertTrue(authority.requestLines().contains("GET /api/v1/agent/tickets?slice=princeton_codeen"));
        assertTrue(node("alpha").requestLines().contains("GET /api/v1/leases?slice=princeton_codeen"));
    }

    @Test
    void renewResizeAndReleaseReachEveryNodeHoldingALease() throws Exception {
        manager.deploy(threeRunning());
        node("beta").refuseRenew(Answer.problem(403, "policy-denied", "renewals are off",
                new String[] {"policy", "beta.example.org", "policy.maxLeaseTerm", "no renewals past 1 day"}));

        SliceReport renewed = manager.renew(SLICE, Duration.ofHours(2));
        Instant inTwoHours = Instant.now().plus(Duration.ofHours(2));
        for (String prefix : List.of("alpha", "gamma")) {
            NodeResult node = result(renewed.nodes(), prefix);
            assertEquals(NodeState.LEASED, node.state());
            assertTrue(Duration.between(node.lease().end(), inTwoHours).abs().toSeconds() < 60, node.lease().toString());
            assertEquals(JSON.readTree("{\"duration\": \"PT2H\"}"), lastBody(node(prefix)));
        }
        NodeResult beta = result(renewed.nodes(), "beta");
        assertEquals(NodeState.DENIED, beta.state());
        assertEquals("policy.maxLeaseTerm", beta.failure().reasons().get(0).rule());
        assertNotNull(beta.lease(), "the lease it still holds is shown");
        assertEquals(List.of(beta), renewed.failed());

        SliceReport resized = manager.resize(SLICE, current -> new Resources(current.cpu(), current.memory() * 2,
                current.processes(), current.disk()));
        assertFalse(resized.anyFailed(), resized.toString());
        for (FakeNode node : nodes) {
            assertEquals(JSON.readTree("""
                    {"resources": {"cpu": 0.5, "memory": 536870912, "processes": 64, "disk": 1073741824}}"""),
                    lastBody(node));
            assertTrue(node.requestLines().get(node.requestLines().size() - 1).startsWith("PATCH /api/v1/leases/"));
            assertEquals(512L << 20, result(resized.nodes(), node.host()).lease().resources().memory());
        }

        SliceReport released = manager.release(SLICE);
        assertTrue(released.nodes().stream().allMatch(node -> node.state() == NodeState.RELEASED), released.toString());
        nodes.forEach(node -> assertTrue(node.leases().isEmpty(), node.host()));
        assertTrue(manager.status(SLICE).nodes().stream().allMatch(node -> node.state() == NodeState.NO_LEASE));
    }

    @Test
    void aRefusedTokenIsRefreshedOnceThenReported() {
        nodes.forEach(node -> node.acceptOnly("fresh"));
        List<String> refreshed = new ArrayList<>();
        ServiceManager refreshing = ServiceManager.builder(authority.url()).tokenSource(new BearerToken() {
            @Override
            public String current() {
                return FakeServer.TOKEN;
            }

            @Override
            public synchronized String refresh(String rejected) {
                refreshed.add(rejected);
                return "fresh";
            }
        }).build();
        DeployReport report = refreshing.deploy(DeployRequest.of(SLICE, 3, SMALL));
        assertFalse(report.anyFailed(), report.toString());
        assertEquals(List.of("tok", "tok", "tok"), refreshed);

        DeployReport stale = manager.deploy(DeployRequest.of(SLICE, 1, SMALL));
        assertEquals(401, stale.nodes().get(0).failure().status());
        assertEquals(NodeState.DENIED, stale.nodes().get(0).state());
    }

    private static JsonNode lastBody(FakeNode node) {
        List<FakeServer.Request> requests = node.requests();
        return requests.get(requests.size() - 1).body();
    }

    private static URI closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
