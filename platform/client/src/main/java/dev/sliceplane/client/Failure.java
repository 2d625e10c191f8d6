package dev.sliceplane.client;

import java.net.URI;
import java.util.List;
import java.util.StringJoiner;

import dev.sliceplane.platform.api.acquisition.Reason;

/**
 * Why a request to a broker, agent or node did not succeed: an RFC 9457 problem the server
 * answered with, or no answer at all.
 *
 * @param status  the HTTP status; 0 when no answer came
 * @param type    the problem type's last segment, e.g. {@code policy-denied}, {@code unreachable}
 * @param detail  one sentence for people
 * @param reasons the denial's reason chain, decisive reason first; empty when the server gave none
 */
public record Failure(int status, String type, String detail, List<Reason> reasons) {

    /** The type of a failure where no HTTP answer came. */
    public static final String UNREACHABLE = "unreachable";

    public Failure {
        reasons = List.copyOf(reasons);
    }

    /** No answer from {@code url}: refused, unknown host, timed out, connection dropped. */
    public static Failure unreachable(URI url, String why) {
        return new Failure(0, UNREACHABLE, "cannot reach " + url + " (" + why + ")", List.of());
    }

    public boolean isUnreachable() {
        return status == 0;
    }

    /** The reasons on one line ({@code check on node (rule): detail; ...}), or the detail when there are none. */
    public String chain() {
        if (reasons.isEmpty()) {
            return detail;
        }
        StringJoiner line = new StringJoiner("; ");
        reasons.forEach(reason -> line.add(reason.toString()));
        return line.toString();
    }

    /** {@code 403 policy-denied: <chain>}, or the detail alone when no answer came. */
    @Override
    public String toString() {
        return isUnreachable() ? detail : status + " " + type + ": " + chain();
    }
}
