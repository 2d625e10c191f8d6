package dev.sliceplane.nodemanager.internal.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.http.Problem;

/**
 * A {@link DeniedException} as the contract's RFC 9457 problem: its status, type
 * {@code https://sliceplane.dev/problems/<type>}, the decisive reason's detail, and the whole
 * chain as {@code "reasons": [{"check","node","rule","detail"}...]}.
 */
final class DenialProblems {

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("ticket-forged", "Ticket forged"),
            Map.entry("ticket-expired", "Ticket expired"),
            Map.entry("ticket-not-yet-valid", "Ticket not yet valid"),
            Map.entry("ticket-replayed", "Ticket replayed"),
            Map.entry("ticket-revoked", "Ticket revoked"),
            Map.entry("ticket-wrong-node", "Ticket for another node"),
            Map.entry("slice-unknown", "Slice unknown"),
            Map.entry("not-a-member", "Not a member of the slice"),
            Map.entry("policy-denied", "Denied by the node's policy"),
            Map.entry("over-capacity", "Over capacity"),
            Map.entry("lease-unknown", "Lease unknown"),
            Map.entry("sliver-exists", "Sliver exists"),
            Map.entry("invalid-request", "Invalid request"));

    private DenialProblems() {
    }

    static Problem of(DeniedException denial) {
        List<Map<String, String>> reasons = denial.reasons().stream().map(DenialProblems::member).toList();
        return Problem.of(denial.status(), denial.type(), TITLES.getOrDefault(denial.type(), "Denied"),
                denial.reasons().get(0).detail()).with("reasons", reasons);
    }

    private static Map<String, String> member(Reason reason) {
        Map<String, String> member = new LinkedHashMap<>();
        member.put("check", reason.check());
        member.put("node", reason.node());
        member.put("rule", reason.rule());
        member.put("detail", reason.detail());
        return member;
    }
}
