package dev.sliceplane.agent.internal.broker;

import static dev.sliceplane.agent.internal.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.agent.internal.Fixtures.Node;
import dev.sliceplane.agent.internal.agent.AgentHarness;
import dev.sliceplane.agent.internal.agent.Issuance;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

class BrokerTest {

    private static final Caller ALICE = Caller.principal("alice@princeton.test", "princeton", Set.of(Roles.USER), "t",
            Instant.now().plus(Duration.ofDays(1)));

    @TempDir
    Path directory;
    private AgentHarness h;
    private Broker broker;

    @BeforeEach
    void setUp() throws Exception {
        h = new AgentHarness(directory);
        broker = new Broker(h.agent, h.slices, h.nodes);
        h.slices.add("princeton_codeen", Duration.ofDays(7), 3, ALICE.id());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Node reporting(String hostname, String site, double cpu, String health) {
        Node node = new Node(h.nodes, hostname, site, "boot");
        h.agent.accept(hostname, node.report(h.clock.instant(), res(cpu, 4096), Set.of(), health));
        return node;
    }

    private TicketRequest request(int count, Resources resources, String where, boolean partial) {
        return new TicketRequest("princeton_codeen", count, resources, where, Duration.ofHours(1), partial);
    }

    private static List<String> nodes(Issuance issuance) {
        return issuance.tickets().stream().map(Issuance.Ticket::node).toList();
    }

    @Test
    void choosesMatchingNodesWithMostAvailableCpuFirst() {
        reporting("a.test", "princeton", 1, "UP");
        reporting("b.test", "mit", 4, "UP");
        reporting("c.test", "berkeley", 3, "UP");
        reporting("d.test", "mit", 8, "UP");
        Issuance issuance = broker.request(ALICE, request(2, res(0.5, 1), "site != mit", false));
        assertEquals(List.of("c.test", "a.test"), nodes(issuance));
    }

    @Test
    void unitsInWhereCompareWithBytes() {
        reporting("a.test", "princeton", 1, "UP");
        assertEquals(1, broker.request(ALICE, request(1, res(0.5, 1), "mem_free >= 4GiB", false)).tickets().size());
        DeniedException e = assertThrows(DeniedException.class,
                () -> broker.request(ALICE, request(1, res(0.5, 1), "mem_free > 4GiB", false)));
        assertEquals("no-matching-nodes", e.type());
    }

    @Test
    void theMonitorsMeasuredFiguresAreAttributesWhenReported() {
        Node busy = new Node(h.nodes, "busy.test", "princeton", "boot");
        var claims = busy.claims(h.clock.instant(), res(4, 4096), res(4, 4096), 1.0, Set.of(), "UP");
        claims.put("cpu_busy", 0.9).put("load1", 3.5).put("mem_available", 2L << 30);
        h.agent.accept("busy.test", busy.sign(claims));
        Node idle = new Node(h.nodes, "idle.test", "princeton", "boot");
        claims = idle.claims(h.clock.instant(), res(2, 4096), res(2, 4096), 1.0, Set.of(), "UP");
        claims.put("cpu_busy", 0.1).put("load1", 0.2).put("mem_available", 6L << 30);
        h.agent.accept("idle.test", idle.sign(claims));
        reporting("older.test", "princeton", 8, "UP"); // an older reporter: no measured figures

        assertEquals(List.of("idle.test"), nodes(broker.request(ALICE,
                request(1, res(0.5, 1), "cpu_busy < 0.5 and mem_available > 4GiB", false))));
        assertEquals(List.of("busy.test"), nodes(broker.request(ALICE, request(1, res(0.5, 1), "load1 > 1", false))));
        var views = h.agent.nodes();
        assertEquals(0.9, views.get(0).cpuBusy());
        assertEquals(null, views.get(2).load1(), "a report without figures has none: " + views.get(2));
    }

    @Test
    void badMeasuredFiguresRefuseTheReport() {
        Node node = new Node(h.nodes, "odd.test", "princeton", "boot");
        var claims = node.claims(h.clock.instant(), res(4, 4096), res(4, 4096), 1.0, Set.of(), "UP");
        claims.put("cpu_busy", 1.5);
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.accept("odd.test", node.sign(claims)));
        assertTrue(e.getMessage().contains("cpu_busy") || e.reasons().toString().contains("cpu_busy"), e.toString());
    }

    @Test
    void allOrNothingExplainsEveryNodeLeftOut() {
        reporting("a.test", "princeton", 1, "UP");
        reporting("down.test", "mit", 4, "DOWN");
        reporting("small.test", "mit", 0.25, "UP");
        Node stale = reporting("stale.test", "mit", 4, "UP");
        h.clock.advance(Duration.ofSeconds(31));
        reporting("b.test", "princeton", 2, "UP");
        reporting("a.test", "princeton", 1, "UP");
        h.agent.accept("down.test", new Node(h.nodes, "down.test", "mit", "boot")
                .report(h.clock.instant(), res(4, 4096), Set.of(), "DOWN"));
        h.agent.accept("small.test", new Node(h.nodes, "small.test", "mit", "boot")
                .report(h.clock.instant(), res(0.25, 4096), Set.of(), "UP"));
        assertTrue(stale.hostname.startsWith("stale"));

        DeniedException e = assertThrows(DeniedException.class,
                () -> broker.request(ALICE, request(3, res(0.5, 1), "", false)));
        assertEquals(422, e.status());
        assertEquals("no-matching-nodes", e.type());
        assertTrue(e.reasons().get(0).detail().startsWith("2 of 5 reporting nodes match"), e.reasons().get(0).detail());
        assertEquals(Set.of("node.health", "capacity.available", "node.stale"),
                Set.copyOf(e.reasons().subList(1, e.reasons().size()).stream().map(Reason::rule).toList()));
        assertEquals(0, h.agent.tickets(null).size(), "nothing was issued");

        Issuance partial = broker.request(ALICE, request(3, res(0.5, 1), "", true));
        assertEquals(List.of("b.test", "a.test"), nodes(partial));
        assertEquals(3, partial.refused().size());
    }

    @Test
    void oneTicketPerNodeAndSliceAndNoMoreThanMaxSlivers() {
        reporting("a.test", "princeton", 4, "UP");
        reporting("b.test", "princeton", 4, "UP");
        reporting("c.test", "princeton", 4, "UP");
        reporting("d.test", "princeton", 4, "UP");
        assertEquals(2, broker.request(ALICE, request(2, res(1, 1), "", false)).tickets().size());
        DeniedException overMax = assertThrows(DeniedException.class,
                () -> broker.request(ALICE, request(2, res(1, 1), "", false)));
        assertEquals("over-capacity", overMax.type());
        assertEquals("slice.maxSlivers", overMax.reasons().get(0).rule());
        Issuance last = broker.request(ALICE, request(2, res(1, 1), "", true));
        assertEquals(1, last.tickets().size(), "partial: as many as the slice may still hold");
        Set<String> used = Set.copyOf(h.agent.tickets("princeton_codeen").stream().map(t -> t.node()).toList());
        assertEquals(3, used.size(), "never two tickets of a slice on one node");
    }

    @Test
    void aNodeHoldingTheSliceIsLeftOut() {
        reporting("a.test", "princeton", 4, "UP");
        broker.request(ALICE, request(1, res(1, 1), "", false));
        DeniedException e = assertThrows(DeniedException.class, () -> broker.request(ALICE, request(1, res(1, 1), "",
                false)));
        assertEquals("slice.sliverPerNode", e.reasons().get(1).rule());
    }

    @Test
    void aNodeWhoseLeaseOfTheSliceEndedBetweenReportsServesItAgain() {
        Node node = reporting("a.test", "princeton", 1, "UP");
        Issuance first = broker.request(ALICE, request(1, res(1, 1), "", false));
        assertEquals("slice.sliverPerNode", assertThrows(DeniedException.class, () -> broker.request(ALICE,
                request(1, res(1, 1), "", false))).reasons().get(1).rule());
        // The lease was made and ended before the next report: only "released" names its ticket.
        h.clock.advance(Duration.ofSeconds(10));
        h.agent.accept("a.test", node.report(h.clock.instant(), res(1, 4096), Set.of(),
                Set.of(first.tickets().get(0).id()), "UP"));
        Issuance again = broker.request(ALICE, request(1, res(1, 1), "", false));
        assertEquals(List.of("a.test"), nodes(again));
        assertTrue(!again.tickets().get(0).id().equals(first.tickets().get(0).id()));
    }

    @Test
    void queryErrorsComeBeforeAnyIssuance() {
        reporting("a.test", "princeton", 4, "UP");
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> broker.request(ALICE, request(1, res(1, 1), "bogus >= 1", false)));
        assertEquals("bogus >= 1", e.term());
        assertTrue(h.agent.tickets(null).isEmpty());
    }
}
