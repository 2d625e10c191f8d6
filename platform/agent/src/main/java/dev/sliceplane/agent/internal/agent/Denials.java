package dev.sliceplane.agent.internal.agent;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;

/** Shorthands for the agent's and broker's refusals. */
public final class Denials {

    private Denials() {
    }

    public static DeniedException denied(int status, String type, String check, String node, String rule,
            String detail) {
        return new DeniedException(status, type, new Reason(check, node, rule, detail));
    }

    /** 400 {@code invalid-request}: the request itself is malformed. */
    public static DeniedException invalid(String node, String rule, String detail) {
        return denied(400, "invalid-request", "request", node, rule, detail);
    }
}
