package dev.sliceplane.nodemanager.internal;

import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;

/**
 * The node manager's refusals, one factory per problem type of the contract, so each status and
 * type is written in one place. The first reason is the decisive one; any further ones are context.
 */
public final class Denials {

    private Denials() {
    }

    public static DeniedException invalid(String node, String rule, String detail) {
        return new DeniedException(400, "invalid-request", new Reason("request", node, rule, detail));
    }

    public static DeniedException forged(String node, String rule, String detail, Reason... context) {
        return new DeniedException(403, "ticket-forged", chain(new Reason("signature", node, rule, detail), context));
    }

    public static DeniedException wrongNode(String node, String detail, Reason... context) {
        return new DeniedException(403, "ticket-wrong-node",
                chain(new Reason("signature", node, "ticket.aud", detail), context));
    }

    public static DeniedException notYetValid(String node, String detail, Reason... context) {
        return new DeniedException(403, "ticket-not-yet-valid",
                chain(new Reason("window", node, "ticket.nbf", detail), context));
    }

    public static DeniedException expired(String node, String detail, Reason... context) {
        return new DeniedException(410, "ticket-expired", chain(new Reason("window", node, "ticket.exp", detail), context));
    }

    public static DeniedException revoked(String node, String detail, Reason... context) {
        return new DeniedException(403, "ticket-revoked", chain(new Reason("replay", node, "ticket.revoked", detail), context));
    }

    public static DeniedException replayed(String node, String detail, Reason... context) {
        return new DeniedException(409, "ticket-replayed", chain(new Reason("replay", node, "ticket.jti", detail), context));
    }

    public static DeniedException sliceUnknown(String node, String rule, String detail, Reason... context) {
        return new DeniedException(404, "slice-unknown", chain(new Reason("slice", node, rule, detail), context));
    }

    public static DeniedException notAMember(String node, String detail, Reason... context) {
        return new DeniedException(403, "not-a-member", chain(new Reason("slice", node, "slice.members", detail), context));
    }

    public static DeniedException policy(Reason decisive, Reason... context) {
        return new DeniedException(403, "policy-denied", chain(decisive, context));
    }

    public static DeniedException overCapacity(List<Reason> reasons) {
        return new DeniedException(422, "over-capacity", reasons);
    }

    public static DeniedException sliverExists(String node, String detail, Reason... context) {
        return new DeniedException(409, "sliver-exists", chain(new Reason("lease", node, "lease.onePerSlice", detail), context));
    }

    public static DeniedException leaseUnknown(String node, String detail) {
        return new DeniedException(404, "lease-unknown", new Reason("lease", node, "lease.id", detail));
    }

    private static List<Reason> chain(Reason decisive, Reason... context) {
        List<Reason> reasons = new ArrayList<>(1 + context.length);
        reasons.add(decisive);
        reasons.addAll(List.of(context));
        return reasons;
    }
}
