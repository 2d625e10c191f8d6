package dev.sliceplane.client.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The contract's routes, with names percent-encoded where they are path segments or query values. */
public final class Paths {

    public static final String BROKER_REQUESTS = "/api/v1/broker/requests";
    public static final String AGENT_NODES = "/api/v1/agent/nodes";
    public static final String LEASES = "/api/v1/leases";

    private Paths() {
    }

    public static String agentTickets(String slice) {
        return "/api/v1/agent/tickets?slice=" + encode(slice);
    }

    public static String leasesOf(String slice) {
        return LEASES + "?slice=" + encode(slice);
    }

    public static String lease(String id) {
        return LEASES + "/" + encode(id);
    }

    public static String renew(String id) {
        return lease(id) + "/renew";
    }

    public static String programs(String id) {
        return lease(id) + "/programs";
    }

    /** Percent-encoding of a segment or query value (a space is %20, never +). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
