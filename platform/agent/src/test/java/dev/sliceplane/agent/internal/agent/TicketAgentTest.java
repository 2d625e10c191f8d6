package dev.sliceplane.agent.internal.agent;

import static dev.sliceplane.agent.internal.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.agent.internal.Fixtures.Node;
import dev.sliceplane.agent.internal.Fixtures;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

class TicketAgentTest {

    @TempDir
    Path directory;
    private AgentHarness h;
    private Node node1;
    private Node node2;
    private SliceRecord slice;

    @BeforeEach
    void setUp() throws Exception {
        h = new AgentHarness(directory);
        node1 = new Node(h.nodes, "node1.test", "princeton", "boot");
        node2 = new Node(h.nodes, "node2.test", "mit", "boot");
        slice = h.slices.add("princeton_codeen", Duration.ofDays(7), 10, "alice@princeton.test");
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Instant now() {
        return h.clock.instant();
    }

    private ReportAnswer report(Node node, Resources free, Set<String> redeemed) {
        return h.agent.accept(node.hostname, node.report(now(), free, redeemed, "UP"));
    }

    private Issuance issue(Node node, Resources resources) {
        return h.agent.issue(slice, List.of(node.hostname), resources, Duration.ofHours(1), false);
    }

    private NodeView view(Node node) {
        return h.agent.nodes().stream().filter(n -> n.hostname().equals(node.hostname)).findFirst().orElseThrow();
    }

    // --- reports ---

    @Test
    void aVerifiedReportIsAdvertised() {
        report(node1, res(2, 1024), Set.of());
        NodeView view = view(node1);
        assertEquals(res(2, 1024), view.advertised());
        assertEquals(res(2, 1024), view.available());
        assertEquals("princeton", view.site());
        assertEquals("UP", view.health());
        assertFalse(view.stale());
    }

    @Test
    void aReportSignedWithAnotherKeyIsForged() {
        Node impostor = new Node(new Fixtures.Nodes(), node1.hostname, "princeton", "boot");
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname,
                impostor.report(now(), res(2, 1024), Set.of(), "UP")));
        assertEquals(403, e.status());
        assertEquals("report-forged", e.type());
        assertEquals("report.signature", e.reasons().get(0).rule());
        assertTrue(h.agent.nodes().isEmpty());
    }

    @Test
    void aNodeCannotReportForAnother() {
        DeniedException e = assertThrows(DeniedException.class,
                () -> h.agent.accept(node2.hostname, node1.report(now(), res(2, 1024), Set.of(), "UP")));
        assertEquals(403, e.status());
        assertEquals("report.iss", e.reasons().get(0).rule());
    }

    @Test
    void anUnregisteredNodeOrOneWithoutKeyIsRefused() {
        Node stranger = new Node(new Fixtures.Nodes(), "stranger.test", "x", "boot");
        assertEquals(403, assertThrows(DeniedException.class, () -> h.agent.accept(stranger.hostname,
                stranger.report(now(), res(1, 1), Set.of(), "UP"))).status());
        h.nodes.records.put("keyless.test", new dev.sliceplane.platform.api.acquisition.NodeRecord("keyless.test",
                "x", "boot", null));
        Node keyless = new Node(new Fixtures.Nodes(), "keyless.test", "x", "boot");
        assertEquals("report.key", assertThrows(DeniedException.class, () -> h.agent.accept(keyless.hostname,
                keyless.report(now(), res(1, 1), Set.of(), "UP"))).reasons().get(0).rule());
        h.nodes.records.put("keyless.test", new dev.sliceplane.platform.api.acquisition.NodeRecord("keyless.test",
                "x", "boot", new byte[] {1, 2, 3}));
        assertEquals("report.key", assertThrows(DeniedException.class, () -> h.agent.accept(keyless.hostname,
                keyless.report(now(), res(1, 1), Set.of(), "UP"))).reasons().get(0).rule(), "a malformed registered key");
    }

    @Test
    void aStaleReportIsRefused() {
        String old = node1.report(now().minusSeconds(120), res(2, 1024), Set.of(), "UP");
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname, old));
        assertEquals(400, e.status());
        assertEquals("report.exp", e.reasons().get(0).rule());
    }

    @Test
    void anOlderReportThanTheOneHeldIsRefused() {
        String older = node1.report(now(), res(1, 1024), Set.of(), "UP");
        h.clock.advance(Duration.ofSeconds(5));
        report(node1, res(2, 1024), Set.of());
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname, older));
        assertEquals(409, e.status());
        assertEquals(res(2, 1024), view(node1).advertised());
    }

    @Test
    void malformedClaimsAreNamed() {
        ObjectNode claims = node1.claims(now(), res(1, 1), res(1, 1), 1.0, Set.of(), "UP");
        claims.put("health", "GREAT");
        assertEquals(400, assertThrows(DeniedException.class,
                () -> h.agent.accept(node1.hostname, node1.sign(claims))).status());
        ObjectNode negative = node1.claims(now(), res(1, 1), res(1, 1), 1.0, Set.of(), "UP");
        ((ObjectNode) negative.get("free")).put("memory", -5);
        assertTrue(assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname, node1.sign(negative)))
                .getMessage().contains("free"));
        ObjectNode badUrl = node1.claims(now(), res(1, 1), res(1, 1), 1.0, Set.of(), "UP");
        badUrl.put("url", "file:///etc/passwd");
        assertEquals(400, assertThrows(DeniedException.class,
                () -> h.agent.accept(node1.hostname, node1.sign(badUrl))).status());
        assertEquals(400, assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname, "not.a.jws"))
                .status());
    }

    @Test
    void aReportTurnsStaleAfterThreeIntervals() {
        report(node1, res(2, 1024), Set.of());
        h.clock.advance(AgentHarness.INTERVAL.multipliedBy(3).plusSeconds(1));
        assertTrue(view(node1).stale());
        DeniedException e = assertThrows(DeniedException.class, () -> issue(node1, res(1, 1)));
        assertEquals("node.stale", e.reasons().get(0).rule());
    }

    // --- accounting ---

    @Test
    void ticketsAreIssuedUntilTheNodeIsFull() {
        report(node1, res(2, 1024), Set.of());
        issue(node1, res(1, 512));
        issue(node1, res(1, 512));
        assertEquals(Resources.NONE.cpu(), view(node1).available().cpu());
        DeniedException e = assertThrows(DeniedException.class, () -> issue(node1, res(0.1, 1)));
        assertEquals(422, e.status());
        assertEquals("over-capacity", e.type());
        assertEquals("capacity.cpu", e.reasons().get(0).rule());
        assertEquals(res(2, 1024), view(node1).outstanding());
    }

    @Test
    void redeemedTicketsStopCountingAsOutstanding() {
        report(node1, res(2, 1024), Set.of());
        Issuance first = issue(node1, res(1, 512));
        issue(node1, res(1, 512));
        h.clock.advance(Duration.ofSeconds(10));
        // The node made a lease of the first: its free shrank, and it names the ticket.
        report(node1, res(1, 512), Set.of(first.tickets().get(0).id()));
        assertEquals(res(1, 512), view(node1).outstanding());
        assertEquals(0, view(node1).available().cpu());
        // The lease ends: the node frees it, and the redeemed ticket does not come back.
        h.clock.advance(Duration.ofSeconds(10));
        report(node1, res(2, 1024), Set.of());
        assertEquals(res(1, 512), view(node1).outstanding());
        assertEquals("redeemed", h.agent.ticket(first.tickets().get(0).id()).orElseThrow().state(now()));
    }

    @Test
    void aTicketReleasedBetweenTwoReportsFreesItsNodeAndSliceAtOnce() throws Exception {
        slice = h.slices.add("princeton_single", Duration.ofDays(1), 1);
        report(node1, res(2, 1024), Set.of());
        report(node2, res(2, 1024), Set.of());
        String id = issue(node1, res(2, 1024)).tickets().get(0).id();
        assertEquals("slice.maxSlivers", assertThrows(DeniedException.class, () -> issue(node2, res(1, 1)))
                .reasons().get(0).rule());
        // Redeemed and released within one interval: the node never named it redeemed, only released.
        h.clock.advance(Duration.ofSeconds(10));
        h.agent.accept(node1.hostname, node1.report(now(), res(2, 1024), Set.of(), Set.of(id), "UP"));
        assertEquals(Resources.NONE, view(node1).outstanding());
        assertEquals(res(2, 1024), view(node1).available());
        assertEquals(0, h.agent.sliversHeld(slice.name()));
        assertEquals(Set.of(), h.agent.nodesHolding(slice.name()));
        assertEquals("released", h.agent.ticket(id).orElseThrow().state(now()));
        // The journal remembers it: after a restart, a report that no longer names it changes nothing.
        h.restart();
        report(node1, res(2, 1024), Set.of());
        assertEquals(Resources.NONE, view(node1).outstanding());
        assertEquals("released", h.agent.ticket(id).orElseThrow().state(now()));
        assertEquals(1, issue(node1, res(2, 1024)).tickets().size(), "the same slice on the same node again");
    }

    @Test
    void anotherNodeCannotReleaseATicketAndMalformedReleasesAreRefused() {
        report(node1, res(2, 1024), Set.of());
        report(node2, res(2, 1024), Set.of());
        String id = issue(node1, res(2, 1024)).tickets().get(0).id();
        h.clock.advance(Duration.ofSeconds(1));
        h.agent.accept(node2.hostname, node2.report(now(), res(2, 1024), Set.of(), Set.of(id), "UP"));
        assertEquals(res(2, 1024), view(node1).outstanding());
        assertEquals("outstanding", h.agent.ticket(id).orElseThrow().state(now()));
        ObjectNode claims = node1.claims(now(), res(1, 1), res(1, 1), 1.0, Set.of(), "UP");
        claims.put("released", id);
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.accept(node1.hostname,
                node1.sign(claims)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    @Test
    void expiredTicketsFreeTheirResources() {
        report(node1, res(2, 1024), Set.of());
        h.agent.issue(slice, List.of(node1.hostname), res(2, 1024), Duration.ofMinutes(5), false);
        assertThrows(DeniedException.class, () -> issue(node1, res(1, 1)));
        h.clock.advance(Duration.ofMinutes(5));
        report(node1, res(2, 1024), Set.of());
        assertEquals(Resources.NONE, view(node1).outstanding());
        assertEquals(1, issue(node1, res(1, 1)).tickets().size());
    }

    @Test
    void revocationFreesTheTicketAndIsToldToItsNode() {
        report(node1, res(2, 1024), Set.of());
        Issuance issued = issue(node1, res(2, 1024));
        String id = issued.tickets().get(0).id();
        assertTrue(h.agent.revoke(id));
        assertTrue(h.agent.revoke(id), "revoking twice changes nothing");
        assertFalse(h.agent.revoke("no-such-ticket"));
        assertEquals(Resources.NONE, view(node1).outstanding());
        h.clock.advance(Duration.ofSeconds(10));
        ReportAnswer answer = report(node1, res(2, 1024), Set.of());
        assertEquals(List.of(new ReportAnswer.Revocation(id, issued.tickets().get(0).expires())), answer.revoked());
        assertTrue(report(node2, res(2, 1024), Set.of()).revoked().isEmpty(), "another node is not told");
        h.clock.advance(Duration.ofHours(1));
        assertTrue(report(node1, res(2, 1024), Set.of()).revoked().isEmpty(), "expired revocations are dropped");
    }

    @Test
    void oversubscriptionIsWhatTheNodeAdvertises() {
        // A node whose owner allows 2× reports capacity and free already multiplied (NodeOffer).
        h.agent.accept(node1.hostname, node1.sign(node1.claims(now(), res(4, 2048), res(4, 2048), 2.0, Set.of(), "UP")));
        for (int i = 0; i < 4; i++) {
            issue(node1, res(1, 512));
        }
        assertEquals("capacity.cpu", assertThrows(DeniedException.class, () -> issue(node1, res(0.5, 1)))
                .reasons().get(0).rule());
    }

    @Test
    void downNonBootAndUnreportedNodesGetNoTickets() {
        h.agent.accept(node1.hostname, node1.report(now(), res(2, 1024), Set.of(), "DOWN"));
        assertEquals("node.health", assertThrows(DeniedException.class, () -> issue(node1, res(1, 1)))
                .reasons().get(0).rule());
        Node safe = new Node(h.nodes, "safe.test", "mit", "safeboot");
        report(safe, res(2, 1024), Set.of());
        assertEquals("node.bootState", assertThrows(DeniedException.class, () -> issue(safe, res(1, 1)))
                .reasons().get(0).rule());
        assertEquals("node.report", assertThrows(DeniedException.class, () -> issue(node2, res(1, 1)))
                .reasons().get(0).rule());
        report(node2, res(2, 1024), Set.of());
        assertEquals(1, issue(node2, res(1, 1)).tickets().size());
        // WARN and STARTING nodes still serve.
        h.clock.advance(Duration.ofSeconds(1));
        h.agent.accept(node2.hostname, node2.report(now(), res(2, 1024), Set.of(), "WARN"));
        assertEquals(1, issue(node2, res(1, 1)).tickets().size());
    }

    @Test
    void aSliceGetsNoMoreThanItsMaxSlivers() {
        slice = h.slices.add("princeton_small", Duration.ofDays(1), 2);
        Node node3 = new Node(h.nodes, "node3.test", "mit", "boot");
        for (Node node : List.of(node1, node2, node3)) {
            report(node, res(4, 4096), Set.of());
        }
        Issuance first = h.agent.issue(slice, List.of(node1.hostname), res(1, 1), Duration.ofHours(1), false);
        h.agent.issue(slice, List.of(node2.hostname), res(1, 1), Duration.ofHours(1), false);
        DeniedException e = assertThrows(DeniedException.class, () -> h.agent.issue(slice,
                List.of(node3.hostname), res(1, 1), Duration.ofHours(1), false));
        assertEquals("slice.maxSlivers", e.reasons().get(0).rule());
        // A redeemed ticket is a sliver as long as its node reports the lease.
        h.clock.advance(Duration.ofSeconds(1));
        report(node1, res(3, 4095), Set.of(first.tickets().get(0).id()));
        assertEquals(2, h.agent.sliversHeld(slice.name()));
        h.clock.advance(Duration.ofSeconds(1));
        report(node1, res(4, 4096), Set.of());
        assertEquals(1, h.agent.sliversHeld(slice.name()));
        assertEquals(1, h.agent.issue(slice, List.of(node3.hostname), res(1, 1), Duration.ofHours(1), false)
                .tickets().size());
    }

    @Test
    void allOrNothingUnlessPartial() {
        report(node1, res(2, 1024), Set.of());
        report(node2, res(0.5, 1024), Set.of());
        List<String> both = List.of(node1.hostname, node2.hostname);
        DeniedException e = assertThrows(DeniedException.class,
                () -> h.agent.issue(slice, both, res(1, 1), Duration.ofHours(1), false));
        assertEquals(1, e.reasons().size());
        assertEquals(Resources.NONE, view(node1).outstanding(), "nothing was issued");
        Issuance partial = h.agent.issue(slice, both, res(1, 1), Duration.ofHours(1), true);
        assertEquals(List.of(node1.hostname), partial.tickets().stream().map(Issuance.Ticket::node).toList());
        assertEquals(node2.hostname, partial.refused().get(0).node());
    }

    @Test
    void theWindowEndsWithTheSliceAndTheLongestTerm() {
        report(node1, res(4, 4096), Set.of());
        SliceRecord shortLived = h.slices.add("princeton_brief", Duration.ofMinutes(20), 5);
        Issuance issued = h.agent.issue(shortLived, List.of(node1.hostname), res(1, 1), Duration.ofHours(1), false);
        assertEquals(shortLived.expires(), issued.tickets().get(0).expires());
        Issuance capped = h.agent.issue(slice, List.of(node1.hostname), res(1, 1), Duration.ofDays(5), false);
        assertEquals(now().plus(Duration.ofDays(1)), capped.tickets().get(0).expires());
        h.clock.advance(Duration.ofMinutes(21));
        assertEquals(410, assertThrows(DeniedException.class, () -> h.agent.issue(shortLived,
                List.of(node1.hostname), res(1, 1), Duration.ofHours(1), false)).status());
    }

    // --- durability ---

    @Test
    void aRestartRemembersOutstandingTicketsAndRevocations() throws Exception {
        report(node1, res(2, 1024), Set.of());
        Issuance kept = issue(node1, res(1, 512));
        Issuance revoked = issue(node1, res(1, 512));
        h.agent.revoke(revoked.tickets().get(0).id());
        h.restart();
        report(node1, res(2, 1024), Set.of());
        assertEquals(res(1, 512), view(node1).outstanding());
        assertEquals("outstanding", h.agent.ticket(kept.tickets().get(0).id()).orElseThrow().state(now()));
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(revoked.tickets().get(0).id(), report(node1, res(2, 1024), Set.of()).revoked().get(0).ticket());
    }

    @Test
    void compactionDropsExpiredTicketsAndSurvivesATornLine() throws Exception {
        report(node1, res(2, 1024), Set.of());
        h.agent.issue(slice, List.of(node1.hostname), res(1, 1), Duration.ofMinutes(1), false);
        Issuance kept = issue(node1, res(1, 1));
        Path file = directory.resolve("tickets.jsonl");
        Files.writeString(file, "{\"op\":\"issue\",\"id\":\"torn", java.nio.file.StandardOpenOption.APPEND);
        h.clock.advance(Duration.ofMinutes(2));
        h.restart();
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(kept.tickets().get(0).id()));
    }

    // --- formats ---

    @Test
    void ticketsAreReadableByJose4jAndChainToTheAuthority() throws Exception {
        report(node1, res(2, 1024), Set.of());
        Issuance.Ticket ticket = issue(node1, res(1, 512)).tickets().get(0);

        JwtClaims claims = consumer("ticket+jwt").setExpectedAudience(node1.hostname).setExpectedIssuer("agent")
                .setVerificationKey(key(h.agentKey.publicKey())).setEvaluationTime(
                        org.jose4j.jwt.NumericDate.fromSeconds(now().getEpochSecond())).build()
                .processToClaims(ticket.ticket());
        assertEquals(slice.name(), claims.getSubject());
        assertEquals(ticket.id(), claims.getJwtId());
        assertEquals(22, claims.getJwtId().length(), "16 random bytes, base64url");
        assertEquals(now().getEpochSecond(), claims.getNotBefore().getValue());
        assertEquals(ticket.expires().getEpochSecond(), claims.getExpirationTime().getValue());
        assertEquals(1.0, ((Number) claims.getClaimValue("res", java.util.Map.class).get("cpu")).doubleValue());
        JsonWebSignature header = new JsonWebSignature();
        header.setCompactSerialization(ticket.ticket());
        assertEquals("agent", header.getKeyIdHeaderValue());

        // The certificate inside verifies against the authority's key, and binds the key that signed the ticket.
        String certificate = (String) claims.getClaimValue("agent");
        JwtClaims certified = consumer("agent+jwt").setExpectedIssuer(Fixtures.ISSUER)
                .setVerificationKey(key(h.authority.key.publicKey())).setEvaluationTime(
                        org.jose4j.jwt.NumericDate.fromSeconds(now().getEpochSecond())).build()
                .processToClaims(certificate);
        assertEquals("agent", certified.getSubject());
        @SuppressWarnings("unchecked")
        var jwk = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) certified.getClaimValue("cnf")).get("jwk");
        assertEquals(h.agentKey.publicKey().base64Url(), jwk.get("x"));
        assertEquals(Jws.verify(ticket.ticket(), "ticket+jwt", Jws.keyOf(Jws.JSON.valueToTree(jwk))).claims()
                .path("jti").asText(), ticket.id());
    }

    @Test
    void theCertificateIsRenewedWhenAThirdOfItsLifeIsLeft() {
        String first = h.agent.certificate();
        assertEquals(first, h.agent.certificate());
        h.clock.advance(Duration.ofDays(19));
        assertEquals(first, h.agent.certificate(), "two thirds of 30 days have not passed");
        h.clock.advance(Duration.ofDays(1).plusSeconds(1));
        String second = h.agent.certificate();
        assertFalse(first.equals(second));
        // A failing authority leaves the current certificate in use while it is valid.
        h.authority.failing = true;
        h.clock.advance(Duration.ofDays(21));
        assertEquals(second, h.agent.certificate());
        h.clock.advance(Duration.ofDays(10));
        assertEquals(503, assertThrows(dev.sliceplane.platform.api.http.ProblemException.class,
                () -> h.agent.certificate()).problem().status());
    }

    private static JwtConsumerBuilder consumer(String type) {
        return new JwtConsumerBuilder().setRequireJwtId().setRequireExpirationTime().setAllowedClockSkewInSeconds(30)
                .setExpectedType(true, type)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA");
    }

    private static java.security.PublicKey key(dev.sliceplane.jose.Ed25519PublicKey key) throws Exception {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(Jws.jwk(key).toString());
        return ((OctetKeyPairJsonWebKey) jwk).getPublicKey();
    }

    @SuppressWarnings("unused")
    private static JwtConsumer unused() {
        return null;
    }
}
