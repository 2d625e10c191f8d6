package dev.sliceplane.platform.api.acquisition;

import java.util.Objects;

/**
 * One link of a denial's reason chain: which check refused, where, by which rule, and the detail.
 * The first reason of a chain is the decisive one; later ones give context (the ticket the request
 * carried, the limit it was held against).
 *
 * @param check  the check, from a small stable set: {@code signature}, {@code window},
 *               {@code replay}, {@code slice}, {@code policy}, {@code capacity}, {@code lease},
 *               {@code request}
 * @param node   the host name of the node (or {@code agent}, {@code broker}) that decided
 * @param rule   the rule held against the request, e.g. {@code policy.denySlices},
 *               {@code ticket.exp}, {@code capacity.memory}
 * @param detail one sentence for people, e.g. "slice princeton_codeen is on this node's deny list"
 */
public record Reason(String check, String node, String rule, String detail) {

    public Reason {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code check on node (rule): detail}, as the CLI prints it. */
    @Override
    public String toString() {
        return check + " on " + node + " (" + rule + "): " + detail;
    }
}
