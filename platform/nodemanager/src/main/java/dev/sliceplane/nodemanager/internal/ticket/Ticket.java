package dev.sliceplane.nodemanager.internal.ticket;

import java.time.Instant;

import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A ticket whose signature chain was checked: the agent promises that {@code slice} may hold
 * {@code resources} on {@code node} during [{@code notBefore}, {@code expires}).
 *
 * @param id        the ticket id ({@code jti})
 * @param agent     the agent that signed it ({@code iss}, the certificate's {@code sub})
 * @param slice     the slice ({@code sub})
 * @param node      the node it is for ({@code aud})
 * @param resources what it promises ({@code res})
 * @param notBefore start of the window ({@code nbf})
 * @param expires   end of the window ({@code exp})
 */
public record Ticket(String id, String agent, String slice, String node, Resources resources, Instant notBefore,
                     Instant expires) {

    /** The context reason a denial of this ticket carries after its decisive one. */
    public Reason context(String check, String hostname) {
        return new Reason(check, hostname, "ticket", "ticket " + id + " from " + agent + " for slice " + slice
                + " on " + node + ", " + resources + ", valid " + notBefore + " to " + expires);
    }
}
