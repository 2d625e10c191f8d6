package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Slice acquisition end to end, on an authority and three nodes, each its own process on loopback
 * with its own port and data directory: the nodes' resource monitors report to the agent, a PI
 * asks the broker for three slivers, redeems each ticket at its node, starts a program in each
 * sliver, renews, resizes and releases. Every refusal comes back as a 4xx whose reasons say which
 * check refused, where and by which rule.
 */
class AcquisitionIT {

    static final String SITE = "princeton";
    static final String SLICE = "princeton_codeen";
    static final String DENIED = "princeton_denied";
    static final String PI = "pi@princeton.edu";
    static final List<String> HOSTS = List.of("node1.princeton.edu", "node2.princeton.edu", "node3.princeton.edu");
    static final String SMALL = "{\"cpu\":0.2,\"memory\":67108864,\"processes\":32,\"disk\":0}";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSliceIsAcquiredOnThreeNodesAndEveryRefusalSaysWhy() throws Exception {
        cluster = Cluster.start(tmp, SITE);
        String pi = threeNodesForThePi(cluster, tmp);
        Http piAtAuthority = cluster.authority().anonymousHttp().as(pi);

        // Three tickets from the broker, one per node.
        JsonNode tickets = expect(200, send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + SLICE
                + "\",\"count\":3,\"resources\":" + SMALL + ",\"where\":\"site = " + SITE + "\",\"duration\":\"PT1H\"}"))
                .path("tickets");
        assertEquals(3, tickets.size(), tickets.toString());
        Set<String> ticketed = new HashSet<>();
        tickets.forEach(t -> ticketed.add(t.path("node").asText()));
        assertEquals(Set.copyOf(HOSTS), ticketed);

        // Each node grants a lease it signed, creates the sliver and runs the program.
        List<JsonNode> leases = new ArrayList<>();
        for (JsonNode ticket : tickets) {
            Http node = at(ticket, pi);
            JsonNode lease = expect(201, node.postJson("/api/v1/leases", "{\"ticket\":\"" + ticket.path("ticket").asText() + "\"}"));
            assertEquals(SLICE, lease.path("slice").asText(), lease.toString());
            assertEquals(ticket.path("node").asText(), lease.path("node").asText());
            JsonNode claims = claims(lease.path("lease").asText());
            assertEquals(ticket.path("node").asText(), claims.path("iss").asText());
            assertEquals(SLICE, claims.path("sub").asText());
            assertEquals(ticket.path("id").asText(), claims.path("ticket").asText());
            leases.add(lease);
            JsonNode program = expect(201, node.postJson("/api/v1/leases/" + lease.path("id").asText() + "/programs",
                    "{\"command\":[\"sh\",\"-c\",\"echo started; sleep 600\"]}"));
            assertTrue(program.path("pid").asLong() > 0, program.toString());
        }

        // Replay, forgery, another node's ticket: each refused with its reason.
        JsonNode first = tickets.get(0);
        Http firstNode = at(first, pi);
        String ticket = first.path("ticket").asText();
        assertReason(firstNode.postJson("/api/v1/leases", "{\"ticket\":\"" + ticket + "\"}"), 409, "ticket-replayed", "replay");
        String forged = ticket.substring(0, ticket.length() - 4) + (ticket.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertReason(firstNode.postJson("/api/v1/leases", "{\"ticket\":\"" + forged + "\"}"), 403, "ticket-forged", "signature");
        Http otherNode = at(tickets.get(1), pi);
        assertReason(otherNode.postJson("/api/v1/leases", "{\"ticket\":\"" + ticket + "\"}"), 403, "ticket-wrong-node", "signature");

        // A node's owner denies a slice; the broker refuses what no node can give and unknown slices.
        JsonNode deniedTicket = expect(200, send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + DENIED
                + "\",\"count\":1,\"resources\":" + SMALL + ",\"where\":\"hostname = " + HOSTS.get(2) + "\"}"))
                .path("tickets").get(0);
        JsonNode policy = assertReason(at(deniedTicket, pi).postJson("/api/v1/leases",
                "{\"ticket\":\"" + deniedTicket.path("ticket").asText() + "\"}"), 403, "policy-denied", "policy");
        assertEquals(HOSTS.get(2), policy.path("reasons").get(0).path("node").asText(), policy.toString());
        assertReason(send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + SLICE
                + "\",\"count\":1,\"resources\":{\"cpu\":0.1,\"memory\":10995116277760,\"processes\":1,\"disk\":0}}"),
                422, "no-matching-nodes", null);
        assertReason(send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"princeton_nothere\",\"count\":1,"
                + "\"resources\":" + SMALL + "}"), 404, "slice-unknown", "slice");
        assertReason(send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + SLICE + "\",\"count\":1,"
                + "\"resources\":" + SMALL + ",\"where\":\"cpu_free >> 1\"}"), 400, "invalid-query", null);

        // An expired ticket.
        JsonNode shortTicket = expect(200, send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + DENIED
                + "\",\"count\":1,\"resources\":" + SMALL + ",\"where\":\"hostname = " + HOSTS.get(0)
                + "\",\"duration\":\"PT2S\"}")).path("tickets").get(0);
        Thread.sleep(3_000);
        assertReason(at(shortTicket, pi).postJson("/api/v1/leases", "{\"ticket\":\"" + shortTicket.path("ticket").asText()
                + "\"}"), 410, "ticket-expired", "window");

        // Renew, resize, release.
        JsonNode lease = leases.get(0);
        String path = "/api/v1/leases/" + lease.path("id").asText();
        JsonNode renewed = expect(200, firstNode.postJson(path + "/renew", "{\"duration\":\"PT2H\"}"));
        assertTrue(Instant.parse(renewed.path("end").asText()).isAfter(Instant.parse(lease.path("end").asText())),
                renewed.toString());
        JsonNode resized = expect(200, send(firstNode, "PATCH", path,
                "{\"resources\":{\"cpu\":0.3,\"memory\":134217728,\"processes\":32,\"disk\":0}}"));
        assertEquals(134217728L, resized.path("resources").path("memory").asLong(), resized.toString());
        JsonNode programs = expect(200, firstNode.get(path + "/programs"));
        assertFalse(programs.toString().isEmpty());
        assertEquals(204, firstNode.delete(path).status());
        assertEquals(404, firstNode.get(path).status());
        Http nodeAdmin = cluster.adminAt(cluster.node(lease.path("node").asText()));
        assertEquals(404, nodeAdmin.get("/api/v1/vmm/slivers/" + SLICE).status(), "the released sliver is gone");

        // The node reports the ended lease's ticket as released. A lease redeemed and released
        // before the next report is never reported redeemed: released alone frees its ticket, and
        // the broker serves the slice on that node again.
        awaitTicketState(piAtAuthority, lease.path("ticket").asText(), "released");
        String where = "\"where\":\"hostname = " + lease.path("node").asText() + "\"}";
        for (int round = 0; round < 2; round++) {
            JsonNode again = expect(200, send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + SLICE
                    + "\",\"count\":1,\"resources\":" + SMALL + "," + where)).path("tickets").get(0);
            JsonNode brief = expect(201, at(again, pi).postJson("/api/v1/leases",
                    "{\"ticket\":\"" + again.path("ticket").asText() + "\"}"));
            assertEquals(204, at(again, pi).delete("/api/v1/leases/" + brief.path("id").asText()).status());
            awaitTicketState(piAtAuthority, again.path("id").asText(), "released");
        }
    }

    /** Waits until the agent lists ticket {@code id} of {@link #SLICE} in {@code state}. */
    static void awaitTicketState(Http http, String id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode tickets = null;
        while (System.nanoTime() < deadline) {
            tickets = expect(200, http.get("/api/v1/agent/tickets?slice=" + SLICE));
            for (JsonNode ticket : tickets) {
                if (ticket.path("id").asText().equals(id) && ticket.path("state").asText().equals(state)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("ticket " + id + " never became " + state + ": " + tickets);
    }

    /**
     * A node killed with SIGKILL while it redeems tickets, at a different moment each round, then
     * restarted: every lease it acknowledged is still there with its sliver, and no sliver is left
     * without a lease.
     */
    @Test
    void aNodeKilledDuringRedemptionKeepsEveryAcknowledgedLeaseAndNoOrphan() throws Exception {
        cluster = Cluster.start(tmp, SITE);
        String pi = cluster.principal(PI, SITE, "pi", "user");
        Http piAtAuthority = cluster.authority().anonymousHttp().as(pi);
        String host = HOSTS.get(0);
        Path etc = tmp.resolve(host).resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("dev.sliceplane.monitor.reporter.cfg"), "interval = PT1S\n");
        NodeProcess node = cluster.join(host, SITE);
        Set<String> acknowledged = new HashSet<>();
        int[] killAfterMillis = {0, 15, 40, 80, 150};
        // The killed node's last report stays fresh for a moment: the broker must see the restarted one's.
        Instant reportedSince = Instant.MIN;
        for (int round = 0; round < killAfterMillis.length; round++) {
            String slice = SITE + "_crash" + round;
            expect(201, send(piAtAuthority, "POST", "/api/v1/accounts/slices", "{\"name\":\"" + slice
                    + "\",\"expires\":\"2099-01-01T00:00:00Z\",\"maxSlivers\":1}"));
            expect(200, send(piAtAuthority, "PUT", "/api/v1/accounts/slices/" + slice + "/members/" + PI, null));
            awaitAdvertised(piAtAuthority, List.of(host), reportedSince);
            JsonNode ticket = expect(200, send(piAtAuthority, "POST", "/api/v1/broker/requests", "{\"slice\":\"" + slice
                    + "\",\"count\":1,\"resources\":" + SMALL + ",\"where\":\"hostname = " + host + "\"}"))
                    .path("tickets").get(0);
            Http atNode = at(ticket, pi);
            Thread redeemer = new Thread(() -> {
                try {
                    Http.Response granted = atNode.postJson("/api/v1/leases", "{\"ticket\":\"" + ticket.path("ticket").asText() + "\"}");
                    if (granted.status() == 201) {
                        synchronized (acknowledged) {
                            acknowledged.add(slice);
                        }
                    }
                } catch (Exception e) {
                    // The node died mid-request: nothing was acknowledged.
                }
            });
            redeemer.start();
            Thread.sleep(killAfterMillis[round]);
            node.kill();
            reportedSince = Instant.now();
            redeemer.join();
            node = cluster.restart(host);
            assertConsistent(cluster.adminAt(node), acknowledged);
        }
    }

    /** Every acknowledged slice has its lease and sliver; every sliver has a lease and every lease a sliver. */
    static void assertConsistent(Http admin, Set<String> acknowledged) throws Exception {
        // The node manager starts once the node's credential and the authority's keys are loaded
        // and it has reconciled its journal with the VMM, which can be a moment after health is up.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.get("/api/v1/leases").status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Set<String> leased = new HashSet<>();
        JsonNode leases = expect(200, admin.get("/api/v1/leases"));
        for (JsonNode lease : leases.isArray() ? leases : leases.path("leases")) {
            leased.add(lease.path("slice").asText());
        }
        Set<String> slivers = new HashSet<>();
        for (JsonNode sliver : expect(200, admin.get("/api/v1/vmm/slivers"))) {
            slivers.add(sliver.path("name").asText());
        }
        assertTrue(leased.containsAll(acknowledged), "acknowledged " + acknowledged + ", leased " + leased);
        assertEquals(leased, slivers, "leases and slivers match after the restart");
    }

    /**
     * Sets up the testbed both acquisition ITs use: a PI of the site with a key, the slices
     * {@link #SLICE} and {@link #DENIED} with the PI as member, and the three {@link #HOSTS} joined,
     * reporting every second, the third denying {@link #DENIED} by its owner's policy. Returns the
     * PI's token once the agent has seen every node.
     */
    static String threeNodesForThePi(Cluster cluster, Path tmp) throws Exception {
        String pi = cluster.principal(PI, SITE, "pi", "user");
        Http piAtAuthority = cluster.authority().anonymousHttp().as(pi);
        for (String slice : List.of(SLICE, DENIED)) {
            expect(201, send(piAtAuthority, "POST", "/api/v1/accounts/slices", "{\"name\":\"" + slice
                    + "\",\"expires\":\"2099-01-01T00:00:00Z\",\"maxSlivers\":10}"));
            expect(200, send(piAtAuthority, "PUT", "/api/v1/accounts/slices/" + slice + "/members/" + PI, null));
        }
        expect(201, send(piAtAuthority, "POST", "/api/v1/accounts/keys", "{\"owner\":\"" + PI
                + "\",\"key\":\"ssh-ed25519 " + AccountsApiIT.sshBlob(7) + " pi@laptop\"}"));
        for (String host : HOSTS) {
            Path etc = tmp.resolve(host).resolve("etc");
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("dev.sliceplane.monitor.reporter.cfg"), "interval = PT1S\n");
            if (host.equals(HOSTS.get(2))) {
                Files.writeString(etc.resolve("dev.sliceplane.nodemanager.policy.cfg"), "deniedSlices = " + DENIED + "\n");
            }
            cluster.join(host, SITE);
        }
        awaitAdvertised(piAtAuthority, HOSTS);
        return pi;
    }

    /** Waits until the agent lists every host with a fresh report. */
    static void awaitAdvertised(Http http, List<String> hosts) throws Exception {
        awaitAdvertised(http, hosts, Instant.MIN);
    }

    /** Waits until the agent has a fresh report, received after {@code since}, of every host saying it is up. */
    static void awaitAdvertised(Http http, List<String> hosts, Instant since) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode nodes = null;
        while (System.nanoTime() < deadline) {
            Http.Response response = http.get("/api/v1/agent/nodes");
            if (response.status() == 200) {
                nodes = response.json();
                Set<String> fresh = new HashSet<>();
                for (JsonNode node : nodes.isArray() ? nodes : nodes.path("nodes")) {
                    if (!node.path("stale").asBoolean(true) && "UP".equals(node.path("health").asText())
                            && Instant.parse(node.path("reportedAt").asText()).isAfter(since)) {
                        fresh.add(node.path("hostname").asText());
                    }
                }
                if (fresh.containsAll(hosts)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the agent never saw every node fresh and up: " + nodes);
    }

    static Http at(JsonNode ticket, String token) {
        return new Http(URI.create(ticket.path("url").asText())).as(token);
    }

    static JsonNode claims(String jws) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
    }

    static JsonNode expect(int status, Http.Response response) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }

    /** Checks a refusal's status, problem type and, unless null, the check of its first reason. */
    static JsonNode assertReason(Http.Response response, int status, String type, String check) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonNode problem = response.json();
        assertTrue(problem.path("type").asText().endsWith("/" + type), problem.toString());
        JsonNode reasons = problem.path("reasons");
        assertTrue(reasons.isArray() && reasons.size() > 0, "a refusal carries its reasons: " + problem);
        if (check != null) {
            assertEquals(check, reasons.get(0).path("check").asText(), problem.toString());
        }
        for (JsonNode reason : reasons) {
            assertFalse(reason.path("detail").asText().isEmpty(), problem.toString());
        }
        return problem;
    }

    static Http.Response send(Http http, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = http.request(path);
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build());
    }
}
