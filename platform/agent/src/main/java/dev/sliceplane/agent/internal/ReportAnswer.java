package dev.sliceplane.agent.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agent's answer to a capacity report: how often to report, and the revoked, unexpired
 * tickets for the reporting node. JSON: {@code {"interval":"PT10S","revoked":[{"ticket","expires"}]}}.
 */
public record ReportAnswer(Duration interval, List<Revocation> revoked) {

    public ReportAnswer {
        revoked = List.copyOf(revoked);
    }

    /** A revoked ticket and when it would have expired. */
    public record Revocation(String ticket, Instant expires) {
    }
}
