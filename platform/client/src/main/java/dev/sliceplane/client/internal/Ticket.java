package dev.sliceplane.client.internal;

import java.net.URI;

/**
 * A ticket as the broker hands it out ({@code {"node","url","ticket","id","expires"}}) or the
 * agent lists it; {@code jws} is null in the agent's list when it does not include the token.
 */
public record Ticket(String id, String node, URI url, String jws) {
}
