package dev.sliceplane.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

/**
 * This node's clock against the authority's, as the resource monitor's reports measure it: the
 * agent's answer carries its clock, read between the report's sending and the answer's arrival,
 * so the offset is known to within half the round trip (the NTP estimate). Bundle-internal
 * service: the reporter writes it, the node figures and the clock-skew check read it.
 * Thread-safe.
 */
@Component(service = AuthorityClock.class)
public final class AuthorityClock {

    /**
     * One measurement.
     *
     * @param offsetSeconds the authority's clock minus ours
     * @param errorSeconds  at most this far off: half the round trip
     * @param measuredAt    when, on our clock
     */
    public record Offset(double offsetSeconds, double errorSeconds, Instant measuredAt) {
    }

    private volatile Offset latest;

    /** Records a round trip: sent and received on our clock, {@code authorityTime} on theirs. */
    public void measured(Instant sent, Instant received, Instant authorityTime) {
        double roundTrip = Duration.between(sent, received).toNanos() / 1e9;
        Instant midpoint = sent.plusNanos(Duration.between(sent, received).toNanos() / 2);
        double offset = Duration.between(midpoint, authorityTime).toNanos() / 1e9;
        latest = new Offset(offset, Math.max(0, roundTrip / 2), received);
    }

    /** This process is the authority: its clock is the reference. */
    public void isAuthority(Instant now) {
        latest = new Offset(0, 0, now);
    }

    /** The latest measurement; empty until a report has been answered. */
    public Optional<Offset> latest() {
        return Optional.ofNullable(latest);
    }
}
