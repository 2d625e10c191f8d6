package dev.sliceplane.agent.internal.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;

/** The agent's and broker's refusals as RFC 9457 problems. */
public final class Problems {

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("invalid-request", "Invalid request"), Map.entry("invalid-query", "Invalid query"),
            Map.entry("report-forged", "Report not accepted"), Map.entry("report-outdated", "Outdated report"),
            Map.entry("slice-unknown", "Unknown slice"), Map.entry("not-a-member", "Not a member"),
            Map.entry("policy-denied", "Denied by policy"), Map.entry("over-capacity", "Over capacity"),
            Map.entry("no-matching-nodes", "No matching nodes"));

    private Problems() {
    }

    /** {@code denied} as a problem of its status and type, with its reason chain. */
    public static ProblemException of(DeniedException denied) {
        return new ProblemException(Problem.of(denied.status(), denied.type(),
                TITLES.getOrDefault(denied.type(), "Denied"), denied.getMessage())
                .with("reasons", reasons(denied.reasons())));
    }

    /**
     * 400 {@code invalid-query}, naming the parameter, term and position, with the reason chain
     * every refusal carries.
     */
    public static ProblemException of(InvalidQueryException invalid, String where) {
        return new ProblemException(Problem.of(400, "invalid-query", "Invalid query", invalid.getMessage())
                .with("reasons", reasons(List.of(new Reason("request", where, "query." + invalid.parameter(),
                        invalid.getMessage()))))
                .with("parameter", invalid.parameter()).with("term", invalid.term())
                .with("position", invalid.position()));
    }

    /** Reasons as JSON members {@code {"check","node","rule","detail"}}. */
    public static List<Map<String, String>> reasons(List<Reason> reasons) {
        return reasons.stream().map(r -> {
            Map<String, String> member = new LinkedHashMap<>();
            member.put("check", r.check());
            member.put("node", r.node());
            member.put("rule", r.rule());
            member.put("detail", r.detail());
            return member;
        }).toList();
    }
}
