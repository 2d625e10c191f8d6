package dev.sliceplane.platform.api.acquisition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agent's answer to a capacity report. JSON at {@code POST /api/v1/agent/reports}:
 * {@code {"interval":"PT10S","revoked":[{"ticket","expires"}],"time":<epoch ms>}}.
 *
 * @param interval how often the node should report; {@code null} when the agent names none
 * @param revoked  the node's revoked tickets that have not expired yet
 * @param time     the agent's clock when it answered, for the node's clock-offset estimate;
 *                 {@code null} from an agent that does not say
 * @since 1.2
 */
public record ReportAnswer(Duration interval, List<Revocation> revoked, Instant time) {

    public ReportAnswer {
        revoked = List.copyOf(revoked);
    }

    /**
     * A revoked ticket: the node must not redeem it any more.
     *
     * @param ticket  the ticket's id
     * @param expires when the ticket would have expired; the node may forget it then
     */
    public record Revocation(String ticket, Instant expires) {
    }
}
