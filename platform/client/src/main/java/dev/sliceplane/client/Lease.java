package dev.sliceplane.client;

import java.time.Instant;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A node manager's view of a lease ({@code /api/v1/leases}): the slice's sliver on a node and
 * until when it may hold it.
 *
 * @param id        the lease id
 * @param slice     the slice
 * @param node      the node's host name
 * @param sliver    the VMM's name for the sliver
 * @param ticket    the id of the ticket it was redeemed for
 * @param resources what was granted
 * @param start     when it began
 * @param end       when it ends unless renewed
 * @param state     {@code active}, {@code expiring} (ends soon) or {@code expired}
 * @param warning   e.g. "ends in 4 min"; null when there is none
 * @param jws       the signed lease (compact JWS), proof of the grant for anyone holding the
 *                  authority's keys; null if the node did not include it
 */
public record Lease(String id, String slice, String node, String sliver, String ticket, Resources resources,
        Instant start, Instant end, String state, String warning, String jws) {
}
