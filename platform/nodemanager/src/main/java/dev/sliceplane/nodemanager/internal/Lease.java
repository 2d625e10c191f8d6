package dev.sliceplane.nodemanager.internal;

import java.time.Instant;
import java.util.Objects;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A lease this node granted: slice {@code slice} holds sliver {@code sliver} with
 * {@code resources} from {@code start} until {@code end}. Immutable; a renewal or resize makes a
 * new one with a freshly signed {@code token}.
 *
 * @param id            the lease id ({@code jti} of the lease JWS)
 * @param slice         the slice
 * @param sliver        the VMM sliver (named as the slice: one per slice per node)
 * @param ticket        the id of the ticket it was redeemed from
 * @param ticketExpires when that ticket's window ends (replay protection lasts until then)
 * @param resources     what it grants
 * @param start         when it started
 * @param end           when it ends unless renewed
 * @param token         the signed lease (compact JWS, {@code typ lease+jwt}); null in a journal intent
 */
public record Lease(String id, String slice, String sliver, String ticket, Instant ticketExpires, Resources resources,
                    Instant start, Instant end, String token) {

    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slice, "slice");
        Objects.requireNonNull(sliver, "sliver");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(ticketExpires, "ticketExpires");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** The site owning the slice: the prefix of its name before the first {@code _}. */
    public String site() {
        int underscore = slice.indexOf('_');
        return underscore < 0 ? slice : slice.substring(0, underscore);
    }

    public boolean endedBy(Instant now) {
        return !now.isBefore(end);
    }

    public Lease withTerms(Resources granted, Instant newEnd, String newToken) {
        return new Lease(id, slice, sliver, ticket, ticketExpires, granted, start, newEnd, newToken);
    }
}
