package dev.sliceplane.agent.internal.agent;

import java.time.Instant;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * What the agent remembers of a ticket it issued: enough to count it against its node and slice
 * and to revoke it, not the JWS itself.
 *
 * @param id           {@code jti}
 * @param slice        {@code sub}
 * @param node         {@code aud}
 * @param resources    {@code res}
 * @param notBefore    {@code nbf}
 * @param expires      {@code exp}
 * @param issuedAt     {@code iat}
 * @param sliceExpires when the slice ends: a lease made from the ticket never outlives it, so a
 *                     redeemed ticket is remembered until then for the slice's sliver count
 * @param revoked      whether an administrator or PI revoked it
 * @param redeemed     whether its node reported a lease made from it (it then stops counting as
 *                     outstanding for good: a ticket is redeemed once)
 * @param released     whether its node reported that the lease made from it has ended, whether or
 *                     not the agent ever saw it redeemed: it then holds neither capacity nor a sliver
 */
public record TicketRecord(String id, String slice, String node, Resources resources, Instant notBefore,
        Instant expires, Instant issuedAt, Instant sliceExpires, boolean revoked, boolean redeemed,
        boolean released) {

    /** A ticket just issued. */
    static TicketRecord issued(String id, String slice, String node, Resources resources, Instant notBefore,
            Instant expires, Instant issuedAt, Instant sliceExpires) {
        return new TicketRecord(id, slice, node, resources, notBefore, expires, issuedAt, sliceExpires, false, false,
                false);
    }

    TicketRecord asRevoked() {
        return new TicketRecord(id, slice, node, resources, notBefore, expires, issuedAt, sliceExpires, true, redeemed,
                released);
    }

    TicketRecord asRedeemed() {
        return new TicketRecord(id, slice, node, resources, notBefore, expires, issuedAt, sliceExpires, revoked, true,
                released);
    }

    TicketRecord asReleased() {
        return new TicketRecord(id, slice, node, resources, notBefore, expires, issuedAt, sliceExpires, revoked,
                redeemed, true);
    }

    /** Issued, unexpired, unrevoked and neither redeemed nor released: it holds capacity on its node. */
    boolean outstanding(Instant now) {
        return !revoked && !redeemed && !released && expires.isAfter(now);
    }

    /**
     * Whether the agent may forget it: nothing it could still count for or be asked about. A
     * released ticket's lease is over, so it need not wait for the slice's end as a redeemed one does.
     */
    boolean forgettable(Instant now) {
        return !expires.isAfter(now) && (released || !redeemed || !sliceExpires.isAfter(now));
    }

    /** {@code outstanding}, {@code redeemed}, {@code released}, {@code revoked} or {@code expired}. */
    public String state(Instant now) {
        if (released) {
            return "released";
        }
        if (redeemed) {
            return "redeemed";
        }
        if (revoked) {
            return "revoked";
        }
        return expires.isAfter(now) ? "outstanding" : "expired";
    }
}
