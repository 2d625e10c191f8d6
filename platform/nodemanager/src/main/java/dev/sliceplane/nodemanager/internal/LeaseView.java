package dev.sliceplane.nodemanager.internal;

import java.time.Duration;
import java.time.Instant;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A lease as the HTTP API shows it (the contract's "Lease view").
 *
 * @param state   {@code active}, {@code expiring} (ends within the policy's warnBefore) or {@code expired}
 * @param warning for people, e.g. "ends in 4 min"; null while active
 * @param lease   the signed lease (compact JWS)
 */
public record LeaseView(String id, String slice, String node, String sliver, String ticket, Resources resources,
                        Instant start, Instant end, String state, String warning, String lease) {

    static LeaseView of(Lease lease, String node, Instant now, Duration warnBefore) {
        Duration left = Duration.between(now, lease.end());
        String state;
        String warning;
        if (left.isNegative() || left.isZero()) {
            state = "expired";
            warning = "ended at " + lease.end() + "; its sliver is being reclaimed";
        } else if (left.compareTo(warnBefore) <= 0) {
            state = "expiring";
            warning = "ends in " + describe(left);
        } else {
            state = "active";
            warning = null;
        }
        return new LeaseView(lease.id(), lease.slice(), node, lease.sliver(), lease.ticket(), lease.resources(),
                lease.start(), lease.end(), state, warning, lease.token());
    }

    /** "45 s", "4 min", "2 h" (rounded up, so "ends in 1 min" never means 0). */
    static String describe(Duration left) {
        long seconds = Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        return ((minutes + 59) / 60) + " h";
    }
}
