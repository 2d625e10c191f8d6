package dev.sliceplane.client.fake;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * TEST FIXTURE, not the agent or broker: {@code POST /api/v1/broker/requests} hands out one
 * ticket per registered node (host-name order) as the contract's answer, 422
 * {@code no-matching-nodes} when too few are registered and the request is not partial;
 * {@code GET /api/v1/agent/tickets?slice=} lists what it handed out and {@code GET
 * /api/v1/agent/nodes} the nodes. Tickets are base64url JSON claims ({@code sub}, {@code aud},
 * {@code res}, {@code jti}) standing in for the signed JWS.
 */
public final class FakeAuthority extends FakeServer {

    /** A node the broker may hand tickets for; {@code url} is what tickets and the node list say. */
    public record NodeEntry(String host, URI url) {
    }

    private final Map<String, NodeEntry> nodes = new TreeMap<>();
    private final Map<String, List<ObjectNode>> issued = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean ticketListsOmitUrls;

    public FakeAuthority() throws IOException {
    }

    public synchronized FakeAuthority register(String host, URI url) {
        nodes.put(host, new NodeEntry(host, url));
        return this;
    }

    public synchronized FakeAuthority register(FakeNode node) {
        return register(node.host(), node.url());
    }

    /** The agent's ticket list names nodes only, so the client has to look their URLs up. */
    public FakeAuthority omitUrlsInTicketList() {
        this.ticketListsOmitUrls = true;
        return this;
    }

    static JsonNode readTicket(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token));
        } catch (IOException | IllegalArgumentException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    protected synchronized Answer answer(Request request) {
        String target = request.target();
        if (request.method().equals("POST") && target.equals("/api/v1/broker/requests")) {
            return tickets(request.body());
        }
        if (request.method().equals("GET") && target.startsWith("/api/v1/agent/tickets?slice=")) {
            String slice = decode(target.substring(target.indexOf('=') + 1));
            ArrayNode list = JSON.createArrayNode();
            for (ObjectNode ticket : issued.getOrDefault(slice, List.of())) {
                ObjectNode listed = ticket.deepCopy();
                listed.remove("ticket");
                if (ticketListsOmitUrls) {
                    listed.remove("url");
                }
                list.add(listed);
            }
            return Answer.json(200, JSON.createObjectNode().set("tickets", list));
        }
        if (request.method().equals("GET") && target.equals("/api/v1/agent/nodes")) {
            ArrayNode list = JSON.createArrayNode();
            nodes.values().forEach(node -> list.addObject().put("hostname", node.host())
                    .put("url", node.url().toString()).put("health", "UP"));
            return Answer.json(200, list);
        }
        return Answer.problem(404, "not-found", "no route " + target);
    }

    private Answer tickets(JsonNode body) {
        String slice = body.path("slice").asText();
        int count = body.path("count").asInt();
        if (nodes.size() < count && !body.path("partial").asBoolean()) {
            return Answer.problem(422, "no-matching-nodes", "only " + nodes.size() + " of " + count + " nodes match",
                    new String[] {"capacity", "broker", "count", nodes.size() + " nodes match, " + count + " asked"});
        }
        ArrayNode tickets = JSON.createArrayNode();
        List<ObjectNode> made = new ArrayList<>();
        for (NodeEntry node : nodes.values().stream().limit(count).toList()) {
            String id = "t" + counter.incrementAndGet();
            ObjectNode claims = JSON.createObjectNode().put("sub", slice).put("aud", node.host()).put("jti", id);
            claims.set("res", body.path("resources"));
            String token = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
            ObjectNode ticket = JSON.createObjectNode().put("node", node.host()).put("url", node.url().toString())
                    .put("ticket", token).put("id", id).put("expires", Instant.now().plusSeconds(3600).toString());
            made.add(ticket);
            tickets.add(ticket);
        }
        issued.computeIfAbsent(slice, s -> new CopyOnWriteArrayList<>()).addAll(made);
        return Answer.json(200, JSON.createObjectNode().set("tickets", tickets));
    }
}
