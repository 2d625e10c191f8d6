package dev.sliceplane.agent.internal.agent;

import java.time.Instant;
import java.util.List;

import dev.sliceplane.platform.api.acquisition.Reason;

/**
 * What a request for tickets got: the tickets issued and why the other nodes got none.
 *
 * @param tickets the tickets, one per node
 * @param refused a reason for each node that got none
 */
public record Issuance(List<Ticket> tickets, List<Reason> refused) {

    public Issuance {
        tickets = List.copyOf(tickets);
        refused = List.copyOf(refused);
    }

    /** One issued ticket as the broker answers it: {@code {"node","url","ticket","id","expires"}}. */
    public record Ticket(String node, String url, String ticket, String id, Instant expires) {
    }
}
