package dev.sliceplane.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sliceplane.client.ClientException;
import dev.sliceplane.client.DeployRequest;
import dev.sliceplane.client.RefusedException;
import dev.sliceplane.client.UnreachableException;

/**
 * The authority's side: the broker hands out tickets, the agent knows which nodes a slice holds
 * tickets for and where they are. A failure here fails the whole operation ({@link ClientException}).
 */
public final class Authority {

    /** Stands for "no URL in the ticket" while collecting (a map value cannot be null in merge). */
    private static final URI UNKNOWN = URI.create("unknown:node");

    private final JsonHttp http;
    private final Views views;
    private final URI url;
    private final Duration timeout;

    public Authority(JsonHttp http, URI url, Duration timeout) {
        this.http = http;
        this.views = new Views(http.json());
        this.url = url;
        this.timeout = timeout;
    }

    /** {@code POST /api/v1/broker/requests}: one ticket per node, in host-name order. */
    public List<Ticket> requestTickets(DeployRequest request) {
        Reply reply = check(http.send("POST", url, Paths.BROKER_REQUESTS, views.brokerRequest(request), timeout));
        if (!Views.isList(reply.body(), "tickets")) {
            throw new RefusedException(JsonHttp.unreadable(200, "the broker's answer has no tickets"));
        }
        List<Ticket> tickets = new ArrayList<>();
        for (var element : Views.list(reply.body(), "tickets")) {
            Ticket ticket = Views.ticket(element);
            if (ticket == null || ticket.url() == null || ticket.jws() == null) {
                throw new RefusedException(JsonHttp.unreadable(200, "a ticket lacks its node, url or token (node "
                        + (ticket == null ? "unnamed" : ticket.node()) + ")"));
            }
            tickets.add(ticket);
        }
        tickets.sort((a, b) -> a.node().compareTo(b.node()));
        return tickets;
    }

    /**
     * The nodes the slice holds tickets for ({@code GET /api/v1/agent/tickets?slice=}), each with
     * its URL, in host-name order. A ticket that names no URL gets it from the agent's node list;
     * a node the agent no longer lists maps to null.
     */
    public Map<String, URI> ticketHolders(String slice) {
        Reply reply = check(http.send("GET", url, Paths.agentTickets(slice), null, timeout));
        if (!Views.isList(reply.body(), "tickets")) {
            throw new RefusedException(JsonHttp.unreadable(200, "the agent's answer has no tickets"));
        }
        Map<String, URI> nodes = new TreeMap<>();
        for (var element : Views.list(reply.body(), "tickets")) {
            Ticket ticket = Views.ticket(element);
            if (ticket != null) {
                nodes.merge(ticket.node(), ticket.url() == null ? UNKNOWN : ticket.url(),
                        (known, other) -> known == UNKNOWN ? other : known);
            }
        }
        if (nodes.containsValue(UNKNOWN)) {
            Map<String, URI> listed = Views.nodeUrls(check(http.send("GET", url, Paths.AGENT_NODES, null, timeout)).body());
            nodes.replaceAll((host, known) -> known == UNKNOWN ? listed.get(host) : known);
        }
        return nodes;
    }

    private Reply check(Reply reply) {
        if (reply.ok()) {
            return reply;
        }
        if (reply.unreachableWhy() != null) {
            throw new UnreachableException(url, reply.unreachableWhy());
        }
        throw new RefusedException(reply.failure());
    }
}
